#!/bin/sh
# test_hunt.sh — `vaksam hunt` end to end: every sample log format
# (hits found, decoys not), every compression, standard input, directory
# walking, JSON field paths, the jsonl and csv schemas, the text format's
# escaping, exit statuses, unreadable and damaged inputs, bad indicator
# files, long lines, NUL bytes, allow-lists, and output that is the same
# for any number of threads across chunk boundaries.
. "$(dirname "$0")/lib.sh"
L=$SRCDIR/tests/data/logs
H=$SRCDIR/tests/data/hunt
IND=$H/indicators.txt
export VAKSAM_NO_TTY=1

# check_jsonl FILE: every line is a JSON object with the full schema.
check_jsonl() {
	python3 - "$1" <<'EOF'
import json, sys
keys = ["file", "line", "offset", "indicator", "type", "matched", "field",
        "source", "source_location", "context", "context_offset", "report",
        "campaign", "tlp", "first_seen", "last_seen", "comment", "to_ids",
        "kind"]  # kind: issue 3, "line" for every log hit
n = 0
for raw in open(sys.argv[1], "rb"):
    r = json.loads(raw)
    assert list(r.keys()) == keys, list(r.keys())
    assert isinstance(r["line"], int) and r["line"] >= 1
    assert isinstance(r["offset"], int) and r["offset"] >= 0
    assert r["field"] is None or isinstance(r["field"], str)
    assert r["to_ids"] in (True, False, None)
    assert r["kind"] == "line"
    n += 1
print(n)
EOF
}

# hits_of JSONL: "basename line indicator field" per hit, sorted, unique.
hits_of() {
	python3 - "$1" <<'EOF'
import json, sys
s = set()
for raw in open(sys.argv[1], "rb"):
    r = json.loads(raw)
    s.add("%s %d %s %s" % (r["file"].split("/")[-1], r["line"],
                           r["indicator"], r["field"] or "-"))
print("\n".join(sorted(s)))
EOF
}

expected_for() {	# expected_for BASENAME
	awk -F'\t' -v f="$1" '$1 == f { print $1 " " $2 " " $3 " " $4 }' \
	    "$H/expected.tsv" | sort -u
}

# --- usage ------------------------------------------------------------
run "$VAKSAM" hunt --help
is "$STATUS" 0 "hunt --help exits 0"
like "$OUT" "usage: vaksam hunt -i INDICATORS" "--help shows the usage"
like "$OUT" "--format text\|jsonl\|csv" "--help lists the formats"
run "$VAKSAM" help hunt
is "$STATUS" 0 "help hunt exits 0"
run "$VAKSAM" hunt "$L"
is "$STATUS" 2 "no -i: exit 2"
like "$ERR" "no indicators" "no -i is explained"
run "$VAKSAM" hunt -i "$IND"
is "$STATUS" 2 "no PATH: exit 2"
run "$VAKSAM" hunt -i "$IND" --format xml "$L"
is "$STATUS" 2 "unknown format: exit 2"
run "$VAKSAM" hunt -i "$IND" -j 0 "$L"
is "$STATUS" 2 "-j 0: exit 2"
run "$VAKSAM" hunt -i "$IND" --bogus "$L"
is "$STATUS" 2 "unknown option: exit 2"
like "$ERR" "unknown option '--bogus'" "unknown option is named"

echo evil.se | "$VAKSAM" hunt -i - - >"$TMP/o" 2>"$TMP/e"
is "$?" 2 "- as both indicators and log: exit 2"
like "$(cat "$TMP/e")" "cannot be both" "- as both is explained"

# --- the demo (the README's first command) ------------------------------
run sh "$SRCDIR/scripts/demo.sh" "$VAKSAM"
is "$STATUS" 0 "demo: exit 0"
like "$OUT" "== Campaign: Operation Nordlys \(fictional\) ==" "demo: a campaign heading"
like "$OUT" "dnsmasq.log.1.gz:[0-9]+: .*login-kommun.example" "demo: a hit in the gzip log"
like "$OUT" "endpoint.jsonl:[0-9]+: \[destination.ip\]" "demo: a JSON field"
like "$ERR" "hits in 4 of 4 inputs" "demo: the summary"

