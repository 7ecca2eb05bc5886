#!/bin/sh
# bench/files/run.sh — vaksam's file sweep against sha256sum and yara.
#
# Builds (once) a tree of >= 50,000 files and >= 5 GiB in bench/out/files
# (git-ignored) with planted hash and YARA hits (gen.py), reads it once so
# that it is in the page cache, then times side by side, for -j1 and -j2:
#   hash:  vaksam hunt -i hashes.txt --format jsonl   vs
#          find … -print0 | xargs -0 -P N sha256sum  (the same bytes)
#   yara:  vaksam hunt --yara rules.yar --format jsonl  vs  yara -r -p N
# and prints MB/s, the ratios and whether every planted hit was found.
# Targets (issue 3): hash >= 0.9 x sha256sum per core and near-linear in
# cores; YARA no slower than 1.1 x yara -r; every planted hit found.
#
# Usage: bench/files/run.sh [--keep]   (--keep: leave the 5 GiB tree)
# Environment: VAKSAM (default build/vaksam), JOBS (default "1 2"),
# CHECKS (default "hash yara").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
out=$top/bench/out/files
VAKSAM=${VAKSAM:-$top/build/vaksam}
JOBS=${JOBS:-"1 2"}
CHECKS=${CHECKS:-"hash yara"}
keep=${1:-}

[ -x "$VAKSAM" ] || { echo "build vaksam first (make)" >&2; exit 2; }
command -v yara >/dev/null || { echo "needs Debian's yara" >&2; exit 2; }
mkdir -p "$out"
if [ ! -f "$out/truth-yara.txt" ]; then
	avail=$(df -Pk "$out" | awk 'NR==2 {print $4}')
	if [ "$avail" -lt $((7 * 1024 * 1024)) ]; then
		echo "need 7 GiB free in $out (df -h: $(df -h "$out" | awk 'NR==2 {print $4}'))" >&2
		exit 2
	fi
	echo "generating the tree (once) in $out/tree …" >&2
	rm -rf "$out/tree"
	python3 "$here/gen.py" "$out"
fi
tree=$out/tree
files=$(find "$tree" -type f | wc -l)
bytes=$(du -sb "$tree" | cut -f1)
echo "tree: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.2f GiB", b / 2^30}')" >&2
echo "warm-up read …" >&2
find "$tree" -type f -print0 | xargs -0 cat >/dev/null

# The machine may be shared: each run is timed for wall clock and for CPU
# (user + system) seconds; CPU MB/s is the per-core figure that load on
# other cores does not distort.  Best of 2 runs by CPU time.
mb() { awk -v b="$bytes" -v t="$1" 'BEGIN {printf "%.0f", b / 1e6 / t}'; }
# timed CMD... : sets $wall and $cpu (seconds); output kept in $res
timed() {
	wall= cpu=
	for _ in 1 2; do
		/usr/bin/time -f "%e %U %S" -o "$res.time" "$@" >"$res" \
		    2>"$res.err" || true
		w=$(awk 'END {print $1}' "$res.time")
		c=$(awk 'END {print $2 + $3}' "$res.time")
		if [ -z "$cpu" ] || awk -v a="$c" -v b="$cpu" 'BEGIN {exit !(a < b)}'; then
			cpu=$c
			wall=$w
		fi
	done
}
# found TRUTH: how many planted paths appear in $res
found() {
	n=0
	while read -r p; do
		grep -Fq "/tree/${p#*/tree/}" "$res" && n=$((n + 1))
	done <"$1"
	echo "$n/$(wc -l <"$1")"
}

res=$out/result
printf '\n%-5s %-3s | %-26s | %-26s | %-13s | %s\n' check -j \
    "vaksam wall, MB/s, CPU MB/s" "other wall, MB/s, CPU MB/s" \
    "ratio wall/cpu" "planted found (vaksam; other)"
row() {	# row CHECK J VWALL VCPU OWALL OCPU FOUND
	printf '%-5s %-3s | %7ss %6s %8s  | %7ss %6s %8s  | %5s %5s   | %s\n' \
	    "$1" "$2" "$3" "$(mb "$3")" "$(mb "$4")" "$5" "$(mb "$5")" \
	    "$(mb "$6")" \
	    "$(awk -v a="$5" -v b="$3" 'BEGIN {printf "%.2f", a / b}')" \
	    "$(awk -v a="$6" -v b="$4" 'BEGIN {printf "%.2f", a / b}')" "$7"
}
for j in $JOBS; do
	case " $CHECKS " in *" hash "*) ;; *) break ;; esac
	timed "$VAKSAM" hunt -q -i "$out/hashes.txt" --format jsonl -j "$j" "$tree"
	vw=$wall vc=$cpu vf=$(found "$out/truth-hashes.txt")
	timed sh -c 'find "$1" -type f -print0 | xargs -0 -n 256 -P "$2" sha256sum' \
	    sh "$tree" "$j"
	row hash "$j" "$vw" "$vc" "$wall" "$cpu" "$vf; sha256sum lists all"
done
for j in $JOBS; do
	case " $CHECKS " in *" yara "*) ;; *) break ;; esac
	timed "$VAKSAM" hunt -q --yara "$here/rules.yar" --format jsonl -j "$j" "$tree"
	vw=$wall vc=$cpu vf=$(found "$out/truth-yara.txt")
	timed yara -r -p "$j" "$here/rules.yar" "$tree"
	of=$(found "$out/truth-yara.txt")
	row yara "$j" "$vw" "$vc" "$wall" "$cpu" "$vf; yara -r $of"
done
echo "(ratio: other's seconds / vaksam's seconds, wall and CPU; > 1: vaksam faster)"
if [ "$keep" != "--keep" ]; then
	echo "removing the tree (keep it with --keep)" >&2
	rm -rf "$tree" "$out/truth-yara.txt"
fi
