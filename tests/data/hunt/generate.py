#!/usr/bin/env python3
"""Writes the sample logs of tests/data/logs/ and tests/data/hunt/expected.tsv.

Each log is a few dozen realistic lines of one format: ordinary traffic,
lines that carry an indicator of indicators.txt (hits) and look-alike
decoys that must not be reported.  expected.tsv lists every hit as
file<TAB>line<TAB>indicator<TAB>field ("-" when the log is not JSON).
The output is committed; rerun this only to change the samples:
    python3 tests/data/hunt/generate.py tests/data/logs
"""
import json
import random
import sys
import os

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "logs")
EXP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.tsv")
rnd = random.Random(20261127)

D = "evil-cdn.example"
D2 = "kommun-login.example"
IP = "198.51.100.23"
NET_IP = "203.0.113.45"  # inside 203.0.113.0/24
V6 = "2001:db8:bad::1"
URL = "http://files.evil-cdn.example/payload.bin"
MAIL = "phish@kommun-login.example"
H = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

expected = []

BENIGN_HOSTS = ["www.kommun.se", "intranet.kommun.local", "update.microsoft.com",
                "www.google.com", "login.microsoftonline.com", "cdn.jsdelivr.net",
                "api.github.com", "ocsp.digicert.com", "www.skatteverket.se"]
BENIGN_IPS = ["10.0.0.5", "10.1.2.3", "192.168.10.20", "172.16.4.9",
              "8.8.8.8", "9.9.9.9", "192.0.2.10", "194.71.11.69"]


def ip():
    return rnd.choice(BENIGN_IPS)


def host():
    return rnd.choice(BENIGN_HOSTS)


def write(name, lines, hits):
    """lines: list of str; hits: {line_no: [(indicator, field)]}"""
    with open(os.path.join(OUT, name), "w", newline="") as f:
        for l in lines:
            f.write(l + "\n")
    for no in sorted(hits):
        for ind, field in hits[no]:
            expected.append((name, no, ind, field or "-"))


def build(name, n, benign, plant):
    """plant: list of (callable returning (line, [indicators]))."""
    lines, hits = [], {}
    slots = sorted(rnd.sample(range(3, n), len(plant)))
    k = 0
    for i in range(1, n + 1):
        if k < len(plant) and i == slots[k]:
            line, inds = plant[k](i)
            k += 1
            if inds:
                hits[i] = inds
        else:
            line = benign(i)
        lines.append(line)
    write(name, lines, hits)


