#!/usr/bin/env python3
"""gen.py — realistic logs with planted hits and decoys, for bench/hunt.

Writes into OUT (default bench/out, git-ignored):

  iocs-1k.txt iocs-100k.txt iocs-1m.txt   indicator lists (plain text, one
        per line; each set contains the smaller ones, and all contain every
        planted indicator)
  logs/plain/<format>-NN.log              uncompressed logs, SIZE MiB in all
  logs/compressed/<format>-NN.log.gz|.zst compressed logs (about 5 % more;
        grep and rg cannot read these)
  truth.tsv                               file<TAB>line<TAB>indicator, one row
        per planted hit (file relative to logs/)
  params.txt                              what was generated (run.sh checks
        it before generating again)

Formats: syslog RFC 3164 and 5424, Squid access, BIND and dnsmasq query
logs, Apache/nginx combined, iptables/UFW, Windows DNS debug, Zeek conn and
dns (TSV), JSON lines (ECS-like).

Planted hits cover every indicator type and the spellings a substring tool
misses: subdomains, upper case, trailing dots, Windows DNS "(4)evil(2)se(0)",
IDN A-labels, CIDR members, IPv4-mapped IPv6, expanded and upper-case IPv6,
URLs with an added query, upper-case hashes and e-mail addresses.  Decoys
are made to fool substring tools and must not be reported: notevil.se,
evil.se.attacker.net, evil.sex, evil-se.com, 11.2.3.4, 1.2.3.45,
1.2.3.4.5, v1.2.3.4, hashes inside longer hex runs, URLs with a longer path,
e-mail addresses with a longer local part.  Every decoy and every
background value is checked against the largest indicator set with the
matching rules of docs/matching.md.

Python 3 standard library only.  Usage: gen.py [--size-mb N] [--out DIR]
[--seed N] [--jobs N]
"""
import argparse
import gzip
import ipaddress
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import zlib

LETTERS = "abcdefghijklmnopqrstuvwxyz"
HEX = "0123456789abcdef"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
          "Oct", "Nov", "Dec"]
IOC_TLDS = ["com", "net", "org", "ru", "xyz", "top", "info", "biz", "io",
            "se", "online", "site", "club", "shop", "su", "cc"]
# First octets of indicator addresses; background public addresses use
# other first octets, so they can never be indicators.
IOC_V4_OCTETS = [5, 31, 37, 45, 46, 62, 77, 78, 79, 80, 81, 82, 83, 84, 85,
                 86, 87, 88, 89, 91, 92, 93, 94, 95, 176, 178, 185, 188, 193,
                 194, 195]
BG_V4_OCTETS = [8, 13, 20, 23, 34, 35, 40, 52, 104, 140, 142, 151, 157, 199,
                216]

FORMATS = {  # name: share of the plain bytes
    "json": 0.20, "apache": 0.14, "squid": 0.12, "syslog3164": 0.10,
    "syslog5424": 0.06, "bind": 0.08, "dnsmasq": 0.06, "iptables": 0.08,
    "windns": 0.05, "zeekconn": 0.06, "zeekdns": 0.05,
}
FILE_MAX = 64 << 20
PLANT_EVERY = 2500  # about one planted line in this many
DECOY_EVERY = 1200


# ---------------------------------------------------------------- helpers

def rlabel(r, lo=6, hi=12):
    return "".join(r.choice(LETTERS) for _ in range(r.randint(lo, hi)))


def rhex(r, n):
    return "%0*x" % (n, r.getrandbits(4 * n))


def v6_expand(a):
    return ipaddress.IPv6Address(a).exploded


class IocSet:
    """The largest indicator set, for checking decoys and background."""

    def __init__(self):
        self.dom = set()
        self.v4 = set()
        self.v4net = {}  # prefix -> set of network ints
        self.v6 = set()
        self.v6net = {}
        self.other = set()

    def dom_hit(self, name):
        labels = name.lower().rstrip(".").split(".")
        for i in range(len(labels) - 1):
            if ".".join(labels[i:]) in self.dom:
                return True
        return False

    def v4_hit(self, s):
        try:
            a = int(ipaddress.IPv4Address(s))
        except ValueError:
            return False
        if a in self.v4:
            return True
        for p, nets in self.v4net.items():
            if (a >> (32 - p)) << (32 - p) in nets:
                return True
        return False


