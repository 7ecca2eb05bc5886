#!/usr/bin/env python3
"""Sums test results into the closing line "N passed, N failed".

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
    passed = failed = 0
    planned = None
    for line in stdout.splitlines():
        m = TAP_LINE.match(line)
        if m:
            skip = re.search(r"#\s*(SKIP|TODO)", m.group(2), re.I)
            if m.group(1) == "ok" or skip:
                passed += 1
            else:
                failed += 1
            continue
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            planned = int(m.group(1))
    return passed, failed, planned


def main():
    passed = failed = 0
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
                    p, f, plan = tally_tap(out)
                    if p + f == 0:
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
                    elif plan is not None and p + f < plan:
                        failed += 1
                        failures.append(f"{name}: ran {p+f} of {plan}")
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
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
