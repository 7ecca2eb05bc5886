#!/bin/sh
# test_hunt_files.sh — `vaksam hunt` over files (issue 3): one sweep over a
# tree mixing logs, binaries with planted hashes, YARA targets, an event
# log, file-name indicators, excluded globs, a FIFO, a dangling link,
# awkward names and an oversize file; and rules that do not compile.
. "$SRCDIR/tests/cli/lib.sh"

RULES=$SRCDIR/tests/data/yara
EVTX=$SHARED/data/evtx/sysmon_3_10_Invoke-Mimikatz_hosted_Github.evtx
T=$TMP/t
mkdir -p "$T/sub" "$T/payload" "$T/skipme" "$T/big"
printf 'Jan  1 00:00:01 gw sshd[1]: from 151.101.36.133 for evil.se\n' \
    >"$T/auth.log"
printf 'abc' >"$T/sub/a.bin"                    # sha1 of "abc" is planted
printf 'MZ\0\0 VAKSAM_EVIL_MARKER evil.se\0' >"$T/payload/dropper.exe"
printf 'evil.se\n' >"$T/skipme/hidden.log"      # excluded directory
printf 'evil.se\n' >"$T/notes.tmp"              # excluded glob
head -c 4096 /dev/zero >"$T/big/huge.bin"       # over --max-size 1K
printf 'abc' >>"$T/big/huge.bin"
mkfifo "$T/fifo"
ln -s /nonexistent/target "$T/dangling"
printf 'evil.se\n' >"$T/$(printf 'new\nline.log')"
printf 'evil.se\n' >"$T/$(printf 'bad\377name.log')"
if [ -r "$EVTX" ]; then
	cp "$EVTX" "$T/sysmon.evtx"
fi

cat >"$TMP/ind.txt" <<'X'
151.101.36.133
evil.se
a9993e364706816aba3e25717850c26c9cd0d89d
X
printf 'type,value\nfilename,Dropper.EXE\n' >"$TMP/names.csv"
printf '%s\n' '\\big\\huge\.bin;70' '/sub/.*\.bin;60;/sub/a\.bin' \
    >"$TMP/loki.txt"

run "$VAKSAM" hunt -i "$TMP/ind.txt" -i "$TMP/names.csv" -i "$TMP/loki.txt" \
    --yara "$RULES/good" --strings --format jsonl --max-size 1K \
    --list-skipped --exclude skipme --exclude '*.tmp' -j 2 "$T"
is "$STATUS" 1 "hits: exit status 1"
J=$OUT
like "$J" '"file":"[^"]*/auth.log","line":1,.*"indicator":"evil.se".*"kind":"line"' \
    "a log line hit, kind line"
like "$J" '"file":"[^"]*/sub/a.bin",.*"type":"sha1",.*"kind":"hash","size":3,"mtime":"[0-9-]+T[0-9:.]+Z","sha1":"a9993e364706816aba3e25717850c26c9cd0d89d","sha256":"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"' \
    "planted hash found, with size, mtime, sha1 and sha256"
like "$J" '"file":"[^"]*/payload/dropper.exe",.*"type":"yara",.*"kind":"yara",.*"rule":"marker_text","namespace":"basic","tags":\["apt10","cloudhopper"\],"meta":\{"description":"plain-text marker planted by the tests","score":75,"confirmed":true\},"strings":\[\{"id":"\$a","offset":5,"length":18,"data":"VAKSAM_EVIL_MARKER"\}\]' \
    "YARA hit with rule, namespace, tags, meta and strings with offsets"
like "$J" '"file":"[^"]*/payload/dropper.exe",.*"indicator":"Dropper.EXE","type":"filename",.*"kind":"filename"' \
    "file-name indicator, case-insensitive"
unlike "$J" '"file":"[^"]*/payload/dropper.exe","line":1' \
    "a binary (NUL in the head) is not line-scanned"
unlike "$J" 'skipme|notes\.tmp' "--exclude: directory and glob not swept"
unlike "$J" '"indicator":"/sub/' "a Loki false-positive regex suppresses"
like "$J" '"file":"[^"]*/new\\nline.log","line":1' \
    "a newline in a path is escaped in jsonl"
