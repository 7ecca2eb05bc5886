/* Quadratic on purpose: for the per-file timeout test. */
rule quadratic
{
	condition:
		for any i in (0..filesize) : (
		    for any j in (0..filesize) : (uint8(j) == 0x41 and i < 0))
}