def ts3164(i):
    return "Nov 27 10:%02d:%02d" % (i // 60 % 60, i % 60)


# --- syslog RFC 3164 ---------------------------------------------------
def s3164_benign(i):
    return rnd.choice([
        "%s fw01 sshd[%d]: Accepted publickey for backup from %s port %d ssh2"
        % (ts3164(i), 1000 + i, ip(), 40000 + i),
        "%s srv02 CRON[%d]: (root) CMD (/usr/lib/php/sessionclean)" % (ts3164(i), 2000 + i),
        "%s srv02 systemd[1]: Started Daily apt upgrade and clean activities." % ts3164(i),
        "%s fw01 sshd[%d]: Connection closed by %s port %d [preauth]"
        % (ts3164(i), 1000 + i, ip(), 50000 + i),
    ])


build("syslog-rfc3164.log", 40, s3164_benign, [
    lambda i: ("%s fw01 sshd[4242]: Accepted password for admin from %s port 51234 ssh2"
               % (ts3164(i), IP), [(IP, None)]),
    lambda i: ("%s fw01 sshd[4243]: Failed password for root from %s port 2222 ssh2"
               % (ts3164(i), NET_IP), [("203.0.113.0/24", None)]),
    lambda i: ("%s fw01 sshd[4244]: Failed password for root from 198.51.100.230 port 2222 ssh2"
               % ts3164(i), []),  # decoy: longer last octet
    lambda i: ("%s fw01 sshd[4245]: Failed password for root from 203.0.114.5 port 2222 ssh2"
               % ts3164(i), []),  # decoy: outside the /24
    lambda i: ("%s srv02 app[77]: agent version 198.51.100.23.5 started" % ts3164(i), []),
    lambda i: ("%s srv02 postfix/smtpd[901]: NOQUEUE: reject: RCPT from unknown[%s]: "
               "554 5.7.1 <%s>: Relay access denied" % (ts3164(i), ip(), MAIL),
               [(MAIL, None), (D2, None)]),
])


# --- syslog RFC 5424 ---------------------------------------------------
def ts5424(i):
    return "2026-11-27T10:%02d:%02d.%03dZ" % (i // 60 % 60, i % 60, i * 7 % 1000)


def s5424_benign(i):
    return rnd.choice([
        "<34>1 %s mail01 postfix 2211 - - connect from %s[%s]" % (ts5424(i), host(), ip()),
        "<165>1 %s web03 nginx 811 ID47 [meta sequenceId=\"%d\"] worker process started"
        % (ts5424(i), i),
        "<14>1 %s dc01 Microsoft-Windows-Sysmon 4 1 [sysmon@32473 EventID=\"1\"] "
        "Process Create: Image=C:\\Windows\\System32\\svchost.exe "
        "Hashes=SHA256=%064X" % (ts5424(i), rnd.getrandbits(256)),
    ])


build("syslog-rfc5424.log", 36, s5424_benign, [
    lambda i: ("<14>1 %s dc01 Microsoft-Windows-Sysmon 4 1 [sysmon@32473 EventID=\"1\"] "
               "Process Create: Image=C:\\Users\\Public\\upd.exe Hashes=SHA256=%s"
               % (ts5424(i), H.upper()), [(H, None)]),
    lambda i: ("<14>1 %s dc01 Microsoft-Windows-Sysmon 4 1 [sysmon@32473 EventID=\"1\"] "
               "Process Create: Hashes=SHA256=%s00" % (ts5424(i), H), []),  # longer run
    lambda i: ("<34>1 %s mail01 postfix 2211 - - connect from mx.%s[%s]"
               % (ts5424(i), D2, IP), [(D2, None), (IP, None)]),
    lambda i: ("<34>1 %s mail01 postfix 2211 - - connect from mail.not%s[192.0.2.10]"
               % (ts5424(i), D2), []),  # decoy: notkommun-login.example
])


# --- Squid access.log --------------------------------------------------
def squid_benign(i):
    h = host()
    return "%d.%03d %6d %s TCP_TUNNEL/200 %d CONNECT %s:443 - HIER_DIRECT/%s -" % (
        1764238500 + i, i % 1000, rnd.randint(20, 90000), ip(), rnd.randint(500, 90000),
        h, rnd.choice(BENIGN_IPS))


build("squid-access.log", 40, squid_benign, [
    lambda i: ("%d.120    245 10.1.2.3 TCP_MISS/200 5123 GET %s - HIER_DIRECT/%s "
               "application/octet-stream" % (1764238500 + i, URL, IP),
               [(URL, None), (D, None), (IP, None)]),
    lambda i: ("%d.121   1033 10.1.2.7 TCP_TUNNEL/200 7781 CONNECT login.%s:443 - "
               "HIER_DIRECT/192.0.2.10 -" % (1764238500 + i, D2), [(D2, None)]),
    lambda i: ("%d.122     12 10.1.2.7 TCP_DENIED/403 3911 GET http://%s.attacker.test/x - "
               "HIER_NONE/- text/html" % (1764238500 + i, D), []),
    lambda i: ("%d.123     12 10.1.2.7 TCP_MISS/200 3911 GET http://www.%ss/ - "
               "HIER_DIRECT/192.0.2.10 text/html" % (1764238500 + i, D), []),
])


# --- BIND query log ----------------------------------------------------
def bind_ts(i):
    return "27-Nov-2026 10:%02d:%02d.%03d" % (i // 60 % 60, i % 60, i * 13 % 1000)


def bind_benign(i):
    h = host()
    return ("%s queries: info: client @0x7f1c2c0a%04x %s#%d (%s): query: %s IN %s +E(0)K (10.0.0.53)"
            % (bind_ts(i), i, ip(), 30000 + i, h, h, rnd.choice(["A", "AAAA", "HTTPS"])))


build("bind-query.log", 40, bind_benign, [
    lambda i: ("%s queries: info: client @0x7f1c2c0a1111 10.1.2.3#53124 (www.%s): "
               "query: www.%s IN A +E(0)K (10.0.0.53)" % (bind_ts(i), D, D), [(D, None)]),
    lambda i: ("%s queries: info: client @0x7f1c2c0a1112 10.1.2.3#53125 (WWW.%s.): "
               "query: WWW.%s. IN AAAA +E(0)K (10.0.0.53)" % (bind_ts(i), D.upper(), D.upper()),
               [(D, None)]),
    lambda i: ("%s queries: info: client @0x7f1c2c0a1113 10.1.2.3#53126 (%s.attacker.test): "
               "query: %s.attacker.test IN A +E(0)K (10.0.0.53)" % (bind_ts(i), D, D), []),
    lambda i: ("%s queries: info: client @0x7f1c2c0a1114 10.1.2.3#53127 (not%s): "
               "query: not%s IN A +E(0)K (10.0.0.53)" % (bind_ts(i), D, D), []),
])


# --- dnsmasq -----------------------------------------------------------
def dnsmasq_benign(i):
    h = host()
    return rnd.choice([
        "%s dnsmasq[812]: query[A] %s from %s" % (ts3164(i), h, ip()),
        "%s dnsmasq[812]: forwarded %s to 9.9.9.9" % (ts3164(i), h),
        "%s dnsmasq[812]: reply %s is %s" % (ts3164(i), h, rnd.choice(BENIGN_IPS)),
        "%s dnsmasq[812]: cached %s is <CNAME>" % (ts3164(i), h),
    ])


build("dnsmasq.log", 40, dnsmasq_benign, [
    lambda i: ("%s dnsmasq[812]: query[A] cdn.%s from 10.1.2.3" % (ts3164(i), D), [(D, None)]),
    lambda i: ("%s dnsmasq[812]: reply cdn.%s is %s" % (ts3164(i), D, IP),
               [(D, None), (IP, None)]),
    lambda i: ("%s dnsmasq[812]: reply cdn6.%s is %s" % (ts3164(i), D,
               "2001:0db8:0bad:0000:0000:0000:0000:0001"), [(D, None), (V6, None)]),
    lambda i: ("%s dnsmasq[812]: reply host.test is 2001:db8:bad::10" % ts3164(i), []),
    lambda i: ("%s dnsmasq[812]: query[A] evil-cdn-example.com from 10.1.2.3" % ts3164(i), []),
])


# --- Apache / nginx combined --------------------------------------------
def clf_ts(i):
    return "27/Nov/2026:10:%02d:%02d +0100" % (i // 60 % 60, i % 60)


def combined_benign(i):
    return '%s - - [%s] "GET /%s HTTP/1.1" 200 %d "https://%s/" "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"' % (
        ip(), clf_ts(i), rnd.choice(["", "index.html", "nyheter/", "kontakt", "static/app.js"]),
        rnd.randint(200, 90000), host())


build("apache-combined.log", 40, combined_benign, [
    lambda i: ('%s - - [%s] "GET /wp-login.php HTTP/1.1" 404 512 "-" "Mozilla/5.0"'
               % (IP, clf_ts(i)), [(IP, None)]),
    lambda i: ('10.1.2.3 - - [%s] "GET /redirect?to=https://%s/sso HTTP/1.1" 302 0 '
               '"https://portal.%s/" "Mozilla/5.0"' % (clf_ts(i), D2, D2), [(D2, None)]),
    lambda i: ('10.1.2.3 - - [%s] "GET /?q=evil-cdn.example.attacker.test HTTP/1.1" 200 10 '
               '"-" "curl/7.88.1"' % clf_ts(i), []),
    lambda i: ('[%s]:443 - - [%s] "GET / HTTP/1.1" 200 10 "-" "curl/7.88.1"'
               % (V6, clf_ts(i)), [(V6, None)]),
])


# --- iptables / UFW ----------------------------------------------------
def ipt_benign(i):
    return ("%s fw01 kernel: [%d.%06d] [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 "
            "SRC=%s DST=10.0.0.5 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=%d DF PROTO=TCP SPT=%d DPT=%d "
            "WINDOW=64240 RES=0x00 SYN URGP=0" % (ts3164(i), 80000 + i, i * 991 % 1000000,
                                                 rnd.choice(BENIGN_IPS), 10000 + i, 30000 + i,
                                                 rnd.choice([22, 23, 3389, 445])))


build("iptables.log", 40, ipt_benign, [
    lambda i: ("%s fw01 kernel: [80123.000001] [UFW BLOCK] IN=eth0 OUT= SRC=%s DST=10.0.0.5 "
               "LEN=60 TTL=52 PROTO=TCP SPT=4444 DPT=22 SYN" % (ts3164(i), NET_IP),
               [("203.0.113.0/24", None)]),
    lambda i: ("%s fw01 kernel: [80124.000001] [UFW ALLOW] IN= OUT=eth0 SRC=10.0.0.5 DST=%s "
               "LEN=60 TTL=64 PROTO=TCP SPT=51000 DPT=443 SYN" % (ts3164(i), IP), [(IP, None)]),
    lambda i: ("%s fw01 kernel: [80125.000001] [UFW BLOCK] IN=eth0 OUT= SRC=203.0.114.45 "
               "DST=10.0.0.5 LEN=60 TTL=52 PROTO=TCP SPT=4444 DPT=22 SYN" % ts3164(i), []),
    lambda i: ("%s fw01 kernel: [80126.000001] [UFW BLOCK] IN=eth0 OUT= SRC=11.98.51.100 "
               "DST=10.0.0.5 ID=19851 LEN=60 TTL=52 PROTO=UDP SPT=198 DPT=51" % ts3164(i), []),
])


# --- Windows DNS debug log ---------------------------------------------
def wire(name):
    return "".join("(%d)%s" % (len(l), l) for l in name.split(".")) + "(0)"


def windns_benign(i):
    return ("27/11/2026 10:%02d:%02d 0E44 PACKET  000000D1C8E3A150 UDP Rcv %-15s %04x   Q [0001   D   NOERROR] A      %s"
            % (i // 60 % 60, i % 60, ip(), i * 37 % 65536, wire(host())))


build("windows-dns.log", 36, windns_benign, [
    lambda i: ("27/11/2026 10:%02d:%02d 0E44 PACKET  000000D1C8E3A150 UDP Rcv 10.1.2.3        6a1c   Q [0001   D   NOERROR] A      %s"
               % (i // 60 % 60, i % 60, wire("www." + D)), [(D, None)]),
    lambda i: ("27/11/2026 10:%02d:%02d 0E44 PACKET  000000D1C8E3A150 UDP Snd 10.1.2.3        6a1c R Q [8081   DR  NOERROR] A      %s"
               % (i // 60 % 60, i % 60, wire("login." + D2)), [(D2, None)]),
    lambda i: ("27/11/2026 10:%02d:%02d 0E44 PACKET  000000D1C8E3A150 UDP Rcv 10.1.2.3        6a1d   Q [0001   D   NOERROR] A      %s"
               % (i // 60 % 60, i % 60, wire("www.not" + D)), []),
])


# --- Zeek conn.log and dns.log (TSV) ------------------------------------
def zeek(name, path, fields, types, rows, hits):
    head = ["#separator \\x09", "#set_separator\t,", "#empty_field\t(empty)",
            "#unset_field\t-", "#path\t" + path, "#open\t2026-11-27-10-00-00",
            "#fields\t" + "\t".join(fields), "#types\t" + "\t".join(types)]
    lines = head + rows + ["#close\t2026-11-27-11-00-00"]
    shifted = {k + len(head): v for k, v in hits.items()}
    write(name, lines, shifted)


def uid():
    return "C" + "".join(rnd.choice("abcdefghijkLMNOPQ0123456789") for _ in range(17))


conn_rows, conn_hits = [], {}
for i in range(1, 33):
    src, dst = ip(), rnd.choice(BENIGN_IPS)
    if i == 9:
        dst = IP
        conn_hits[i] = [(IP, None)]
    if i == 17:
        src = NET_IP
        conn_hits[i] = [("203.0.113.0/24", None)]
    if i == 25:
        dst = "198.51.100.2"  # decoy
    conn_rows.append("\t".join([
        "%d.%06d" % (1764238500 + i, i * 4099 % 1000000), uid(), src, str(40000 + i), dst,
        str(rnd.choice([443, 80, 53])), "tcp", "ssl", "0.%06d" % (i * 7),
        str(rnd.randint(100, 9000)), str(rnd.randint(100, 90000)), "SF", "T", "F", "0",
        "ShADadFf", "12", "1500", "14", "60000", "-"]))
zeek("zeek-conn.log", "conn",
     ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "service",
      "duration", "orig_bytes", "resp_bytes", "conn_state", "local_orig", "local_resp",
      "missed_bytes", "history", "orig_pkts", "orig_ip_bytes", "resp_pkts", "resp_ip_bytes",
      "tunnel_parents"],
     ["time", "string", "addr", "port", "addr", "port", "enum", "string", "interval", "count",
      "count", "string", "bool", "bool", "count", "string", "count", "count", "count", "count",
      "set[string]"], conn_rows, conn_hits)

dns_rows, dns_hits = [], {}
for i in range(1, 31):
    q, ans = host(), rnd.choice(BENIGN_IPS)
    if i == 7:
        q, ans = "cdn." + D, IP
        dns_hits[i] = [(D, None), (IP, None)]
    if i == 19:
        q, ans = D + ".attacker.test", "192.0.2.10"  # decoy
    if i == 23:
        q, ans = "mx." + D2, "192.0.2.10,192.0.2.11"
        dns_hits[i] = [(D2, None)]
    dns_rows.append("\t".join([
        "%d.%06d" % (1764238500 + i, i * 271 % 1000000), uid(), ip(), str(50000 + i),
        "10.0.0.53", "53", "udp", str(i * 17 % 65536), "0.001", q, "1", "C_INTERNET", "1", "A",
        "0", "NOERROR", "F", "F", "T", "T", "0", ans, "300.000000", "F"]))
zeek("zeek-dns.log", "dns",
     ["ts", "uid", "id.orig_h", "id.orig_p", "id.resp_h", "id.resp_p", "proto", "trans_id",
      "rtt", "query", "qclass", "qclass_name", "qtype", "qtype_name", "rcode", "rcode_name",
      "AA", "TC", "RD", "RA", "Z", "answers", "TTLs", "rejected"],
     ["time", "string", "addr", "port", "addr", "port", "enum", "count", "interval", "string",
      "count", "string", "count", "string", "count", "string", "bool", "bool", "bool", "bool",
      "count", "vector[string]", "vector[interval]", "bool"], dns_rows, dns_hits)


# --- ECS-like JSON lines ------------------------------------------------
def ecs_benign(i):
    h = host()
    return json.dumps({
        "@timestamp": "2026-11-27T10:%02d:%02d.000Z" % (i // 60 % 60, i % 60),
        "event": {"dataset": "dns", "kind": "event"},
        "source": {"ip": ip(), "port": 50000 + i},
        "destination": {"ip": "10.0.0.53", "port": 53},
        "dns": {"question": {"name": h, "type": "A"},
                "answers": [{"data": rnd.choice(BENIGN_IPS), "type": "A"}]},
        "host": {"name": "dc01"}}, separators=(",", ":"))


def ecs(i, d):
    d["@timestamp"] = "2026-11-27T10:%02d:%02d.000Z" % (i // 60 % 60, i % 60)
    return json.dumps(d, separators=(",", ":"))


build("ecs.jsonl", 36, ecs_benign, [
    lambda i: (ecs(i, {"event": {"dataset": "network"}, "source": {"ip": "10.1.2.3"},
                       "destination": {"domain": "www." + D, "ip": IP, "port": 443}}),
               [(D, "destination.domain"), (IP, "destination.ip")]),
    lambda i: (ecs(i, {"event": {"dataset": "dns"},
                       "dns": {"question": {"name": "x." + D2},
                               "answers": [{"data": "192.0.2.10"}, {"data": NET_IP}]}}),
               [(D2, "dns.question.name"), ("203.0.113.0/24", "dns.answers[1].data")]),
    lambda i: (ecs(i, {"event": {"dataset": "proxy"}, "url": {"full": URL},
                       "user_agent": {"original": "curl/8.0"}}),
               [(URL, "url.full"), (D, "url.full")]),
    lambda i: (ecs(i, {"event": {"dataset": "dns"},
                       "dns": {"question": {"name": D + ".attacker.test"}}}), []),
    lambda i: (ecs(i, {"event": {"dataset": "email"},
                       "email": {"from": {"address": [MAIL]}}}),
               [(MAIL, "email.from.address[0]"), (D2, "email.from.address[0]")]),
])

with open(EXP, "w") as f:
    f.write("# file\tline\tindicator\tfield — written by generate.py\n")
    for row in expected:
        f.write("%s\t%d\t%s\t%s\n" % row)