like "$J" '"file":"[^"]*/bad\\\\xffname.log","line":1' \
    "invalid UTF-8 in a path is escaped in jsonl"
if [ -r "$EVTX" ]; then
	like "$J" '"file":"[^"]*/sysmon.evtx","line":0,"offset":0,"indicator":"151.101.36.133","type":"ipv4","matched":"151.101.36.133","field":"EventData.DestinationIp",.*"kind":"evtx",.*"channel":"Microsoft-Windows-Sysmon/Operational","provider":"Microsoft-Windows-Sysmon","computer":"IEWIN7","event_id":3,"record":10272,"time":"2019-05-02T14:48:53.950750000Z"' \
	    "event-log hit: field, channel, EventID, record, time"
elif [ "${CI:-}" = true ]; then
	_ok 1 "the shared event log $EVTX is missing (CI must have ../shared)"
else
	_ok 0 "# SKIP no $EVTX"
fi
like "$ERR" 'skipped: [^ ]*/big/huge.bin: hash: larger than --max-size' \
    "oversize file listed as skipped for hashing"
like "$ERR" 'skipped: [^ ]*/big/huge.bin: yara: larger than --max-size' \
    "oversize file listed as skipped for YARA"
unlike "$J" 'big/huge.bin",.*"kind":"hash"' "oversize file not hashed"
like "$J" 'big/huge.bin",.*"type":"filename"' \
    "a Windows-style Loki regex matches a '/' path"
like "$ERR" 'skipped: [^ ]*/fifo: walk: special file' "FIFO skipped and named"
like "$ERR" 'skipped: [^ ]*/dangling: walk: symbolic link' \
    "dangling link skipped and named"
like "$ERR" 'checks \(inputs covered / skipped\): line [0-9]+ / [1-9][0-9]* \([^)]*binary' \
    "summary: per-check coverage and reasons"
# huge.bin and the event log are over 1K.
like "$ERR" 'hash [0-9]+ / 2 \(2 larger than --max-size\)' \
    "summary: hashing skipped twice, why"
like "$ERR" 'YARA rule hits: 2' "summary: YARA hits counted (marker, name)"

# The same sweep in csv and text: the awkward names stay escaped.
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --format csv "$T"
like "$OUT" '^kind,|,to_ids,kind,size,mtime,md5,sha1,sha256,sha512,rule,namespace,tags,meta,strings,channel,provider,computer,event_id,record,time' \
    "csv header has the file columns"
like "$OUT" '"[^"]*/new$' "csv quotes a path with a newline"
like "$OUT" 'bad\\xffname.log' "csv escapes invalid UTF-8"
like "$OUT" 'sub/a.bin,0,0,a9993e364706816aba3e25717850c26c9cd0d89d,sha1,.*,hash,3,' \
    "csv hash hit with kind and size"
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --format text --color never "$T"
like "$OUT" 'new\\x0aline.log:1:' "text escapes a newline in a path"
like "$OUT" 'bad\\xffname.log:1:' "text escapes invalid UTF-8 in a path"
like "$OUT" 'sub/a.bin: \[file hash sha1\]' "text labels a hash hit"

# Symbolic links are followed only with --follow.
ln -s "$T/sub" "$TMP/linkdir"
mkdir "$TMP/l"
ln -s "$T/sub" "$TMP/l/sub"
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --format jsonl "$TMP/l"
is "$STATUS" 0 "a link inside a directory is not followed by default"
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --format jsonl --follow "$TMP/l"
like "$OUT" '"kind":"hash"' "--follow follows it"

# Known-good hashes: the empty-file warninglist through --allow.
mkdir "$TMP/e"
: >"$TMP/e/empty.dat"
E256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
printf '%s\n' "$E256" >"$TMP/empty.txt"
run "$VAKSAM" hunt -q -i "$TMP/empty.txt" --format jsonl "$TMP/e"
like "$OUT" '"kind":"hash"' "the empty file's digest hits without --allow"
run "$VAKSAM" hunt -i "$TMP/empty.txt" --format jsonl \
    --allow "$SRCDIR/tests/data/warninglists/empty-hashes.json" "$TMP/e"
