rule fine { condition: true }
rule broken {
	condition: no_such_identifier
}