# ------------------------------------------------------------- indicators

def make_iocs(r, n_total, reserved):
    """n_total random indicators (strings), avoiding `reserved` names."""
    out = []
    seen = set()
    mix = [("dom", 45), ("v4", 22), ("v4net", 2), ("v6", 2), ("v6net", 1),
           ("url", 7), ("email", 5), ("md5", 6), ("sha1", 3),
           ("sha256", 7)]
    kinds = []
    for k, w in mix:
        kinds += [k] * w
    while len(out) < n_total:
        k = r.choice(kinds)
        if k == "dom":
            v = rlabel(r) + "." + r.choice(IOC_TLDS)
            if r.random() < 0.2:
                v = r.choice(["cdn", "mail", "update", "login", "api"]) + \
                    "." + v
        elif k == "v4":
            v = "%d.%d.%d.%d" % (r.choice(IOC_V4_OCTETS), r.randrange(256),
                                 r.randrange(256), r.randrange(1, 255))
        elif k == "v4net":
            if r.random() < 0.9:
                v = "%d.%d.%d.0/24" % (r.choice(IOC_V4_OCTETS),
                                       r.randrange(256), r.randrange(256))
            else:
                v = "%d.%d.0.0/16" % (r.choice(IOC_V4_OCTETS),
                                      r.randrange(256))
        elif k == "v6":
            v = str(ipaddress.IPv6Address(
                (0x2a0b << 112) | r.getrandbits(100)))
        elif k == "v6net":
            v = str(ipaddress.IPv6Network(
                ((0x2a0c << 112) | (r.getrandbits(32) << 80), 48)))
        elif k == "url":
            v = "%s://%s.%s/%s/%s.%s" % (
                r.choice(["http", "https"]), rlabel(r), r.choice(IOC_TLDS),
                rlabel(r, 3, 8), rlabel(r, 3, 8),
                r.choice(["exe", "php", "zip", "js", "dll"]))
        elif k == "email":
            v = "%s.%s@%s.%s" % (rlabel(r, 3, 8), rlabel(r, 3, 8),
                                 rlabel(r), r.choice(IOC_TLDS))
        elif k == "md5":
            v = rhex(r, 32)
        elif k == "sha1":
            v = rhex(r, 40)
        else:
            v = rhex(r, 64)
        if v in seen or v in reserved:
            continue
        seen.add(v)
        out.append(v)
    return out


def make_planted(r):
    """Planted indicators: (kind, value).  All in the 1k set."""
    p = []
    for _ in range(40):
        p.append(("dom", rlabel(r, 5, 9) + "." + r.choice(IOC_TLDS)))
    for idn in ["räksmörgås", "blåbärsöl", "fjällstugan", "älgjakt"]:
        p.append(("idn", "%s-%s.se" % (idn, rlabel(r, 3, 5))))
    for _ in range(40):
        p.append(("v4", "%d.%d.%d.%d" % (r.choice(IOC_V4_OCTETS),
                                         r.randrange(256), r.randrange(256),
                                         r.randrange(1, 100))))
    for _ in range(8):
        p.append(("v4net", "%d.%d.%d.0/24" % (r.choice(IOC_V4_OCTETS),
                                              r.randrange(256),
                                              r.randrange(256))))
    for _ in range(12):
        p.append(("v6", str(ipaddress.IPv6Address(
            (0x2a0d << 112) | (r.getrandbits(32) << 64) | r.getrandbits(16)))))
    for _ in range(4):
        p.append(("v6net", str(ipaddress.IPv6Network(
            ((0x2a0e << 112) | (r.getrandbits(32) << 80), 48)))))
    for _ in range(16):
        p.append(("url", "http://%s.%s/%s/%s.exe" % (
            rlabel(r), r.choice(IOC_TLDS), rlabel(r, 3, 6),
            rlabel(r, 3, 6))))
    for _ in range(12):
        p.append(("email", "%s.%s@%s.%s" % (rlabel(r, 3, 7), rlabel(r, 3, 7),
                                            rlabel(r), r.choice(IOC_TLDS))))
    for n, k in [(32, "md5"), (40, "sha1"), (64, "sha256")]:
        for _ in range(8):
            p.append((k, rhex(r, n)))
    return p