# --- every sample format: hits found, decoys not -----------------------
"$VAKSAM" hunt -q -i "$IND" -f jsonl "$L" >"$TMP/all.jsonl"
is "$?" 1 "hits in the sample logs: exit 1"
n=$(check_jsonl "$TMP/all.jsonl")
is "$?" 0 "every jsonl line has the schema"
hits_of "$TMP/all.jsonl" >"$TMP/all.hits"
for f in "$L"/*; do
	b=$(basename "$f")
	got=$(grep "^$b " "$TMP/all.hits")
	is "$got" "$(expected_for "$b")" "$b: exactly the planted hits"
done
is "$(wc -l <"$TMP/all.hits" | tr -d ' ')" \
    "$(grep -vc '^#' "$H/expected.tsv")" "no hits beyond the planted ones"

# Files in walk (name) order.
order=$(python3 -c '
import json, sys
seen = []
for l in open(sys.argv[1]):
    f = json.loads(l)["file"]
    if not seen or seen[-1] != f:
        seen.append(f)
print("sorted" if seen == sorted(seen) and len(seen) == len(set(seen)) else "not")
' "$TMP/all.jsonl")
is "$order" "sorted" "inputs come out in name order, each once"

# offset, line and matched agree with the file.
res=$(python3 - "$TMP/all.jsonl" <<'EOF'
import json, sys
bad = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    data = open(r["file"], "rb").read()
    lines = data.split(b"\n")
    off = sum(len(x) + 1 for x in lines[:r["line"] - 1])
    line = lines[r["line"] - 1].rstrip(b"\r").decode()
    if off != r["offset"] or r["context"] != line or \
       line[r["context_offset"]:].find(r["matched"]) < 0:
        bad += 1
print(bad)
EOF
)
is "$res" 0 "line, offset, context and matched agree with the files"

ecs=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["file"].endswith(".jsonl") and r["indicator"] == "198.51.100.23":
        print(r["field"], r["matched"], r["type"], r["source"].split("/")[-1],
              r["source_location"].split("/")[-1])
' "$TMP/all.jsonl")
is "$ecs" "destination.ip 198.51.100.23 ipv4 indicators.txt indicators.txt:5" \
    "jsonl: field, matched, type, source and its location"
nofield=$(python3 -c '
import json, sys
print(sum(1 for l in open(sys.argv[1])
          if not json.loads(l)["file"].endswith(".jsonl")
          and json.loads(l)["field"] is not None))
' "$TMP/all.jsonl")
is "$nofield" 0 "field is null for logs that are not JSON"

# --- csv ----------------------------------------------------------------
"$VAKSAM" hunt -q -i "$IND" -f csv "$L" >"$TMP/all.csv"
res=$(python3 - "$TMP/all.csv" "$TMP/all.jsonl" <<'EOF'
import csv, json, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
js = [json.loads(l) for l in open(sys.argv[2])]
head = rows[0]
ok = head[:4] == ["file", "line", "offset", "indicator"] and len(rows) - 1 == len(js)
for row, j in zip(rows[1:], js):
    d = dict(zip(head, row))
    for k in ("file", "indicator", "type", "matched", "context"):
        v = d[k]
        if v.startswith("'"):
            v = v[1:]
        ok = ok and v == j[k]
    ok = ok and int(d["line"]) == j["line"] and int(d["offset"]) == j["offset"]
    ok = ok and (d["field"] or None) == j["field"]
print("same" if ok else "differ")
EOF
)
is "$res" "same" "csv: header and the same hits as jsonl"
printf 'Nov 27 10:00:00 h app: "=cmd|evil-cdn.example", x\n' >"$TMP/inj.log"
"$VAKSAM" hunt -q -i "$IND" -f csv "$TMP/inj.log" >"$TMP/inj.csv"
like "$(sed -n 2p "$TMP/inj.csv")" '"Nov 27 10:00:00 h app: ""=cmd\|evil-cdn.example"", x"' \
    "csv: quotes doubled, field quoted"
run "$VAKSAM" hunt -q -i "$IND" -f csv /dev/null
is "$(printf '%s' "$OUT" | tr -d '\r')" "$(head -1 "$TMP/all.csv" | tr -d '\r')" \
    "csv: header even without hits"

# --- compression, by content ------------------------------------------
for c in gzip bzip2 xz zstd; do
	mkdir -p "$TMP/$c"
	$c -c <"$L/squid-access.log" >"$TMP/$c/squid-access.log"
	"$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/$c" >"$TMP/$c.jsonl"
	is "$(hits_of "$TMP/$c.jsonl")" "$(expected_for squid-access.log)" \
	    "$c (named .log): the same hits"
done
mkdir -p "$TMP/multi"
{ head -20 "$L/dnsmasq.log" | gzip -c; tail -n +21 "$L/dnsmasq.log" | gzip -c; } \
    >"$TMP/multi/dnsmasq.log.gz"
"$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/multi" >"$TMP/multi.jsonl"
is "$(hits_of "$TMP/multi.jsonl" | sed 's/\.gz / /')" \
    "$(expected_for dnsmasq.log)" "multi-member gzip: every member read"
{ head -20 "$L/dnsmasq.log" | zstd -q -c; tail -n +21 "$L/dnsmasq.log" | zstd -q -c; } \
    >"$TMP/multi/dnsmasq.log.zst"
"$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/multi/dnsmasq.log.zst" >"$TMP/mz.jsonl"
is "$(hits_of "$TMP/mz.jsonl" | sed 's/\.zst / /')" \
    "$(expected_for dnsmasq.log)" "concatenated zstd frames: every frame read"

# A damaged stream: hits before the damage are kept, the file is named,
# exit 2.
python3 - "$L/ecs.jsonl" "$TMP/damaged.gz" <<'EOF'
import gzip, sys
data = open(sys.argv[1], "rb").read() * 50
z = gzip.compress(data)
open(sys.argv[2], "wb").write(z[: len(z) * 3 // 4])
EOF
run "$VAKSAM" hunt -i "$IND" -f jsonl "$TMP/damaged.gz"
is "$STATUS" 2 "damaged gzip: exit 2"
like "$ERR" "damaged.gz: damaged \(truncated gzip data" "damaged file named with the reason"
n=$(printf '%s\n' "$OUT" | grep -c '"indicator"')
[ "$n" -gt 100 ]
_ok $? "hits before the damage are reported ($n)"

# --- standard input ------------------------------------------------------
gzip -c <"$L/bind-query.log" | "$VAKSAM" hunt -q -i "$IND" -f jsonl - >"$TMP/stdin.jsonl"
is "$?" 1 "stdin: exit 1"
is "$(hits_of "$TMP/stdin.jsonl")" "$(expected_for bind-query.log | sed 's/^bind-query.log/-/')" \
    "stdin (gzip): the same hits, file is -"

# --- exit statuses, unreadable inputs ------------------------------------
printf 'nothing to see here\n' >"$TMP/clean.log"
run "$VAKSAM" hunt -i "$IND" "$TMP/clean.log"
is "$STATUS" 0 "no hits: exit 0"
is "$OUT" "" "no hits: nothing on stdout"
like "$ERR" "0 hits in 0 of 1 input" "summary even without hits"
ln -s "$TMP/does-not-exist" "$TMP/dangling"
run "$VAKSAM" hunt -i "$IND" -f jsonl "$TMP/dangling" "$L/iptables.log"
is "$STATUS" 2 "unreadable input (dangling link) with hits: exit 2"
like "$OUT" '"file":"[^"]*iptables.log"' "hits of the readable file still reported"
like "$ERR" "dangling: unreadable \(No such file or directory\)" \
    "unreadable input named with the reason"
mkfifo "$TMP/walk-fifo"
mkdir -p "$TMP/tree/a"
cp "$L/dnsmasq.log" "$TMP/tree/a/"
ln -s "$L/iptables.log" "$TMP/tree/link.log"
mkfifo "$TMP/tree/fifo"
run "$VAKSAM" hunt -i "$IND" -f jsonl "$TMP/tree"
is "$STATUS" 1 "links and FIFOs inside directories are skipped, not errors"
like "$ERR" "skipped: 1 symbolic link \(not followed inside directories\), 1 special file|skipped: 1 special file, 1 symbolic link" \
    "skipped inputs counted with the reason"
unlike "$OUT" "iptables" "a symbolic link inside a directory is not followed"
run "$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/tree/link.log"
is "$STATUS" 1 "a symbolic link named on the command line is followed"

# --- bad indicator files ------------------------------------------------
printf 'evil-cdn.example\nthis is not an indicator\n' >"$TMP/bad.txt"
run "$VAKSAM" hunt -i "$TMP/bad.txt" -f jsonl "$L"
is "$STATUS" 2 "bad indicator file: exit 2"
is "$OUT" "" "bad indicator file: nothing scanned"
like "$ERR" "bad.txt:2" "bad indicator file: the error names file:line"
printf '{"type": "bundle", "objects": [{"type": "indicator", "pattern": ' >"$TMP/bad.json"
run "$VAKSAM" hunt -i "$TMP/bad.json" "$L"
is "$STATUS" 2 "truncated STIX bundle: exit 2"
like "$ERR" "bad.json" "truncated STIX bundle: the file is named"
run "$VAKSAM" hunt -q -i "$TMP/bad.txt" --keep-going -f jsonl "$L/bind-query.log"
is "$STATUS" 1 "--keep-going: the good indicators are used"
run "$VAKSAM" hunt -i "$TMP/missing.txt" "$L"
is "$STATUS" 2 "missing indicator file: exit 2"

# --- allow-lists --------------------------------------------------------
printf '# our own CDN\nevil-cdn.example\n' >"$TMP/allow.txt"
run "$VAKSAM" hunt -i "$IND" --allow "$TMP/allow.txt" -f jsonl "$L"
is "$STATUS" 1 "allow-list: still hits for the rest"
unlike "$OUT" '"indicator":"evil-cdn.example"' "allow-listed indicator not reported"
like "$ERR" 'suppressed by allow-lists: [1-9][0-9]* \(".*" [1-9]' \
    "suppression counted and the list named in the summary"

# --- long lines, NUL bytes, CRLF ---------------------------------------
python3 - "$TMP/long.log" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"first line\n")
    f.write(b"x" * (2 * 1024 * 1024) + b" evil-cdn.example\n")
    f.write(b"a\0b\0 198.51.100.23 \0\n")
    f.write(b"crlf 203.0.113.7\r\n")
    f.write(b"no newline at the end evil-cdn.example")
EOF
"$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/long.log" >"$TMP/long.jsonl"
is "$(python3 -c '
import json, sys
print(" ".join("%d:%d:%s:%d" % (r["line"], r["offset"], r["indicator"], len(r["context"]))
               for r in map(json.loads, open(sys.argv[1]))))' "$TMP/long.jsonl")" \
    "2:11:evil-cdn.example:1024 3:2097181:198.51.100.23:20 4:2097202:203.0.113.0/24:16 5:2097220:evil-cdn.example:38" \
    "2 MiB line, NUL bytes, CRLF and a last line without newline"
like "$(sed -n 2p "$TMP/long.jsonl")" '"context":"a\\u0000b\\u0000 198.51.100.23 \\u0000"' \
    "NUL bytes escaped in JSON"
like "$(sed -n 1p "$TMP/long.jsonl")" '"context_offset":2096145' \
    "a long line's context is a window around the match"

# --- hostile bytes: terminal escapes, invalid UTF-8, odd file names ------
mkdir -p "$TMP/odd"
printf 'evil-cdn.example \033[31mred\033]0;title\007 \xff\xfe end\n' >"$TMP/odd/esc.log"
nl_name=$(printf '%s/odd/new\nline\377.log' "$TMP")
printf 'x 198.51.100.23\n' >"$nl_name"
run "$VAKSAM" hunt -i "$IND" --color never "$TMP/odd"
is "$STATUS" 1 "hostile bytes: exit 1"
esc=$(printf '\033')
case $OUT in *"$esc"*) _ok 1 "text: no raw escape from a log reaches the terminal" ;;
*) _ok 0 "text: no raw escape from a log reaches the terminal" ;; esac
like "$OUT" 'evil-cdn.example \\x1b\[31mred\\x1b\]0;title\\x07 \\xff\\xfe end' \
    "text: control characters and invalid bytes shown as \\xNN"
like "$OUT" 'new\\x0aline\\xff.log:1:' "text: a newline in a file name is escaped"
run "$VAKSAM" hunt -i "$IND" --color always "$TMP/odd/esc.log"
case $OUT in *"$esc[1;31m"*) _ok 0 "--color always highlights the match" ;;
*) _ok 1 "--color always highlights the match" ;; esac
"$VAKSAM" hunt -q -i "$IND" -f jsonl "$TMP/odd" >"$TMP/odd.jsonl"
res=$(python3 -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1], "rb")]
print(rs[0]["context"].endswith("\\xff\\xfe end"), rs[1]["file"].endswith("new\nline\\xff.log"))
' "$TMP/odd.jsonl")
is "$res" "True True" "jsonl: invalid bytes as \\xNN, newline in a path escaped"
like "$(cat "$TMP/odd.jsonl")" '\\u001b\[31m' "jsonl: control characters as \\u00NN"

# --- text format --------------------------------------------------------
run "$VAKSAM" hunt -i "$H/indicators.txt" "$L/dnsmasq.log"
like "$OUT" "^== No campaign named ==" "text: grouped under a campaign heading"
like "$OUT" "^evil-cdn.example \(domain\) — 3 hits" "text: indicator with type and count"
like "$OUT" "dnsmasq.log:[0-9]+: .*cdn.evil-cdn.example" "text: file:line: context"
like "$ERR" "hits by indicator: evil-cdn.example 3" "summary: hits by indicator"
like "$ERR" "hits by campaign: \(none named\)" "summary: hits by campaign"
like "$ERR" "indicators: 8 loaded \(domain 2, ipv4 2, ipv6 1, url 1, email 1, sha256 1\)" \
    "summary: indicators by type"
like "$ERR" "time: [0-9.]+ s, .*/s with [0-9]+ thread" "summary: time and throughput"
run "$VAKSAM" hunt -q -i "$H/indicators.txt" "$L/dnsmasq.log"
is "$ERR" "" "--quiet: no summary"

