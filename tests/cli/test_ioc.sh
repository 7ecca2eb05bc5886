#!/bin/sh
# test_ioc.sh — `vaksam ioc check` and `vaksam ioc convert` on real
# published files and on tests/data/ioc: reports, exit statuses, errors
# with locations, --keep-going, and the convert round trip.
. "$(dirname "$0")/lib.sh"
D=$SRCDIR/tests/data/ioc
S=$SHARED/data

run "$VAKSAM" ioc --help
is "$STATUS" 0 "ioc --help exits 0"
like "$OUT" "vaksam ioc check" "ioc --help shows check"
like "$OUT" "vaksam ioc convert" "ioc --help shows convert"
run "$VAKSAM" ioc check --help
is "$STATUS" 0 "ioc check --help exits 0"
run "$VAKSAM" help ioc
is "$STATUS" 0 "help ioc exits 0"
like "$OUT" "--keep-going" "help ioc lists --keep-going"
run "$VAKSAM" ioc
is "$STATUS" 2 "ioc without a subcommand exits 2"
run "$VAKSAM" ioc frobnicate x
is "$STATUS" 2 "unknown ioc subcommand exits 2"
like "$ERR" "not a subcommand" "unknown subcommand is named"
run "$VAKSAM" ioc check
is "$STATUS" 2 "check without files exits 2"
run "$VAKSAM" ioc check --to stix "$D/defanged.txt"
is "$STATUS" 2 "check rejects --to"
run "$VAKSAM" ioc convert --to xml "$D/defanged.txt"
is "$STATUS" 2 "convert rejects --to xml"

# Clean files: exit 0 and the counts.
run "$VAKSAM" ioc check "$S/stix/indicators-for-C2-with-COA.json" \
    "$D/quoted.csv"
is "$STATUS" 0 "check of clean files exits 0"
like "$OUT" "indicators-for-C2-with-COA.json: stix, 2 indicators \(ipv4 1, sha256 1\)" \
    "check reports the STIX counts"
like "$OUT" "quoted.csv: csv, 6 indicators" "check reports the CSV counts"

# Real reports with warnings: exit 1.
run "$VAKSAM" ioc check "$S/stix/apt1.json"
is "$STATUS" 1 "apt1.json loads with warnings: exit 1"
like "$OUT" "apt1.json: stix, 10 indicators \(domain 3, ipv4 4, md5 3\); 0 duplicates, 2 unsupported" \
    "apt1.json counts"
like "$OUT" "apt1.json:\\\$\\.objects\[20\]\\.pattern: warning: pattern not supported: x509-certificate:issuer" \
    "unsupported pattern named with its JSON path"
run "$VAKSAM" ioc check "$S/misp/existing_event.json"
is "$STATUS" 1 "existing_event.json: exit 1 (unused attribute types)"
like "$OUT" "misp, 81 indicators \(domain 18, ipv4 11, sha1 37, filename 15\); 2 duplicates" \
    "existing_event.json counts"
like "$OUT" "38 attributes of type 'text' not used" "unused types summarised"

# A bad entry: exit 2, location, nothing loaded; --keep-going loads.
run "$VAKSAM" ioc check "$S/stix/poisonivy.json"
is "$STATUS" 2 "poisonivy.json has a bad domain: exit 2"
like "$OUT" "poisonivy.json: NOT LOADED" "the file is reported as not loaded"
like "$OUT" "poisonivy.json:\\\$\\.objects\[42\]\\.pattern: error: not a valid domain: 'domain autuo.xicp.net'" \
    "the bad value is named with its JSON path"
run "$VAKSAM" ioc check --keep-going "$S/stix/poisonivy.json"
is "$STATUS" 1 "poisonivy.json with --keep-going: exit 1"
like "$OUT" "stix, 51 indicators \(domain 24, ipv4 25, filename 2\); 15 duplicates, 0 unsupported, 1 skipped" \
    "poisonivy.json counts with --keep-going"
run "$VAKSAM" ioc check "$D/bad-type.csv"
is "$STATUS" 2 "bad CSV row: exit 2"
like "$OUT" "bad-type.csv:4: error: unknown indicator type 'regkey'" \
    "bad CSV row named file:line"
run "$VAKSAM" ioc check "$D/bad-json.json"
is "$STATUS" 2 "malformed JSON: exit 2"
like "$OUT" "bad-json.json:3:68: error: JSON syntax error" \
    "malformed JSON named line:column"
run "$VAKSAM" ioc check "$D/bad.txt" "$D/defanged.txt"
is "$STATUS" 2 "one bad file among good ones: exit 2"
like "$OUT" "defanged.txt: text, 6 indicators" "the good file is still checked"
run "$VAKSAM" ioc check "$D/no-such-file"
is "$STATUS" 2 "missing file: exit 2"
like "$OUT" "no-such-file: error: cannot open" "missing file named"

# JSON report.
run "$VAKSAM" ioc check --format json "$D/misp-composite.json" "$D/bad.txt"
is "$STATUS" 2 "json report: exit 2"
is "$(printf '%s' "$OUT" | jq -r '.files[0].indicators')" 12 \
    "json report: indicators"
is "$(printf '%s' "$OUT" | jq -r '.files[0].by_type.filename')" 2 \
    "json report: by_type"
