/*
 * rules.yar — a small, realistic rule set for bench/files: text and wide
 * strings, hex with wildcards and jumps, a header check, a case-insensitive
 * string.  The bench plants files that the first three must hit.
 */
rule bench_marker_text : bench
{
	meta:
		description = "planted plain-text marker"
	strings:
		$a = "VAKSAM_BENCH_MARKER_TEXT"
		$w = "VAKSAM_BENCH_MARKER_TEXT" wide
	condition:
		any of them
}

rule bench_hex_stub : bench
{
	meta:
		description = "planted byte pattern with wildcards and a jump"
	strings:
		$h = { 4D 5A ?? 00 [2-8] DE C0 AD 0B 5E ?? 1F }
	condition:
		$h
}

rule bench_pe_with_marker : bench
{
	strings:
		$s = "vaksam-bench-dropper" nocase
	condition:
		uint16(0) == 0x5A4D and $s
}

rule webshell_like
{
	strings:
		$e1 = "eval(base64_decode(" nocase
		$e2 = "<?php @system($_GET" nocase
	condition:
		any of them and filesize < 2MB
}

rule mimikatz_like
{
	strings:
		$m1 = "sekurlsa::logonpasswords" ascii wide nocase
		$m2 = "gentilkiwi" ascii wide
	condition:
		any of them
}