def idn_alabel(name):
    return ".".join(l.encode("punycode").decode().join(["xn--", ""])
                    if any(ord(c) > 127 for c in l) else l
                    for l in name.split("."))


def variants(r, kind, v, big):
    """Spellings of a planted indicator that must match: (slot, text)."""
    out = []
    if kind == "dom":
        out = [("host", v), ("host", v.upper()), ("host", "www." + v),
               ("host", "a1.cdn." + v), ("host_dot", v + "."),
               ("windns", v), ("windns", "mail." + v),
               ("email", "info@" + v), ("url", "http://%s/index.php" % v)]
    elif kind == "idn":
        out = [("host", idn_alabel(v)), ("host", "www." + idn_alabel(v)),
               ("host", v)]
    elif kind == "v4":
        out = [("ip", v), ("ip", v), ("ip6", "::ffff:" + v),
               ("url", "http://%s/x.php" % v)]
    elif kind == "v4net":
        base = v.split("/")[0].rsplit(".", 1)[0]
        out = [("ip", "%s.%d" % (base, r.randrange(1, 255))) for _ in range(3)]
    elif kind == "v6":
        out = [("ip6", v), ("ip6", v6_expand(v)), ("ip6", v.upper()),
               ("ip6", v6_expand(v).upper())]
    elif kind == "v6net":
        net = ipaddress.IPv6Network(v)
        out = [("ip6", str(net[r.getrandbits(64)])) for _ in range(3)]
    elif kind == "url":
        host_up = v.split("/")
        up = "HTTP://" + host_up[2].upper() + "/" + "/".join(host_up[3:])
        out = [("url", v), ("url", v + "?id=%d" % r.randrange(1000)),
               ("url", up)]
    elif kind == "email":
        out = [("email", v), ("email", v.upper())]
    else:
        out = [("hash", v), ("hash", v.upper())]
    return out


def decoys(r, kind, v, big):
    """Texts that look like v to a substring tool but are not hits."""
    out = []
    if kind == "dom":
        lab, tld = v.rsplit(".", 1)
        out = [("host", "not" + v), ("host", v + ".attacker.net"),
               ("host", v + "x"), ("host", lab + "-" + tld + ".com"),
               ("host", lab + "_" + tld + ".com")]
        out = [(s, t) for s, t in out if not big.dom_hit(t)]
    elif kind == "v4":
        a, b, c, d = v.split(".")
        cand = ["1" + v, v + "5", v + ".5", "0." + v]
        out = [("ip", t) for t in cand if not big.v4_hit(t)]
        out.append(("ver", "v" + v))
    elif kind == "url":
        out = [("url", v.replace(".exe", ".exe2")),
               ("url", v.replace("http://", "http://x"))]
    elif kind == "email":
        out = [("email", "x" + v)]
    elif kind in ("md5", "sha1", "sha256"):
        out = [("hash", v + rhex(r, 4)), ("hash", rhex(r, 2) + v)]
    return out


# ------------------------------------------------------------ background

