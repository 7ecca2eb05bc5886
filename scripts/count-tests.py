#!/usr/bin/env python3
"""Sums test results into the closing line "N passed, N failed" (", N skipped" when
any TAP case was skipped: a skip is not counted as a pass).

Arguments: meson testlog.json files and plain result files (lines
"ok NAME" / "not ok NAME").  A TAP test counts each of its "ok" and
"not ok" lines; a TAP test that crashed or timed out before its plan is
complete counts one failure more; any other test counts once.
"""
import json
import re
import sys

TAP_LINE = re.compile(r"^(not ok|ok)\b(.*)$")


def tally_tap(stdout):
    passed = failed = skipped = 0
    planned = None
    for line in stdout.splitlines():
        m = TAP_LINE.match(line)
        if m:
            skip = re.search(r"#\s*(SKIP|TODO)", m.group(2), re.I)
            if skip:
                skipped += 1
            elif m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
            continue
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            planned = int(m.group(1))
    return passed, failed, skipped, planned


def main():
    passed = failed = skipped = 0
    failures = []
    for path in sys.argv[1:]:
        try:
            fh = open(path, encoding="utf-8", errors="replace")
        except OSError:
            failed += 1
            failures.append(f"{path}: missing results")
            continue
        with fh:
            if path.endswith(".json"):
                for raw in fh:
                    t = json.loads(raw)
                    name, result = t["name"], t["result"]
                    out = t.get("stdout") or ""
                    p, f, s, plan = tally_tap(out)
                    skipped += s
                    if p + f + s == 0:
                        if result in ("OK", "EXPECTEDFAIL"):
                            passed += 1
                        elif result == "SKIP":
                            failed += 1
                            failures.append(f"{name}: skipped")
                        else:
                            failed += 1
                            failures.append(f"{name}: {result}")
                        continue
                    passed += p
                    failed += f
                    if f:
                        failures.append(f"{name}: {f} failed")
                    if result not in ("OK", "EXPECTEDFAIL") and f == 0:
                        failed += 1
                        failures.append(f"{name}: {result}")
                    elif plan is not None and p + f + s < plan:
                        failed += 1
                        failures.append(f"{name}: ran {p+f+s} of {plan}")
            else:
                for line in fh:
                    line = line.rstrip("\n")
                    if line.startswith("not ok"):
                        failed += 1
                        failures.append(line[7:])
                    elif line.startswith("ok"):
                        passed += 1
    for f in failures:
        print("FAILED:", f)
    line = f"{passed} passed, {failed} failed"
    if skipped:
        line += f", {skipped} skipped"
    print(line)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
