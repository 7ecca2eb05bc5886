#!/bin/sh
# check.sh — every test of vaksam, as `make check` (the README's test
# command) and CI run it:
#   1. the normal build (warnings as errors) and all its tests;
#   2. the AddressSanitizer + UndefinedBehaviorSanitizer build, running the
#      unit, command-line and fuzz-corpus tests again;
#   3. the release build (-O3, hardening flags, LTO, PGO: `make release`)
#      and its unit tests;
#   4. the libFuzzer harnesses built with clang;
#   5. the source format (clang-format) and the man pages (mandoc -Tlint,
#      inside the test suites).
# Ends with one line "N passed, N failed".  Exit status 0 only when
# nothing failed.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
res=$top/build/check-results.txt
mkdir -p build
: >"$res"
logs=""
jobs=$(nproc 2>/dev/null || echo 2)

# A throwaway PostgreSQL for the store tests (VAKSAM_TEST_PG); without it
# they skip, or fail under CI=true.
if pg_env=$(sh scripts/pg.sh start); then
	eval "$pg_env"
else
	echo "== PostgreSQL did not start; its tests skip (fail under CI)" >&2
fi
trap 'sh scripts/pg.sh stop' EXIT

step() {	# step NAME CMD... — a build step that counts as one test
	name=$1
	shift
	echo "== $name" >&2
	if "$@" >"$top/build/step.log" 2>&1; then
		echo "ok $name" >>"$res"
		return 0
	fi
	tail -40 "$top/build/step.log" >&2
	echo "not ok $name" >>"$res"
	return 1
}

setup() {	# setup DIR [meson options]
	dir=$1
	shift
	if [ -f "$dir/build.ninja" ]; then
		meson setup --reconfigure "$dir" "$@"
	else
		meson setup "$dir" "$@"
	fi
}

suite() {	# suite DIR [meson test options]
	dir=$1
	shift
	echo "== tests in $dir" >&2
	meson test -C "$dir" --print-errorlogs --num-processes "$jobs" "$@" \
	    >&2 || true
	cp "$dir/meson-logs/testlog.json" "$top/build/testlog-$(basename "$dir").json" 2>/dev/null
	logs="$logs $top/build/testlog-$(basename "$dir").json"
}

# The browser tests' playwright-core, pinned by tests/browser/package-lock.json.
step "npm ci (tests/browser)" sh -c 'cd tests/browser && npm ci --no-audit --no-fund'

if step "build (gcc, -Werror)" setup build && step "compile" ninja -C build; then
	suite build
fi

# The release build (`make release`): -O3 with the hardening flags
# (_FORTIFY_SOURCE, stack protector, relro/now), LTO and PGO, which see
# warnings the others do not; it is the build the benchmark measures.
if step "build (release: hardening, LTO, PGO)" \
    sh scripts/release.sh build-release; then
	suite build-release --suite unit
fi

if step "build (ASan+UBSan)" setup build-asan -Db_sanitize=address,undefined \
    -Db_lundef=false --buildtype=debug &&
    step "compile (ASan+UBSan)" ninja -C build-asan; then
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    suite build-asan --suite unit --suite cli --suite fuzz --suite api
fi

if command -v clang >/dev/null 2>&1; then
	CC=clang step "build fuzz harnesses (clang, libFuzzer)" setup build-fuzz \
	    -Dfuzz=true -Db_sanitize=address,undefined -Db_lundef=false \
	    --buildtype=debug &&
	    step "compile fuzz harnesses" ninja -C build-fuzz
fi

step "clang-format" sh -c 'clang-format --dry-run --Werror $(git ls-files "*.c" "*.h" 2>/dev/null || find src tests -name "*.[ch]")'

python3 scripts/count-tests.py $logs "$res"
