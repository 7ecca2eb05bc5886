#!/bin/sh
# run.sh — the hunt benchmark of issue 2 (`make bench`).
#
# Generates realistic logs with planted hits and decoys (gen.py; only when
# bench/out does not already hold a set made with the same parameters),
# then runs on the same files, side by side:
#   vaksam hunt --checks lines --format jsonl   -j1 (one core) and -jN
#   (all cores); --checks lines: the log sweep alone, as grep and rg do
#   it (by default hash indicators also make vaksam hash every file)
#   grep -F -i -n -r -f          (reads only uncompressed files)
#   rg -F -w -i -n -f            (Debian's ripgrep; likewise)
# for the indicator sets of 1,000, 100,000 and 1,000,000, and prints for each
# tool and set: MB/s, peak RSS (/usr/bin/time -f %M), recall and precision
# against the planted truth (score.py, line level) and vaksam's speed as a
# ratio to it.  vaksam is also run over the compressed files, for recall.
#
# Environment:
#   SIZE_MB   uncompressed log size (default 1024)
#   TIMEOUT   seconds each external tool may run per set (default 600);
#             a tool that does not finish is reported as such
#   EXT_MB    give grep and rg (and the vaksam run they are compared with)
#             only the first EXT_MB of the uncompressed files (default: all)
#   SETS      which indicator sets (default "1k 100k 1m")
#   TOOLS     which external tools (default "grep rg"; "" for vaksam only)
#   REPEAT    runs of each vaksam measurement (default 3); the one with
#             the least CPU time is reported, with the highest peak RSS of
#             all (a shared machine's neighbours only ever add time)
#   VAKSAM    the binary (default: `make release`, the -O3 + LTO + PGO
#             build in build-release/)
#   OUT       where the data lives (default bench/out, git-ignored)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/bench/hunt
OUT=${OUT:-$top/bench/out}
SIZE_MB=${SIZE_MB:-1024}
TIMEOUT=${TIMEOUT:-600}
SETS=${SETS:-1k 100k 1m}
TOOLS=${TOOLS-grep rg}
EXT_MB=${EXT_MB:-}
REPEAT=${REPEAT:-3}
ncpu=$(nproc 2>/dev/null || echo 1)

if [ -z "${VAKSAM:-}" ]; then
	sh "$top/scripts/release.sh" "$top/build-release"
	VAKSAM=$top/build-release/vaksam
fi

want="size_mb=$SIZE_MB seed=1 max_iocs=1000000"
if [ "$(cat "$OUT/params.txt" 2>/dev/null)" != "$want" ]; then
	echo "run.sh: generating $SIZE_MB MiB of logs in $OUT ..." >&2
	rm -rf "$OUT/logs"
	python3 "$here/gen.py" --size-mb "$SIZE_MB" --out "$OUT"
fi

logs=$OUT/logs
plain=$logs/plain
work=$OUT/run
rm -rf "$work"
mkdir -p "$work"

# The files the external tools get (all plain files, or the first EXT_MB).
ext_files=""
ext_paths=""
ext_bytes=0
for f in $(ls "$plain" | sort); do
	sz=$(stat -c %s "$plain/$f")
	if [ -n "$EXT_MB" ] && [ $ext_bytes -ge $((EXT_MB * 1048576)) ]; then
		break
	fi
	ext_files="$ext_files${ext_files:+,}plain/$f"
	ext_paths="$ext_paths $plain/$f"
	ext_bytes=$((ext_bytes + sz))
