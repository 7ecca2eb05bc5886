#!/bin/sh
# release.sh — the optimised build of vaksam (`make release`): -O3 with
# the hardening flags (meson.build), link-time optimisation, and
# profile-guided optimisation (GCC -fprofile-use).
#
# The profile comes from one training sweep: `vaksam hunt` with 100,000
# generated indicators over 32 MiB of generated logs of every format the
# benchmark knows (bench/hunt/gen.py with its own seed, 7, so the
# training logs are not the benchmark's).  Code the sweep does not run
# (the portal, the importers' rare paths) is optimised as without a
# profile (-fprofile-partial-training), not as if it were cold.
#
# Usage: sh scripts/release.sh [BUILDDIR]   (default build-release)
# Needs python3 for the generator; takes about a minute.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
b=${1:-$top/build-release}
train=$b/pgo-train
want="size_mb=32 seed=7 max_iocs=100000"

# Nothing to do when this source tree was built so already.
stamp=$(cd "$top" && { git rev-parse HEAD 2>/dev/null; git status \
    --porcelain 2>/dev/null | grep -v '^??'; } | cksum)
if [ -f "$b/vaksam" ] && [ "$(cat "$b/pgo-stamp" 2>/dev/null)" = "$stamp" ]
then
	echo "release.sh: $b/vaksam is up to date" >&2
	exit 0
fi
rm -f "$b/pgo-stamp"

if [ -f "$b/build.ninja" ]; then
	meson configure "$b" --buildtype=release -Db_lto=true -Db_pgo=generate \
	    -Dc_args= >/dev/null
else
	meson setup "$b" "$top" --buildtype=release -Db_lto=true \
	    -Db_pgo=generate >/dev/null
fi
echo "release.sh: building the instrumented vaksam ..." >&2
ninja -C "$b" vaksam >/dev/null

if [ "$(cat "$train/params.txt" 2>/dev/null)" != "$want" ]; then
	rm -rf "$train"
	python3 "$top/bench/hunt/gen.py" --size-mb 32 --seed 7 \
	    --max-iocs 100000 --jobs 1 --out "$train" >/dev/null
fi
find "$b" -name '*.gcda' -delete
echo "release.sh: training sweep ..." >&2
st=0
"$b/vaksam" hunt -q --checks lines -j1 -i "$train/iocs-100k.txt" \
    --format jsonl "$train/logs" >/dev/null || st=$?
if [ "$st" -gt 1 ]; then
	echo "release.sh: the training sweep failed (exit $st)" >&2
	exit 1
fi

# Objects that are not part of vaksam (tests, benchmarks) have no
# profile: that is expected, not a warning.
meson configure "$b" -Db_pgo=use \
    -Dc_args="-fprofile-partial-training -Wno-missing-profile" >/dev/null
echo "release.sh: building with the profile ..." >&2
ninja -C "$b" >/dev/null
echo "$stamp" >"$b/pgo-stamp"
echo "release.sh: $b/vaksam" >&2
