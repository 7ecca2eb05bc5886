#!/bin/sh
# demo.sh — the README's main job until the portal exists: a hunt with
# sample indicators (a STIX 2.1 bundle with a campaign and a partner's
# defanged plain list) over sample logs (a proxy log, a gzip-compressed
# DNS log, a mail log and JSON-lines endpoint events), printing the hits
# grouped by campaign and the summary.  All names and addresses are
# fictional (.example names, RFC 5737/3849 documentation addresses).
# Usage: sh scripts/demo.sh path/to/vaksam
set -u
bin=${1:?usage: demo.sh path/to/vaksam}
cd "$(dirname "$0")/.."
demo=tests/data/demo
echo "vaksam demo: were we hit by \"Operation Nordlys\"?"
echo "\$ vaksam hunt -i $demo/indicators/nordlys-bundle.json -i $demo/indicators/partner-list.txt $demo/logs"
echo
"$bin" hunt -i "$demo/indicators/nordlys-bundle.json" \
    -i "$demo/indicators/partner-list.txt" "$demo/logs"
status=$?
echo
case $status in
0) echo "vaksam demo: no hits (exit 0)" ;;
1) echo "vaksam demo: hits found (exit 1) — see above; try --format jsonl" ;;
*) echo "vaksam demo: the hunt failed (exit $status)" >&2
   exit "$status" ;;
esac
exit 0