def bg_pools(r, big):
    hosts = ["www.google.com", "outlook.office365.com",
             "login.microsoftonline.com", "update.microsoft.com",
             "www.msftconnecttest.com", "ocsp.digicert.com",
             "api.github.com", "cdn.jsdelivr.net", "www.skatteverket.se",
             "www.1177.se", "www.krisinformation.se", "fonts.gstatic.com",
             "www.youtube.com", "graph.facebook.com", "time.windows.com",
             "clients4.google.com", "safebrowsing.googleapis.com",
             "static.nytimes.com", "www.svt.se", "www.dn.se",
             "detectportal.firefox.com", "push.services.mozilla.com"]
    for kn in ["lund", "malmo", "goteborg", "stockholm", "uppsala", "umea",
               "kiruna", "visby", "falun", "orebro", "vaxjo", "kalmar"]:
        for sub in ["www", "intranet", "mail", "e-tjanster", "skola"]:
            hosts.append("%s.%s.se" % (sub, kn))
    for i in range(300):
        hosts.append("ws-%04d.ad.kommun.local" % i)
        hosts.append("srv%03d.corp.example.net" % i)
    hosts = [h for h in hosts if not big.dom_hit(h)]
    pub = ["%d.%d.%d.%d" % (r.choice(BG_V4_OCTETS), r.randrange(256),
                            r.randrange(256), r.randrange(1, 255))
           for _ in range(4000)]
    priv = ["10.%d.%d.%d" % (r.randrange(256), r.randrange(256),
                             r.randrange(1, 255)) for _ in range(3000)]
    priv += ["192.168.%d.%d" % (r.randrange(256), r.randrange(1, 255))
             for _ in range(1000)]
    v6 = [str(ipaddress.IPv6Address((0x20010db8 << 96) | r.getrandbits(64)))
          for _ in range(500)]
    v6 += ["fe80::%x:%x:%x:%x" % tuple(r.getrandbits(16) for _ in range(4))
           for _ in range(200)]
    paths = ["/", "/index.html", "/login", "/api/v1/items", "/static/app.js",
             "/static/style.css", "/images/logo.png", "/favicon.ico",
             "/wp-login.php", "/search?q=bygglov", "/e-tjanster/ansok",
             "/download/rapport-2026.pdf", "/feed.xml", "/robots.txt"]
    uas = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
           "(KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
           "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/"
           "605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15",
           "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 "
           "Firefox/120.0",
           "curl/7.88.1", "Microsoft-CryptoAPI/10.0",
           "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) "
           "AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"]
    users = ["anna.svensson", "erik.johansson", "maria.karlsson",
             "lars.nilsson", "karin.eriksson", "admin", "backup", "root"]
    return {"hosts": hosts, "pub": pub, "priv": priv, "v6": v6,
            "paths": paths, "uas": uas, "users": users}


def windns(name):
    return "".join("(%d)%s" % (len(l), l) for l in name.rstrip(".").split(".")) \
        + "(0)"


