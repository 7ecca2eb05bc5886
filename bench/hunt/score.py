#!/usr/bin/env python3
"""score.py — recall and precision of a hunt tool against the planted truth.

Usage: score.py TRUTH OUTPUT --format jsonl|grep --logs DIR [--scope SUB]

TRUTH   truth.tsv from gen.py: file<TAB>line<TAB>indicator, file relative
        to the logs directory.
OUTPUT  the tool's output: vaksam --format jsonl, or grep/rg lines
        "path:line:text".
--logs  the logs directory as the tool was given it (its paths are made
        relative to it).
--scope only truth rows whose file starts with SUB count (grep and rg read
        only the uncompressed files: --scope plain/).
--files only truth rows of these files count (comma separated, relative).

Line level: a line the tool reports that holds no planted hit is a false
positive; a planted line it does not report is a false negative.  Prints
one line: "recall R precision P tp N fp N fn N".
"""
import argparse
import json
import os
import sys


def rel(path, logs):
    p = os.path.normpath(path)
    base = os.path.normpath(logs)
    if p.startswith(base + os.sep):
        return p[len(base) + 1:]
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("truth")
    ap.add_argument("output")
    ap.add_argument("--format", choices=["jsonl", "grep"], required=True)
    ap.add_argument("--logs", required=True)
    ap.add_argument("--scope", default="")
    ap.add_argument("--files", default="")
    a = ap.parse_args()
    files = set(f for f in a.files.split(",") if f)

    def inscope(f):
        return f.startswith(a.scope) and (not files or f in files)

    truth = set()
    with open(a.truth, encoding="utf-8") as f:
        for row in f:
            fn, line, _ = row.rstrip("\n").split("\t", 2)
            if inscope(fn):
                truth.add((fn, int(line)))
    got = set()
    with open(a.output, "rb") as f:
        for raw in f:
            if a.format == "jsonl":
                try:
                    o = json.loads(raw)
                except ValueError:
                    continue
                key = (rel(o["file"], a.logs), int(o["line"]))
            else:
                parts = raw.split(b":", 2)
                if len(parts) < 3 or not parts[1].isdigit():
                    continue
                key = (rel(parts[0].decode("utf-8", "replace"), a.logs),
                       int(parts[1]))
            if inscope(key[0]):
                got.add(key)
    tp = len(truth & got)
    fp = len(got - truth)
    fn = len(truth - got)
    recall = tp / len(truth) if truth else 1.0
    precision = tp / len(got) if got else (1.0 if not truth else 0.0)
    print("recall %.4f precision %.4f tp %d fp %d fn %d" %
          (recall, precision, tp, fp, fn))
    if os.environ.get("SCORE_SHOW"):
        for k in sorted(got - truth)[:20]:
            print("fp", *k, file=sys.stderr)
        for k in sorted(truth - got)[:20]:
            print("fn", *k, file=sys.stderr)


if __name__ == "__main__":
    main()
