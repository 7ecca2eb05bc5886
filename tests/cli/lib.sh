# lib.sh — TAP helpers for command-line tests.  Source it from a
# tests/cli/test_*.sh; $VAKSAM is the binary, $SRCDIR the source tree.
#
#   run CMD...          runs CMD, keeping stdout in $OUT, stderr in $ERR and
#                       the exit status in $STATUS
#   is A B NAME         ok when A = B
#   like TEXT PATTERN NAME   ok when TEXT matches the grep -E PATTERN
#   unlike TEXT PATTERN NAME ok when it does not
#   done_testing        prints the plan; exits 1 if anything failed
set -u
: "${VAKSAM:?set VAKSAM to the vaksam binary}"
: "${SRCDIR:?set SRCDIR to the source tree}"
SHARED=${SHARED:-$SRCDIR/../shared}
[ -d "$SHARED/data" ] || SHARED=$SRCDIR/../../shared
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
_n=0
_failed=0
OUT=
ERR=
STATUS=

run() {
	"$@" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

_ok() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		echo "not ok $_n - $2"
		_failed=$((_failed + 1))
	fi
}

is() {
	if [ "$1" = "$2" ]; then
		_ok 0 "$3"
	else
		_ok 1 "$3"
		printf '#   got:      %s\n#   expected: %s\n' "$1" "$2" |
		    head -c 4000
	fi
}

like() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_ok 0 "$3"
	else
		_ok 1 "$3"
		printf '#   no match for /%s/ in:\n' "$2"
		printf '%s\n' "$1" | head -20 | sed 's/^/#   /'
	fi
}

unlike() {
	if printf '%s\n' "$1" | grep -Eq -- "$2"; then
		_ok 1 "$3"
		printf '#   unexpected match for /%s/ in:\n' "$2"
		printf '%s\n' "$1" | grep -E -- "$2" | head -20 | sed 's/^/#   /'
	else
		_ok 0 "$3"
	fi
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
	exit $?
}
