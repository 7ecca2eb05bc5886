/* Uses the external variables vaksam sets for every file. */
rule dropper_by_name
{
	condition:
		extension == "exe" and filename matches /^drop/ and
		filepath contains "/payload/"
}