done
plain_bytes=$(cat "$plain"/* | wc -c)
comp_bytes=$(cat "$logs"/compressed/* | wc -c)

# run NAME CMD... — runs CMD under /usr/bin/time and timeout; prints
# "seconds peak_kib cpu_seconds status"
run() {
	name=$1
	shift
	st=0
	/usr/bin/time -f "%e %M %U %S" -o "$work/$name.time" \
	    timeout "$TIMEOUT" "$@" >"$work/$name.out" 2>"$work/$name.err" ||
	    st=$?
	tail -1 "$work/$name.time" | awk -v st="$st" \
	    '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, st }'
}

# best NAME CMD... — run() REPEAT times; prints the line of the run with
# the least CPU time, with the highest peak RSS of all runs
best() {
	name=$1
	shift
	k=0
	: >"$work/$name.runs"
	while [ "$k" -lt "$REPEAT" ]; do
		run "$name" "$@" >>"$work/$name.runs"
		k=$((k + 1))
	done
	sort -n -k3 "$work/$name.runs" | awk -v m="$(sort -n -k2 \
	    "$work/$name.runs" | tail -1 | cut -d' ' -f2)" \
	    'NR == 1 { print $1, m, $3, $4 }'
}

mbs() {	# mbs BYTES SECONDS
	awk -v b="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01;
	    printf "%.0f", b / s / 1e6 }'
}

echo
echo "vaksam hunt benchmark: $(nproc) CPUs, $(uname -m), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "logs: $plain_bytes bytes uncompressed in $(ls "$plain" | wc -l) files" \
    "(+ $comp_bytes bytes gzip/zstd, vaksam only);" \
    "grep/rg get $ext_bytes bytes; timeout $TIMEOUT s per external run"
printf "\n%-6s %-22s %7s %9s %10s %8s  %-34s %s\n" set tool MB/s \
    "MB/s CPU" "peak RSS" seconds "recall precision (line level)" \
    "vaksam -j$ncpu is"
for set in $SETS; do
	iocs=$OUT/iocs-$set.txt
	grep -v '^#' "$iocs" >"$work/pat-$set.txt"
	isz=$(stat -c %s "$iocs")
	# vaksam: plain files, one core and all cores
	for j in 1 "$ncpu"; do
		r=$(best "v$set-j$j" "$VAKSAM" hunt -q --checks lines -i "$iocs" \
		    --format jsonl -j "$j" "$plain")
		set -- $r
		# the truth rows of the plain files
		sc=$(python3 "$here/score.py" "$OUT/truth.tsv" \
		    "$work/v$set-j$j.out" --format jsonl --logs "$logs" \
		    --scope plain/ | awk '{ printf "%s %s (fp %s, fn %s)", $2, $4, $8, $10 }')
		printf "%-6s %-22s %7s %9s %8s K %8s  %-34s\n" "$set" \
		    "vaksam -j$j" "$(mbs "$plain_bytes" "$1")" \
		    "$(mbs "$plain_bytes" "$3")" "$2" "$1" "$sc"
		if [ "$j" = "$ncpu" ]; then
			vsec=$1
			vrss=$2
		else
			v1cpu=$3
		fi
	done
	echo "       (peak RSS $vrss KiB = $(awk -v r="$vrss" -v s="$isz" \
	    'BEGIN { printf "%.2f", r * 1024 / s }') x the indicator file of $isz bytes)"
	# vaksam with the compressed files too
	r=$(run "v$set-all" "$VAKSAM" hunt -q --checks lines -i "$iocs" --format jsonl \
	    -j "$ncpu" "$logs")
	set -- $r
	sc=$(python3 "$here/score.py" "$OUT/truth.tsv" "$work/v$set-all.out" \
	    --format jsonl --logs "$logs" |
	    awk '{ printf "%s %s (fp %s, fn %s)", $2, $4, $8, $10 }')
	printf "%-6s %-22s %7s %9s %8s K %8s  %-34s\n" "$set" "vaksam +gz/zst" \
	    "$(mbs "$((plain_bytes + comp_bytes))" "$1")" \
	    "$(mbs "$((plain_bytes + comp_bytes))" "$3")" "$2" "$1" "$sc"
	# vaksam on the external tools' files, for the ratio
	if [ -n "$EXT_MB" ]; then
		# shellcheck disable=SC2086
		r=$(best "v$set-ext" "$VAKSAM" hunt -q --checks lines -i "$iocs" \
		    --format jsonl -j "$ncpu" $ext_paths)
		set -- $r
		vsec=$1
		vcpu=$3
		printf "%-6s %-22s %7s %9s %8s K %8s\n" "$set" \
		    "vaksam (grep's files)" "$(mbs "$ext_bytes" "$1")" \
		    "$(mbs "$ext_bytes" "$3")" "$2" "$1"
	fi
	vmbs=$(mbs "$ext_bytes" "$vsec")
	[ -n "$EXT_MB" ] || vcpu=$v1cpu
	vcmbs=$(mbs "$ext_bytes" "$vcpu")
	for tool in $TOOLS; do
		# shellcheck disable=SC2086
		if [ "$tool" = grep ]; then
			r=$(run "$tool$set" grep -F -i -n -H -f "$work/pat-$set.txt" \
			    $ext_paths)
		else
			r=$(run "$tool$set" rg -F -w -i -n -H --no-heading -uu \
			    -f "$work/pat-$set.txt" $ext_paths)
		fi
		set -- $r
		if [ "$4" = 124 ] || [ "$4" = 137 ]; then
			printf "%-6s %-22s %7s %9s %8s K %8s  %s\n" "$set" "$tool" \
			    "-" "-" "$2" ">$TIMEOUT" "did not finish in $TIMEOUT s"
			continue
		fi
		if [ "$4" != 0 ] && [ "$4" != 1 ]; then
			printf "%-6s %-22s %7s %9s %8s K %8s  %s\n" "$set" "$tool" \
			    "-" "-" "$2" "$1" "failed (exit $4): $(grep -v \
			    '^Command exited' "$work/$tool$set.err" | head -1)"
			continue
		fi
		sc=$(python3 "$here/score.py" "$OUT/truth.tsv" "$work/$tool$set.out" \
		    --format grep --logs "$logs" --files "$ext_files" |
		    awk '{ printf "%s %s (fp %s, fn %s)", $2, $4, $8, $10 }')
		tm=$(mbs "$ext_bytes" "$1")
		tc=$(mbs "$ext_bytes" "$3")
		printf "%-6s %-22s %7s %9s %8s K %8s  %-34s %sx wall, %sx CPU\n" \
		    "$set" "$tool" "$tm" "$tc" "$2" "$1" "$sc" \
		    "$(awk -v a="$vmbs" -v b="$tm" \
		    'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')" \
		    "$(awk -v a="$vcmbs" -v b="$tc" \
		    'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }')"
	done
done
echo
echo "MB/s = uncompressed bytes / wall seconds (files in page cache after the"
echo "first run); MB/s CPU = bytes / (user + system) seconds, which says more"
echo "on a shared machine (per core for -j1).  Ratios: vaksam -j$ncpu against"
echo "the tool by wall time, and vaksam's CPU time (-j1, or the run on"
echo "grep's files) against the tool's.  Recall/precision: line level"
echo "against $OUT/truth.tsv.  vaksam's runs on plain files are the best of"
echo "$REPEAT by CPU time, with the highest peak RSS of the $REPEAT."
