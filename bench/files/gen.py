#!/usr/bin/env python3
"""gen.py OUTDIR — builds the bench/files tree (once).

At least 50,000 files and 5 GiB: many small files (1-64 KiB, a third of
them text), a few hundred medium ones (1-8 MiB) and a dozen large ones
(~200 MiB).  Planted: 20 files whose SHA-256 is listed in hashes.txt
(among 2,000 decoy digests) and 24 files the first three rules of
rules.yar must hit (8 each, at random offsets, small to large).  Writes
truth-hashes.txt and truth-yara.txt (paths) next to the tree.
"""
import hashlib
import os
import random
import sys

out = sys.argv[1]
tree = os.path.join(out, "tree")
rnd = random.Random(20261127)
POOL = os.urandom(64 << 20)
TEXT = "".join(
    "%s host%d sshd[%d]: Accepted publickey for user%d from 10.%d.%d.%d\n"
    % ("Nov 27 20:%02d:%02d" % (i % 60, i % 60), i % 50, i, i % 977,
       i % 256, (i * 7) % 256, (i * 13) % 256)
    for i in range(200000)).encode()


def chunk(n, text):
    src = TEXT if text else POOL
    off = rnd.randrange(0, len(src) - n) if len(src) > n else 0
    return src[off:off + n]


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def big(path, n):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        left = n
        while left:
            k = min(left, 32 << 20)
            f.write(chunk(k, False))
            left -= k


files = []
for i in range(50000):
    text = i % 3 == 0
    n = rnd.randint(1 << 10, 64 << 10)
    p = os.path.join(tree, "share%02d" % (i % 40), "d%03d" % (i % 997),
                     "f%05d.%s" % (i, "log" if text else "bin"))
    write(p, chunk(n, text))
for i in range(400):
    p = os.path.join(tree, "media", "m%03d.dat" % i)
    big(p, rnd.randint(1 << 20, 8 << 20))
for i in range(12):
    p = os.path.join(tree, "images", "disk%02d.img" % i)
    big(p, 200 << 20)

truth_hashes = []
for i in range(20):
    n = rnd.choice([3000, 40000, 2 << 20])
    data = os.urandom(n)
    p = os.path.join(tree, "share%02d" % (i % 40), "planted", "hash%02d.exe" % i)
    write(p, data)
    truth_hashes.append((hashlib.sha256(data).hexdigest(), p))
with open(os.path.join(out, "hashes.txt"), "w") as f:
    f.write("# bench/files: planted SHA-256 digests and decoys\n")
    digests = [h for h, _ in truth_hashes] + [
        hashlib.sha256(os.urandom(16)).hexdigest() for _ in range(2000)]
    rnd.shuffle(digests)
    f.write("\n".join(digests) + "\n")
with open(os.path.join(out, "truth-hashes.txt"), "w") as f:
    f.write("".join(p + "\n" for _, p in truth_hashes))

MARKS = [
    b"VAKSAM_BENCH_MARKER_TEXT",
    b"MZ\x90\x00\x01\x02\x03\xde\xc0\xad\x0b\x5e\x42\x1f",
    None,  # PE header + nocase string
]
truth_yara = []
for i in range(24):
    kind = i % 3
    n = rnd.choice([5000, 300000, 3 << 20, 40 << 20])
    data = bytearray(chunk(n, False))
    if kind == 2:
        data[0:2] = b"MZ"
        m = b"VAKSAM-Bench-Dropper"
    else:
        m = MARKS[kind]
    at = rnd.randrange(2, n - len(m))
    data[at:at + len(m)] = m
    p = os.path.join(tree, "share%02d" % (i % 40), "yara", "y%02d.bin" % i)
    write(p, bytes(data))
    truth_yara.append(p)
with open(os.path.join(out, "truth-yara.txt"), "w") as f:
    f.write("".join(p + "\n" for p in truth_yara))