class Gen:
    """Line builders.  plant: dict slot -> text, or None."""

    def __init__(self, r, pools, t0):
        self.r = r
        self.p = pools
        self.t = t0

    def tick(self):
        self.t += self.r.random() * 0.02
        return self.t

    def ts3164(self):
        t = int(self.t)
        return "Nov %2d %02d:%02d:%02d" % (27 + t // 86400 % 3, t // 3600 % 24,
                                         t // 60 % 60, t % 60)

    def iso(self):
        t = self.t
        return "2026-11-%02dT%02d:%02d:%02d.%03dZ" % (
            27 + int(t) // 86400 % 3, int(t) // 3600 % 24, int(t) // 60 % 60,
            int(t) % 60, int(t * 1000) % 1000)

    def pick(self, k):
        return self.r.choice(self.p[k])

    # each returns (line, slots supported)
    def syslog3164(self, pl):
        r = self.r
        self.tick()
        h = "ws-%04d" % r.randrange(300)
        if pl and "email" in pl:
            msg = "postfix/smtpd[%d]: 4F1B2C3D: client=%s[%s], from=<%s>" % (
                r.randrange(40000), self.pick("hosts"), self.pick("pub"),
                pl["email"])
        elif pl and "hash" in pl:
            msg = "clamd[%d]: /home/%s/Downloads/fil.bin: Hash=%s FOUND" % (
                r.randrange(40000), self.pick("users"), pl["hash"])
        elif pl and ("ip" in pl or "ip6" in pl):
            msg = "sshd[%d]: Failed password for %s from %s port %d ssh2" % (
                r.randrange(40000), self.pick("users"),
                pl.get("ip") or pl.get("ip6"), r.randrange(1024, 65535))
        elif pl and "ver" in pl:
            msg = "systemd[1]: Started agent %s." % pl["ver"]
        else:
            k = r.randrange(4)
            if k == 0:
                msg = "sshd[%d]: Accepted publickey for %s from %s port %d " \
                      "ssh2: RSA SHA256:%s" % (
                          r.randrange(40000), self.pick("users"),
                          self.pick("priv"), r.randrange(1024, 65535),
                          rhex(r, 20))
            elif k == 1:
                msg = "CRON[%d]: (root) CMD (/usr/lib/sysstat/debian-sa1 1 1)" \
                    % r.randrange(40000)
            elif k == 2:
                msg = "kernel: [%d.%06d] EXT4-fs (sda1): mounted filesystem " \
                      "with ordered data mode" % (r.randrange(99999),
                                                 r.randrange(999999))
            else:
                msg = "systemd[1]: Started Session %d of user %s." % (
                    r.randrange(9999), self.pick("users"))
        return "%s %s %s" % (self.ts3164(), h, msg)

    def syslog5424(self, pl):
        r = self.r
        self.tick()
        if pl and "email" in pl:
            msg = "user %s sent mail to %s" % (self.pick("users"), pl["email"])
        elif pl and "hash" in pl:
            msg = "Process Create: Image=C:\\Users\\x\\a.exe Hashes=SHA256=%s" \
                % pl["hash"]
        elif pl and ("ip" in pl or "ip6" in pl):
            msg = "login failure for %s from %s" % (
                self.pick("users"), pl.get("ip") or pl.get("ip6"))
        elif pl and "host" in pl:
            msg = "resolver lookup %s failed" % pl["host"]
        else:
            msg = "login success for %s from %s via %s" % (
                self.pick("users"), self.pick("priv"), self.pick("hosts"))
        return "<%d>1 %s srv%03d.corp.example.net app %d ID%d " \
               "[meta sequenceId=\"%d\"] %s" % (
                   r.randrange(8, 190), self.iso(), r.randrange(300),
                   r.randrange(99999), r.randrange(99), r.randrange(10**6),
                   msg)

    def squid(self, pl):
        r = self.r
        t = self.tick()
        client = self.pick("priv")
        dst = self.pick("pub")
        if pl and "url" in pl:
            url = pl["url"]
        elif pl and "host" in pl:
            url = "http://%s%s" % (pl["host"], self.pick("paths"))
        else:
            url = "http://%s%s" % (self.pick("hosts"), self.pick("paths"))
        if pl and "ip" in pl:
            if r.random() < 0.5:
                client = pl["ip"]
            else:
                dst = pl["ip"]
        meth = "GET"
        if r.random() < 0.15 and not (pl and ("url" in pl or "host" in pl)):
            meth = "CONNECT"
            url = "%s:443" % self.pick("hosts")
        return "%.3f %6d %s TCP_MISS/200 %d %s %s - HIER_DIRECT/%s %s" % (
            1732738996 + t, r.randrange(1, 5000), client,
            r.randrange(200, 90000), meth, url, dst,
            r.choice(["text/html", "application/json", "image/png", "-"]))

    def bind(self, pl):
        r = self.r
        self.tick()
        q = self.pick("hosts")
        client = self.pick("priv")
        if pl and "host" in pl:
            q = pl["host"]
        elif pl and "host_dot" in pl:
            q = pl["host_dot"]
        if pl and "ip" in pl:
            client = pl["ip"]
        if pl and "ip6" in pl:
            client = pl["ip6"]
        return "27-Nov-2026 %02d:%02d:%02d.%03d queries: info: client " \
               "@0x7f%08x %s#%d (%s): query: %s IN %s + (10.0.0.53)" % (
                   int(self.t) // 3600 % 24, int(self.t) // 60 % 60,
                   int(self.t) % 60, r.randrange(1000), r.getrandbits(32),
                   client, r.randrange(1024, 65535), q.rstrip("."), q,
                   r.choice(["A", "AAAA", "HTTPS"]))

    def dnsmasq(self, pl):
        r = self.r
        self.tick()
        q = pl.get("host") or pl.get("host_dot") if pl else None
        q = q or self.pick("hosts")
        if pl and "ip" in pl:
            return "%s dnsmasq[%d]: reply %s is %s" % (
                self.ts3164(), r.randrange(9999), self.pick("hosts"), pl["ip"])
        if r.random() < 0.5:
            return "%s dnsmasq[%d]: query[A] %s from %s" % (
                self.ts3164(), r.randrange(9999), q, self.pick("priv"))
        return "%s dnsmasq[%d]: reply %s is %s" % (
            self.ts3164(), r.randrange(9999), q, self.pick("pub"))

    def apache(self, pl):
        r = self.r
        t = int(self.tick())
        client = pl["ip"] if pl and "ip" in pl else self.pick("pub")
        ref = "https://%s/" % self.pick("hosts")
        if pl and "url" in pl:
            ref = pl["url"]
        elif pl and "host" in pl:
            ref = "https://%s/start" % pl["host"]
        return '%s - - [%02d/Nov/2026:%02d:%02d:%02d +0100] "GET %s ' \
               'HTTP/1.1" %d %d "%s" "%s"' % (
                   client, 27 + t // 86400 % 3, t // 3600 % 24, t // 60 % 60,
                   t % 60, self.pick("paths"), r.choice([200, 200, 304, 404]),
                   r.randrange(100, 90000), ref, self.pick("uas"))

    def iptables(self, pl):
        r = self.r
        self.tick()
        if pl and "ip6" in pl:
            return "%s fw01 kernel: [%d.%06d] [UFW BLOCK] IN=eth0 OUT= " \
                   "MAC=52:54:00:12:34:56:52:54:00:65:43:21:86:dd SRC=%s " \
                   "DST=%s LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP " \
                   "SPT=%d DPT=443 WINDOW=64800 RES=0x00 SYN URGP=0" % (
                       self.ts3164(), r.randrange(99999), r.randrange(999999),
                       pl["ip6"], self.pick("v6"), r.randrange(1024, 65535))
        src = pl["ip"] if pl and "ip" in pl else self.pick("pub")
        return "%s fw01 kernel: [%d.%06d] [UFW BLOCK] IN=eth0 OUT= " \
               "MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=%s DST=%s " \
               "LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=%d DF PROTO=TCP SPT=%d " \
               "DPT=%d WINDOW=29200 RES=0x00 SYN URGP=0" % (
                   self.ts3164(), r.randrange(99999), r.randrange(999999),
                   src, self.pick("priv"), r.randrange(65535),
                   r.randrange(1024, 65535), r.choice([22, 23, 445, 3389]))

    def windns(self, pl):
        r = self.r
        t = int(self.tick())
        name = self.pick("hosts")
        if pl and "windns" in pl:
            name = pl["windns"]
        ip = pl["ip"] if pl and "ip" in pl else self.pick("priv")
        return "11/%d/2026 %d:%02d:%02d PM 0E4C PACKET  %016X UDP Rcv %s " \
               "%04x   Q [0001   D   NOERROR] A      %s" % (
                   27 + t // 86400 % 3, t // 3600 % 12 + 1, t // 60 % 60,
                   t % 60, r.getrandbits(64), ip, r.getrandbits(16),
                   windns(name))

    def zeekconn(self, pl):
        r = self.r
        t = self.tick()
        resp = self.pick("pub")
        orig = self.pick("priv")
        if pl and "ip" in pl:
            resp = pl["ip"]
        if pl and "ip6" in pl:
            resp = pl["ip6"]
            orig = self.pick("v6")
        return "%.6f\tC%s\t%s\t%d\t%s\t%d\ttcp\tssl\t%.6f\t%d\t%d\tSF\tT\tF" \
               "\t0\tShADadFf\t%d\t%d\t%d\t%d\t-" % (
                   1732738996 + t,
                   "".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijk"
                                    "mnopqrstuvwxyz0123456789")
                           for _ in range(17)),
                   orig, r.randrange(1024, 65535), resp, 443,
                   r.random() * 10, r.randrange(99999), r.randrange(999999),
                   r.randrange(99), r.randrange(9999), r.randrange(99),
                   r.randrange(99999))

    def zeekdns(self, pl):
        r = self.r
        t = self.tick()
        q = self.pick("hosts")
        if pl and "host" in pl:
            q = pl["host"]
        ans = self.pick("pub")
        if pl and "ip" in pl:
            ans = pl["ip"]
        return "%.6f\tC%s\t%s\t%d\t10.0.0.53\t53\tudp\t%d\t-\t%s\t1\tC_INTERNET" \
               "\t1\tA\t0\tNOERROR\tF\tF\tT\tT\t0\t%s\t%d.000000\tF" % (
                   1732738996 + t, rhex(r, 17), self.pick("priv"),
                   r.randrange(1024, 65535), r.randrange(65535), q, ans,
                   r.randrange(30, 3600))

    def json(self, pl):
        r = self.r
        self.tick()
        src = self.pick("priv")
        dst = self.pick("pub")
        dom = self.pick("hosts")
        extra = ""
        if pl:
            if "ip" in pl:
                dst = pl["ip"]
            if "ip6" in pl:
                dst = pl["ip6"]
            if "host" in pl:
                dom = pl["host"]
            if "url" in pl:
                extra = ',"url":{"full":"%s"}' % pl["url"]
            if "email" in pl:
                extra = ',"email":{"from":{"address":["%s"]}}' % pl["email"]
            if "hash" in pl:
                extra = ',"file":{"hash":{"sha256":"%s"}}' % pl["hash"]
        return '{"@timestamp":"%s","event":{"kind":"event","category":' \
               '["network"],"id":"%s"},"source":{"ip":"%s","port":%d},' \
               '"destination":{"ip":"%s","port":443,"domain":"%s"},' \
               '"network":{"transport":"tcp","bytes":%d},"user":{"name":' \
               '"%s"},"trace":{"id":"%s"}%s}' % (
                   self.iso(), rhex(r, 16), src, r.randrange(1024, 65535),
                   dst, dom, r.randrange(99999), self.pick("users"),
                   rhex(r, 32), extra)


