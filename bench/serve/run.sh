#!/bin/sh
# bench/serve/run.sh — how fast `vaksam serve` answers, next to nginx.
#
# Starts vaksam serve (SQLite store, demo users, an API token) and nginx
# (a temporary config on another loopback port serving a static file of
# the same size as the JSON answer), then runs wrk against:
#   1. GET /api/v1/me with an API token (JSON, authenticated);
#   2. GET / (the dashboard page) with a session cookie;
#   3. the nginx file (the ceiling);
# and prints requests/s, p99 latency and the ratio to nginx, then a
# fixed-rate run of 1,000 requests/s against the JSON GET for p99
# (bench/serve/fixed-rate.lua: wrk with a per-connection delay, since
# wrk2 is not in Debian 12).  Needs: wrk, nginx-light (scripts/deps.sh
# bench).  Usage: sh bench/serve/run.sh [BUILD_DIR]  (DURATION=10s)
set -eu
cd "$(dirname "$0")/../.."
top=$(pwd)
build=${1:-build}
vaksam=$top/$build/vaksam
dur=${DURATION:-10s}
conns=${CONNECTIONS:-64}
threads=${THREADS:-2}
[ -x "$vaksam" ] || { echo "run.sh: build first (no $vaksam)" >&2; exit 1; }
command -v wrk >/dev/null || { echo "run.sh: wrk missing (sh scripts/deps.sh bench)" >&2; exit 1; }
command -v nginx >/dev/null || { echo "run.sh: nginx missing (sh scripts/deps.sh bench)" >&2; exit 1; }

tmp=$(mktemp -d /tmp/vaksam-bench.XXXXXX)
vpid=
npid=
cleanup() {
	[ -n "$vpid" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null
	[ -n "$npid" ] && kill "$npid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"$vaksam" serve --demo --data "$tmp/data" --listen 127.0.0.1:0 \
    >"$tmp/serve.out" 2>"$tmp/serve.log" &
vpid=$!
i=0
until grep -q 'portal is at' "$tmp/serve.out" 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 300 ] || { cat "$tmp/serve.log" >&2; exit 1; }
	sleep 0.1
done
base=$(sed -n 's/.*portal is at \(http:[^ ]*\)\/$/\1/p' "$tmp/serve.out")
pw=$(awk '$2 == "eva.ek" { print $3 }' "$tmp/serve.out")
token=$("$vaksam" token create --user eva.ek --name bench --data "$tmp/data" |
    grep -o 'vk_[0-9]*_[0-9a-f]*')
cookie=$(curl -s -D - -o /dev/null -H 'Content-Type: application/json' \
    -d "{\"username\":\"eva.ek\",\"password\":\"$pw\"}" "$base/api/v1/session" |
    sed -n 's/^Set-Cookie: \(vaksam_session=[^;]*\).*/\1/p')
[ -n "$token" ] && [ -n "$cookie" ] || { echo "run.sh: no token or session" >&2; exit 1; }
size=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/me" | wc -c)
dsize=$(curl -s -H "Cookie: $cookie" "$base/" | wc -c)

# nginx: same machine, same loopback, a file of the JSON answer's size.
nport=$(free_port)
mkdir -p "$tmp/nginx/html" "$tmp/nginx/logs"
head -c "$size" /dev/zero | tr '\0' x >"$tmp/nginx/html/me.json"
# nginx workers run as nobody when started by root: let them read it.
chmod 0755 "$tmp" "$tmp/nginx" "$tmp/nginx/html"
chmod 0644 "$tmp/nginx/html/me.json"
cat >"$tmp/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	client_body_temp_path $tmp/nginx;
	proxy_temp_path $tmp/nginx;
	fastcgi_temp_path $tmp/nginx;
	uwsgi_temp_path $tmp/nginx;
	scgi_temp_path $tmp/nginx;
	server {
		listen 127.0.0.1:$nport;
		root $tmp/nginx/html;
		default_type application/json;
	}
}
CONF
nginx -c "$tmp/nginx/nginx.conf" -p "$tmp/nginx" -g 'daemon off;' &
npid=$!
sleep 0.5

# run NAME URL [HEADER] — prints "NAME req/s p99"
run() {
	if [ -n "${3:-}" ]; then
		wrk -t"$threads" -c"$conns" -d"$dur" --latency -H "$3" "$2" >"$tmp/wrk.out"
	else
		wrk -t"$threads" -c"$conns" -d"$dur" --latency "$2" >"$tmp/wrk.out"
	fi
	rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.out")
	p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")
	errs=$(awk '/Non-2xx|Socket errors/ { printf "%s ", $0 }' "$tmp/wrk.out")
	echo "$1 $rps $p99 $errs"
}

echo "vaksam serve vs nginx on $(nproc) cores; wrk -t$threads -c$conns -d$dur; JSON $size bytes, dashboard $dsize bytes"
json=$(run json "$base/api/v1/me" "Authorization: Bearer $token")
dash=$(run dashboard "$base/" "Cookie: $cookie")
ngx=$(run nginx "http://127.0.0.1:$nport/me.json")
ngx_rps=$(echo "$ngx" | awk '{ print $2 }')
printf '\n%-34s %12s %10s %10s\n' "target" "requests/s" "p99" "vs nginx"
for line in "$json" "$dash" "$ngx"; do
	set -- $line
	case $1 in
	json) name="GET /api/v1/me (Bearer token)" ;;
	dashboard) name="GET / dashboard (session cookie)" ;;
	nginx) name="nginx static file, same size" ;;
	esac
	ratio=$(awk -v a="$2" -v b="$ngx_rps" 'BEGIN { printf "%.2f", a / b }')
	printf '%-34s %12s %10s %10s %s\n' "$name" "$2" "$3" "$ratio" "${4:-}"
	shift 3
	[ $# -gt 0 ] && echo "   ($*)"
done

# Fixed rate: 10 connections, each waiting 9 ms after every answer; wrk's
# timer and the answer add about 1 ms, so the rate is close to 1,000/s
# (the achieved rate is printed).
AUTH_HEADER="Authorization: Bearer $token" DELAY_MS=${DELAY_MS:-9} \
    wrk -t2 -c10 -d"$dur" --latency -s bench/serve/fixed-rate.lua \
    "$base/api/v1/me" >"$tmp/wrk.out"
rps=$(awk '/^Requests\/sec:/ { print $2 }' "$tmp/wrk.out")
p50=$(awk '$1 == "50%" { print $2 }' "$tmp/wrk.out")
p99=$(awk '$1 == "99%" { print $2 }' "$tmp/wrk.out")
printf '\nfixed rate (target 1000/s): %s requests/s, p50 %s, p99 %s\n' "$rps" "$p50" "$p99"
echo "targets: JSON >= 10000/s, dashboard >= 2000/s, p99 < 20ms at 1000/s"
