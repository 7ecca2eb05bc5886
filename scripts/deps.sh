#!/bin/sh
# Installs the Debian 12 packages vaksam needs, only those that are missing.
# Usage: scripts/deps.sh [build|test|bench]   (default: build)
#   build  what building and running vaksam needs
#   test   build + what the test suite needs (sanitizers, fuzzing, PostgreSQL,
#          browsers, man-page lint, comparison tools)
#   bench  test + what the benchmarks compare against
set -eu

build="gcc make meson ninja-build pkgconf python3
 zlib1g-dev libbz2-dev liblzma-dev libzstd-dev
 libidn2-dev libpsl-dev libjansson-dev libpcre2-dev libssl-dev
 libsodium-dev libsqlite3-dev libpq-dev libmicrohttpd-dev
 libyara-dev libevtx-dev libcurl4-openssl-dev gettext"
test="clang libclang-rt-14-dev libcmocka-dev mandoc clang-format
 postgresql sqlite3 ripgrep yara gzip bzip2 xz-utils zstd
 chromium"
bench="wrk nginx-light hyperfine time"

want="$build"
case "${1:-build}" in
build) ;;
test) want="$build $test" ;;
bench) want="$build $test $bench" ;;
*) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
# Node.js may come from elsewhere than Debian (with its own npm); only
# install Debian's when there is none.
if [ "${1:-build}" != build ] && ! command -v npm >/dev/null 2>&1; then
	missing="$missing nodejs npm"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root, or: sudo apt-get install$missing" >&2
	exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine may have empty package lists; refresh them once.
if ! apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $missing
fi
