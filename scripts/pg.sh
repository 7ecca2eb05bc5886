#!/bin/sh
# pg.sh start|stop — a throwaway PostgreSQL 15 cluster for the tests.
#
#   eval "$(sh scripts/pg.sh start)"   # exports VAKSAM_TEST_PG=postgresql://...
#   sh scripts/pg.sh stop
#
# The cluster lives in a temporary directory owned by the `postgres`
# system user when run as root (initdb refuses root), listens on
# 127.0.0.1 on a free port and on a socket in that directory, and
# accepts only the random password written into the URL.  The state
# (directory, URL) is kept in build/pg.env so that `stop` finds it.
# Exit status 1 (and a message on stderr) when PostgreSQL cannot start.
set -u
cd "$(dirname "$0")/.."
state=$(pwd)/build/pg.env
bin=${PG_BIN:-/usr/lib/postgresql/15/bin}

as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

stop() {
	[ -f "$state" ] || return 0
	dir=$(sed -n 's/^dir=//p' "$state")
	if [ -n "$dir" ] && [ -d "$dir/data" ]; then
		as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop \
		    >/dev/null 2>&1
	fi
	[ -n "$dir" ] && rm -rf "$dir"
	rm -f "$state"
}

start() {
	if [ ! -x "$bin/initdb" ]; then
		echo "pg.sh: no PostgreSQL in $bin (scripts/deps.sh test installs it)" >&2
		return 1
	fi
	stop
	mkdir -p build
	dir=$(mktemp -d /tmp/vaksam-pg.XXXXXX) || return 1
	chmod 0700 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres:postgres "$dir" || return 1
	fi
	echo "dir=$dir" >"$state"
	pw=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
	umask 077
	printf '%s\n' "$pw" >"$dir/pw"
	[ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/pw"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	if ! as_pg "$bin/initdb" -D "$dir/data" -U postgres -A scram-sha-256 \
	    --pwfile="$dir/pw" -E UTF8 --locale=C.UTF-8 --no-sync \
	    >"$dir/initdb.log" 2>&1; then
		cat "$dir/initdb.log" >&2
		echo "pg.sh: initdb failed" >&2
		return 1
	fi
	rm -f "$dir/pw"
	if ! as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
	    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
	    start >/dev/null 2>&1; then
		cat "$dir/server.log" >&2
		echo "pg.sh: PostgreSQL did not start" >&2
		return 1
	fi
	url="postgresql://postgres:$pw@127.0.0.1:$port/vaksam_test"
	if ! PGPASSWORD=$pw "$bin/psql" -q -h 127.0.0.1 -p "$port" \
	    -U postgres -d postgres -c 'CREATE DATABASE vaksam_test' \
	    >/dev/null; then
		echo "pg.sh: cannot create the test database" >&2
		return 1
	fi
	echo "url=$url" >>"$state"
	echo "VAKSAM_TEST_PG='$url'; export VAKSAM_TEST_PG"
}

case "${1:-}" in
start) start || { stop; exit 1; } ;;
stop) stop ;;
*) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