SLOTS = {  # which slots each format can carry
    "syslog3164": {"email", "hash", "ip", "ip6", "ver"},
    "syslog5424": {"email", "hash", "ip", "ip6", "host"},
    "squid": {"url", "host", "ip"},
    "bind": {"host", "host_dot", "ip", "ip6"},
    "dnsmasq": {"host", "host_dot", "ip"},
    "apache": {"ip", "url", "host"},
    "iptables": {"ip", "ip6"},
    "windns": {"windns", "ip"},
    "zeekconn": {"ip", "ip6"},
    "zeekdns": {"host", "ip"},
    "json": {"ip", "ip6", "host", "url", "email", "hash"},
}


def gen_file(job):
    """Writes one file; returns (relpath, [(line, indicator)])."""
    (outdir, rel, fmt, size, seed, plants, decs, pools, compress) = job
    r = random.Random(seed)
    g = Gen(r, pools, r.random() * 86400)
    build = getattr(g, fmt)
    fits_p = [p for p in plants if p[1] in SLOTS[fmt]]
    fits_d = [d for d in decs if d[0] in SLOTS[fmt]]
    truth = []
    buf = []
    written = 0
    lineno = 0
    path = os.path.join(outdir, "logs", rel)
    tmp = path + ".tmp" if compress else path
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        while written < size:
            lineno += 1
            x = r.random()
            pl = None
            if fits_p and x < 1.0 / PLANT_EVERY:
                ioc, slot, text = r.choice(fits_p)
                pl = {slot: text}
                truth.append((lineno, ioc))
            elif fits_d and x < 1.0 / PLANT_EVERY + 1.0 / DECOY_EVERY:
                slot, text = r.choice(fits_d)
                pl = {slot: text}
            line = build(pl) + "\n"
            buf.append(line)
            written += len(line)
            if len(buf) >= 4096:
                f.write("".join(buf))
                buf = []
        f.write("".join(buf))
    if compress == "gz":
        with open(tmp, "rb") as fi, gzip.open(path, "wb", 6) as fo:
            shutil.copyfileobj(fi, fo)
        os.unlink(tmp)
    elif compress == "zst":
        subprocess.run(["zstd", "-q", "-f", "--rm", "-3", tmp, "-o", path],
                       check=True)
    return rel, truth


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size-mb", type=int, default=1024)
    ap.add_argument("--out", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "out"))
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--max-iocs", type=int, default=1000000)
    a = ap.parse_args()
    out = os.path.abspath(a.out)
    r = random.Random(a.seed)

    planted = make_planted(r)
    reserved = set(v for _, v in planted) | {"attacker.net"}
    n_rand = a.max_iocs - len(planted)
    print("gen: %d indicators ..." % a.max_iocs, file=sys.stderr)
    rand_iocs = make_iocs(r, n_rand, reserved)

    big = IocSet()
    for v in [v for _, v in planted] + rand_iocs:
        if "://" in v or "@" in v or all(c in HEX for c in v):
            continue
        if "/" in v:
            try:
                net = ipaddress.ip_network(v)
            except ValueError:
                continue
            d = big.v4net if net.version == 4 else big.v6net
            d.setdefault(net.prefixlen, set()).add(
                int(net.network_address) >> (net.max_prefixlen -
                                             net.prefixlen)
                << (net.max_prefixlen - net.prefixlen))
            continue
        try:
            ip = ipaddress.ip_address(v)
            (big.v4 if ip.version == 4 else big.v6).add(int(ip))
            continue
        except ValueError:
            pass
        big.dom.add(idn_alabel(v).lower())
    # URL and e-mail hosts of planted indicators must not be domain
    # indicators (their decoys would then be real hits).
    pools = bg_pools(r, big)

    os.makedirs(os.path.join(out, "logs", "plain"), exist_ok=True)
    os.makedirs(os.path.join(out, "logs", "compressed"), exist_ok=True)
    lists = [(1000, "iocs-1k.txt"), (100000, "iocs-100k.txt"),
             (1000000, "iocs-1m.txt")]
    allv = [v for _, v in planted] + rand_iocs
    for n, name in lists:
        n = min(n, len(allv))
        with open(os.path.join(out, name), "w", encoding="utf-8") as f:
            f.write("# bench/hunt/gen.py seed %d: %d indicators\n" %
                    (a.seed, n))
            f.write("\n".join(allv[:n]) + "\n")

    plants = []
    decs = []
    for kind, v in planted:
        for slot, text in variants(r, kind, v, big):
            plants.append((v, slot, text))
        decs += decoys(r, kind, v, big)
    # A decoy must not contain a planted text by our own rules; the
    # checks above cover domains and IPv4; others are by construction.

    jobs = []
    size = a.size_mb << 20
    seed = a.seed * 1000
    for fmt, share in FORMATS.items():
        total = int(size * share)
        k = 0
        while total > 0:
            part = min(total, FILE_MAX)
            seed += 1
            jobs.append((out, "plain/%s-%02d.log" % (fmt, k), fmt, part, seed,
                         plants, decs, pools, None))
            total -= part
            k += 1
    # compressed: about 5 % more, a gzip and a zstd file of a few formats
    csize = max(size // 20 // 6, 1 << 20)
    for i, fmt in enumerate(["squid", "bind", "json"]):
        for comp in ["gz", "zst"]:
            seed += 1
            jobs.append((out, "compressed/%s-%d.log.%s" % (fmt, i, comp), fmt,
                         csize, seed, plants, decs, pools, comp))
    print("gen: %d files, %d MiB plain ..." % (len(jobs), a.size_mb),
          file=sys.stderr)
    with multiprocessing.Pool(a.jobs) as pool:
        res = pool.map(gen_file, jobs, chunksize=1)
    n = 0
    with open(os.path.join(out, "truth.tsv"), "w", encoding="utf-8") as f:
        for rel, truth in sorted(res):
            for line, ioc in truth:
                f.write("%s\t%d\t%s\n" % (rel, line, ioc))
                n += 1
    with open(os.path.join(out, "params.txt"), "w") as f:
        f.write("size_mb=%d seed=%d max_iocs=%d\n" %
                (a.size_mb, a.seed, a.max_iocs))
    print("gen: done, %d planted hits in %s" % (n, out), file=sys.stderr)


if __name__ == "__main__":
    main()
