/* Test rules for vaksam's YARA scanner (tests/unit/test_yara.c and
 * tests/cli/test_hunt_files.sh). */
rule marker_text : apt10 cloudhopper
{
	meta:
		description = "plain-text marker planted by the tests"
		score = 75
		confirmed = true
	strings:
		$a = "VAKSAM_EVIL_MARKER"
		$b = { 4D 5A 90 00 03 00 00 00 DE AD BE EF }
	condition:
		$a or $b
}

private rule helper_never_reported
{
	strings:
		$x = "VAKSAM_EVIL_MARKER"
	condition:
		$x
}
