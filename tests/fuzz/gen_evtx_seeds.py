#!/usr/bin/env python3
"""gen_evtx_seeds.py — writes the hand-made seed corpus of fuzz_evtx.

The real event logs in ../shared/data/evtx are GPL-licensed, so no seed is
derived from them: every file here is built from the format description
(header, chunk, one record of binary XML with inline names) or is a short
XML record shape for the field scanner.  Run from the repository root:
    python3 tests/fuzz/gen_evtx_seeds.py tests/fuzz/corpus/evtx
"""
import struct
import sys
import zlib


def crc(b):
    return zlib.crc32(b) & 0xFFFFFFFF


def utf16(s):
    return s.encode("utf-16-le")


def name(s, at):
    """An inline name structure placed at chunk offset `at`."""
    return struct.pack("<IHH", 0, 0, len(s)) + utf16(s) + b"\0\0"


def element(chunk_off, tag, attrs, text, children=b""):
    """<tag attrs...>text children</tag> in binary XML; inline names."""
    out = bytearray()
    tok = 0x41 if attrs else 0x01
    # token, dependency id, data size (patched), name offset (inline)
    start = chunk_off
    out += bytes([tok]) + struct.pack("<H", 0xFFFF) + b"\0\0\0\0"
    name_off = start + len(out) + 4
    out += struct.pack("<I", name_off) + name(tag, name_off)
    if attrs:
        alist = bytearray()
        for i, (k, v) in enumerate(attrs):
            a_tok = 0x46 if i + 1 < len(attrs) else 0x06
            off = start + len(out) + 4 + len(alist) + 1 + 4
            alist += bytes([a_tok]) + struct.pack("<I", off) + name(k, off)
            alist += bytes([0x05, 0x01]) + struct.pack("<H", len(v)) + utf16(v)
        out += struct.pack("<I", len(alist)) + alist
    out += bytes([0x02])
    if text:
        out += bytes([0x05, 0x01]) + struct.pack("<H", len(text)) + utf16(text)
    out += children
    out += bytes([0x04])
    struct.pack_into("<I", out, 3, len(out) - 7)
    return bytes(out)


def record_xml(base):
    """Fragment header + <Event><EventData><Data Name=..>..</Data>..."""
    frag = bytes([0x0F, 0x01, 0x01, 0x00])
    off = base + len(frag)
    # Children must know their own chunk offsets: build inside-out with
    # offsets computed from the fixed prefix sizes.
    ev_prefix = 1 + 2 + 4 + 4 + len(name("Event", 0)) + 1
    ed_off = off + ev_prefix
    ed_prefix = 1 + 2 + 4 + 4 + len(name("EventData", 0)) + 1
    d_off = ed_off + ed_prefix
    d1 = element(d_off, "Data", [("Name", "DestinationIp")], "192.0.2.7")
    d2 = element(d_off + len(d1), "Data", [("Name", "QueryName")],
                 "evil.example")
    ed = element(ed_off, "EventData", [], "", d1 + d2)
    ev = element(off, "Event", [], "", ed)
    return frag + ev + bytes([0x00])


def evtx(records=True):
    chunk = bytearray(65536)
    recs = bytearray()
    if records:
        body = record_xml(512 + 24)
        size = 24 + len(body) + 4
        recs += b"**\0\0" + struct.pack("<IQQ", size, 1, 132000000000000000)
        recs += body + struct.pack("<I", size)
    chunk[0:8] = b"ElfChnk\0"
    n = 1 if records else 0
    struct.pack_into("<QQQQIIII", chunk, 8, n, n, n, n, 128, 512,
                     512 + len(recs), crc(bytes(recs)))
    chunk[512:512 + len(recs)] = recs
    struct.pack_into("<I", chunk, 124,
                     crc(bytes(chunk[0:120]) + bytes(chunk[128:512])))
    head = bytearray(4096)
    head[0:8] = b"ElfFile\0"
    struct.pack_into("<QQQIHHHH", head, 8, 0, 0, n + 1, 128, 1, 3, 4096, 1)
    struct.pack_into("<I", head, 120, 0)
    struct.pack_into("<I", head, 124, crc(bytes(head[0:120])))
    return bytes(head) + bytes(chunk)


XML = [
    b'<Event><System><Provider Name="P" Guid="{G}"/><EventID>3</EventID>'
    b'<Channel>C</Channel><Security UserID="S-1-5-18"/></System>'
    b'<EventData><Data Name="DestinationIp">192.0.2.1</Data>'
    b'<Data>x&amp;y&#x41;</Data></EventData></Event>',
    b'<Event><UserData><A xmlns:x="u"><B>evil.example</B></A></UserData>'
    b'</Event>',
    b'<?xml version="1.0"?><!-- c --><E><![CDATA[<raw>]]><a b=\'c\'/></E>',
    b'<E><A>1</B></E>',
]


def main():
    out = sys.argv[1]
    with open(out + "/evtx-one-record.evtx", "wb") as f:
        f.write(evtx(True))
    with open(out + "/evtx-empty-chunk.evtx", "wb") as f:
        f.write(evtx(False))
    with open(out + "/evtx-header-only.evtx", "wb") as f:
        f.write(evtx(False)[:4096])
    for i, x in enumerate(XML):
        with open("%s/xml-%d.xml" % (out, i), "wb") as f:
            f.write(x)


main()