# --- the progress line: on a terminal, after a second, erased at the end --
if command -v script >/dev/null 2>&1; then
	script -qec "(echo evil-cdn.example; sleep 2; echo x) | '$VAKSAM' hunt \
	    -i '$IND' -f jsonl -o /dev/null -" /dev/null >"$TMP/tty.out" 2>&1
	res=$(python3 -c '
import sys
s = open(sys.argv[1], "rb").read()
i = s.find(b"\rhunt: ")
j = s.find(b"\r\x1b[Kvaksam hunt: 1 hit")
print(i >= 0 and j > i and b"MB/s" in s[i:j])' "$TMP/tty.out")
	is "$res" "True" "progress line shown on a terminal and erased before the summary"
	script -qec "(echo evil-cdn.example; sleep 2; echo x) | '$VAKSAM' hunt \
	    --no-progress -i '$IND' -f jsonl -o /dev/null -" /dev/null >"$TMP/tty.out" 2>&1
	unlike "$(cat "$TMP/tty.out")" "hunt: 0" "--no-progress: no progress line"
else
	_ok 0 "# SKIP script(1) not installed"
	_ok 0 "# SKIP script(1) not installed"
fi

# --- -o FILE ------------------------------------------------------------
mkdir -p "$TMP/outdir"
cp "$L/dnsmasq.log" "$TMP/outdir/"
run "$VAKSAM" hunt -i "$IND" -f jsonl -o "$TMP/outdir/hits.jsonl" "$TMP/outdir"
is "$STATUS" 1 "-o: exit 1"
is "$OUT" "" "-o: nothing on stdout"
is "$(grep -c dnsmasq "$TMP/outdir/hits.jsonl")" "$(grep -c "^dnsmasq.log" "$H/expected.tsv")" \
    "-o: hits in the file"
unlike "$(cat "$TMP/outdir/hits.jsonl")" '"file":"[^"]*hits.jsonl"' "-o: the output file is not scanned"
like "$ERR" "1 the output file" "-o: the output file is named as skipped"
is "$(stat -c %a "$TMP/outdir/hits.jsonl")" 600 "-o: the file is private (0600)"

# --- threads and chunks: the same output ----------------------------------
python3 - "$TMP/big.log" "$L" <<'EOF'
import os, random, sys
rnd = random.Random(7)
src = []
for name in sorted(os.listdir(sys.argv[2])):
    src += open(os.path.join(sys.argv[2], name), "rb").read().split(b"\n")
with open(sys.argv[1], "wb") as f:
    for i in range(60000):
        line = rnd.choice(src)
        if i % 7 == 0:
            line = line + b"\r"
        f.write(line + b"\n")
EOF
"$VAKSAM" hunt -q -j 1 -i "$IND" -f jsonl "$TMP/big.log" >"$TMP/j1.jsonl"
for cs in 4096 65536 1000003; do
	for j in 1 2 4; do
		VAKSAM_CHUNK_SIZE=$cs "$VAKSAM" hunt -q -j $j -i "$IND" -f jsonl \
		    "$TMP/big.log" >"$TMP/jn.jsonl"
		cmp -s "$TMP/j1.jsonl" "$TMP/jn.jsonl"
		_ok $? "chunks of $cs bytes, -j $j: output identical to one thread"
	done
done
VAKSAM_CHUNK_SIZE=4096 "$VAKSAM" hunt -j 2 -i "$IND" -f jsonl "$TMP/big.log" \
    2>"$TMP/chunk.err" >/dev/null
like "$(cat "$TMP/chunk.err")" "60000 lines" "chunks: every line counted once"
res=$(python3 - "$TMP/j1.jsonl" "$TMP/big.log" <<'EOF'
import json, sys
data = open(sys.argv[2], "rb").read()
starts = [0]
for i, b in enumerate(data):
    if b == 10:
        starts.append(i + 1)
bad = n = 0
for l in open(sys.argv[1]):
    r = json.loads(l)
    n += 1
    s = starts[r["line"] - 1]
    line = data[s:data.index(b"\n", s)].rstrip(b"\r").decode()
    if s != r["offset"] or line != r["context"]:
        bad += 1
print(bad, n > 1000)
EOF
)
is "$res" "0 True" "line numbers and offsets exact across chunks"

done_testing