is "$(printf '%s' "$OUT" | jq -r '.files[0].ignored')" 7 "json report: ignored"
is "$(printf '%s' "$OUT" | jq -r '.files[1].loaded')" false \
    "json report: failed file"
is "$(printf '%s' "$OUT" | jq -r '.files[1].messages[0].where')" \
    "$D/bad.txt:3" "json report: location"

# Standard input and a feed directory.
run sh -c "cat '$D/loki-hashes.txt' | '$VAKSAM' ioc check -"
is "$STATUS" 0 "check reads standard input"
like "$OUT" "^-: loki, 3 indicators" "stdin detected as Loki"
run "$VAKSAM" ioc check "$D/misp-feed"
is "$STATUS" 0 "MISP feed directory"
like "$OUT" "misp, 3 indicators" "feed counts"

# convert: CSV and STIX, then back.
run "$VAKSAM" ioc convert -o "$TMP/all.csv" "$S/stix/apt1.json" \
    "$S/misp/existing_event.json" "$D/quoted.csv" "$D/defanged.txt"
is "$STATUS" 0 "convert to CSV"
is "$(head -1 "$TMP/all.csv")" \
    "type,value,normalized,source,report,campaign,tlp,first_seen,last_seen,comment" \
    "CSV header"
like "$(cat "$TMP/all.csv")" '^domain,hugesoft\.org,hugesoft\.org,.*apt1\.json,APT1: Exposing One of China.s Cyber Espionage Units,"Ugly Gorilla, APT1",' \
    "CSV row with provenance"
like "$ERR" "apt1.json:\\\$\\.objects\[20\]\\.pattern: warning" \
    "convert prints warnings on stderr"
run "$VAKSAM" ioc convert --to stix -o "$TMP/all.json" "$S/stix/apt1.json" \
    "$S/misp/existing_event.json" "$D/quoted.csv" "$D/defanged.txt"
is "$STATUS" 0 "convert to STIX"
is "$(jq -r .type "$TMP/all.json")" bundle "STIX output is a bundle"
is "$(jq '[.objects[] | select(.type == "indicator") | .pattern] | unique | length' "$TMP/all.json")" \
    "$(jq '[.objects[] | select(.type == "indicator")] | length' "$TMP/all.json")" \
    "one STIX indicator per distinct value"
run "$VAKSAM" ioc convert --to stix -o "$TMP/again.json" "$S/stix/apt1.json" \
    "$S/misp/existing_event.json" "$D/quoted.csv" "$D/defanged.txt"
is "$(jq -S '[.id, [.objects[].id]]' "$TMP/again.json")" \
    "$(jq -S '[.id, [.objects[].id]]' "$TMP/all.json")" "STIX ids are reproducible"

a=$(SOURCE_DATE_EPOCH=86400 "$VAKSAM" ioc convert --to stix "$D/misp-composite.json" 2>/dev/null | cksum)
b=$(SOURCE_DATE_EPOCH=86400 "$VAKSAM" ioc convert --to stix "$D/misp-composite.json" 2>/dev/null | cksum)
is "$a" "$b" "with SOURCE_DATE_EPOCH the whole STIX output is reproducible"
like "$(SOURCE_DATE_EPOCH=86400 "$VAKSAM" ioc convert --to stix "$D/misp-composite.json" 2>/dev/null)" \
    '"created": "1970-01-02T00:00:00.000Z"' "created is SOURCE_DATE_EPOCH"

# Round trip: the normalised (type, value) set survives both formats;
# compared as the sorted STIX patterns, which spell out type and value.
patterns() {	# patterns FILE... — the STIX patterns of their union
	"$VAKSAM" ioc convert --to stix "$@" 2>/dev/null |
	    jq -r '.objects[] | select(.type == "indicator") | .pattern' | sort
}
orig=$(patterns "$S/stix/apt1.json" "$S/misp/existing_event.json" \
    "$D/quoted.csv" "$D/defanged.txt")
is "$(printf "%s\n" "$orig" | wc -l)" 102 "102 distinct indicators in the union (10+81+6+6, evil.example twice)"
run "$VAKSAM" ioc check "$TMP/all.csv"
is "$STATUS" 0 "converted CSV checks clean"
is "$(patterns "$TMP/all.csv")" "$orig" "CSV round trip keeps the normalised set"
run "$VAKSAM" ioc check "$TMP/all.json"
is "$STATUS" 0 "converted STIX checks clean"
is "$(patterns "$TMP/all.json")" "$orig" "STIX round trip keeps the normalised set"
like "$("$VAKSAM" ioc convert "$TMP/all.json")" \
    'hugesoft\.org,.*"Ugly Gorilla, APT1"' "STIX round trip keeps campaigns"

# A failed load writes nothing.
rm -f "$TMP/none.csv"
run "$VAKSAM" ioc convert -o "$TMP/none.csv" "$D/defanged.txt" "$D/bad.txt"
is "$STATUS" 2 "convert with a bad file exits 2"
like "$ERR" "bad.txt:3: error" "convert names the bad line"
is "$(test -e "$TMP/none.csv" && echo yes || echo no)" no "nothing written"
run "$VAKSAM" ioc convert --keep-going -o "$TMP/some.csv" "$D/bad.txt"
is "$STATUS" 0 "convert --keep-going"
is "$(($(wc -l <"$TMP/some.csv") - 1))" 3 "convert --keep-going keeps the good lines"

done_testing