is "$OUT" "" "an allow-listed hash is not reported"
like "$ERR" 'suppressed by allow-lists: 1' "and the suppression is counted"

# /proc and /sys are never swept (recognised by file-system type).
if [ -d /proc/self ]; then
	run "$VAKSAM" hunt -i "$TMP/ind.txt" --list-skipped /proc/self
	like "$ERR" 'skipped: /proc/self: walk: /proc or /sys' "/proc is skipped"
else
	_ok 0 "# SKIP no /proc"
fi

# Rules that do not compile: named with file and line, nothing scanned.
run "$VAKSAM" hunt -i "$TMP/ind.txt" --yara "$RULES/bad" --format jsonl "$T"
is "$STATUS" 2 "bad rules: exit status 2"
like "$ERR" 'bad/broken.yar:3: error: YARA: undefined identifier' \
    "bad rules: file:line and YARA's message"
is "$OUT" "" "bad rules: nothing scanned"

# An unreadable directory is reported and the sweep goes on.  As root
# (CI) permissions do not apply, so the sweep runs as nobody over a
# world-readable copy of the tree and of the binary.
U=$(mktemp -d)
chmod 755 "$U"
mkdir -p "$U/t/locked" "$U/t/sub"
printf 'abc' >"$U/t/sub/a.bin"
printf 'secret\n' >"$U/t/locked/x.log"
cp "$TMP/ind.txt" "$U/ind.txt"
cp "$VAKSAM" "$U/vaksam"
chmod -R a+rX "$U"
chmod 000 "$U/t/locked"
if [ "$(id -u)" = 0 ]; then
	run setpriv --reuid=65534 --regid=65534 --clear-groups \
	    "$U/vaksam" hunt -i "$U/ind.txt" --format jsonl "$U/t"
else
	run "$U/vaksam" hunt -i "$U/ind.txt" --format jsonl "$U/t"
fi
chmod 755 "$U/t/locked"
rm -rf "$U"
is "$STATUS" 2 "unreadable directory: exit status 2"
like "$ERR" 'locked: unreadable' "unreadable directory named"
like "$OUT" '"kind":"hash"' "the rest of the sweep completes"

# YARA only, no -i; a damaged event log does not end the sweep.
if [ -r "$EVTX" ]; then
	head -c 5000 "$EVTX" >"$T/cut.evtx"
fi
run "$VAKSAM" hunt --yara "$RULES/good" -i "$TMP/ind.txt" --format jsonl "$T"
is "$STATUS" 1 "with a truncated event log the sweep still reports"
like "$ERR" 'event logs: [0-9]+ records read, [1-9][0-9]* damaged' \
    "the damaged event log is counted"
run "$VAKSAM" hunt -q --yara "$RULES/good/basic.yar" --format jsonl "$T/payload"
like "$OUT" '"rule":"marker_text"' "--yara alone, without -i"

# --checks: only the checks named run.
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --checks lines --format jsonl "$T/sub" \
    "$T/auth.log"
is "$STATUS" 1 "--checks lines: the log hit still counts"
unlike "$OUT" '"kind":"hash"' "--checks lines: files are not hashed"
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" --checks hashes --format jsonl \
    "$T/sub" "$T/auth.log"
like "$OUT" '"kind":"hash"' "--checks hashes: the planted hash is found"
unlike "$OUT" '"kind":"line"' "--checks hashes: lines are not scanned"
run "$VAKSAM" hunt -q -i "$TMP/ind.txt" -i "$TMP/names.csv" \
    --checks lines,names --format jsonl "$T/payload"
like "$OUT" '"kind":"filename"' "--checks lines,names: a list of checks"
run "$VAKSAM" hunt -i "$TMP/ind.txt" --checks lines,bogus "$T"
is "$STATUS" 2 "--checks with an unknown word: exit 2"
like "$ERR" "--checks wants .* not 'bogus'" "... naming the word"
run "$VAKSAM" hunt --yara "$RULES/good" --checks lines "$T"
is "$STATUS" 2 "--yara with --checks leaving out yara: exit 2"

done_testing
