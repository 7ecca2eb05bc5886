#!/usr/bin/env python3
"""API tests: data-driven HTTP cases against a real `vaksam serve`.

Usage: run.py VAKSAM_BINARY [sqlite|pg]

Starts `vaksam serve --demo` on a free loopback port with a fresh store
(a temporary data directory, or with `pg` a fresh database on the server
named by $VAKSAM_TEST_PG, see scripts/pg.sh), logs in as every role,
creates an API token for each, runs every case in tests/api/cases/*.json
and then the bad-input checks written below, printing TAP.  With `pg` and
no $VAKSAM_TEST_PG the run is skipped, except under CI=true, where it
fails.

A case is a JSON object:
  name       what it checks
  as         anonymous | employee | handler | admin | auditor (default
             anonymous); "token:ROLE" uses that role's API token
  method, path
  headers    extra request headers; "{csrf}" in a value is the session's
             CSRF token
  json       a body sent as application/json (unless headers say else)
  raw        a body sent as is (string; "\\xNN" escapes allowed via
             raw_hex instead)
  raw_hex    a body given in hex
  form       a dict sent as application/x-www-form-urlencoded; "{csrf}"
             and "{password}" (the role's demo password) are replaced;
             CSRF is NOT added by itself
  csrf       false to leave out X-CSRF-Token on JSON calls with a cookie
  repeat     send the request N times, check the last answer
  status     expected status
  expect     a JSON subset the body must contain
  headers_expect   headers that must be present with these values
                   (a value "*" only requires the header)
  headers_absent   headers that must not be present
  contains / not_contains   strings the body must (not) contain
"""
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROLES = ["employee", "handler", "admin", "auditor"]
DEMO = {"employee": "anna.andersson", "handler": "cecilia.carlsson",
        "admin": "eva.ek", "auditor": "fredrik.falk"}

n = 0
failed = 0


def ok(cond, name, diag=None):
    global n, failed
    n += 1
    if cond:
        print("ok %d - %s" % (n, name))
    else:
        failed += 1
        print("not ok %d - %s" % (n, name))
        if diag:
            for line in str(diag).splitlines()[:30]:
                print("#   " + line)
    sys.stdout.flush()


def subset(want, got, path="$"):
    """None when `want` is contained in `got`, else where it differs."""
    if isinstance(want, dict):
        if not isinstance(got, dict):
            return "%s: expected an object, got %r" % (path, got)
        for k, v in want.items():
            if k not in got:
                return "%s.%s: missing" % (path, k)
            d = subset(v, got[k], "%s.%s" % (path, k))
            if d:
                return d
        return None
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) < len(want):
            return "%s: expected a list of at least %d, got %r" % (
                path, len(want), got)
        for i, v in enumerate(want):
            d = subset(v, got[i], "%s[%d]" % (path, i))
            if d:
                return d
        return None
    if want != got:
        return "%s: expected %r, got %r" % (path, want, got)
    return None


class Server:
    def __init__(self, binary, backend):
        self.binary = binary
        self.backend = backend
        self.tmp = tempfile.mkdtemp(prefix="vaksam-api-")
        self.db = None
        self.pg_admin = None
        if backend == "pg":
            url = os.environ["VAKSAM_TEST_PG"]
            name = "vaksam_api_%s" % secrets.token_hex(4)
            u = urllib.parse.urlsplit(url)
            self.pg_admin = u._replace(path="/postgres").geturl()
            self.psql("CREATE DATABASE %s" % name)
            self.db = u._replace(path="/" + name).geturl()
            self.db_name = name
        self.store = ["--db", self.db] if self.db else [
            "--data", os.path.join(self.tmp, "data")]

    def psql(self, sql):
        psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
        subprocess.run([psql, "-q", "-v", "ON_ERROR_STOP=1", self.pg_admin,
                        "-c", sql], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        env = dict(os.environ)
        env["VAKSAM_TIMEOUT"] = "3"      # slow clients are dropped fast
        env["VAKSAM_THREADS"] = "4"
        # as if behind a reverse proxy on the same host
        env["VAKSAM_TRUSTED_PROXY"] = "127.0.0.1"
        env.pop("VAKSAM_CONFIG", None)
        self.err = open(os.path.join(self.tmp, "server.log"), "w")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--demo", "--listen", "127.0.0.1:0"]
            + self.store, stdout=subprocess.PIPE, stderr=self.err,
            env=env, text=True)
        self.passwords = {}
        deadline = time.time() + 60
        self.port = None
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.match(r"^\s+(employee|handler|admin|auditor)\s+(\S+)"
                         r"\s+(\S+)$", line)
            if m:
                self.passwords[m.group(2)] = m.group(3)
            m = re.search(r"portal is at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                self.port = int(m.group(1))
                break
        if self.port is None:
            raise RuntimeError("server did not start:\n" +
                               open(self.err.name).read())

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.err.close()

    def cleanup(self):
        if self.db:
            try:
                self.psql("DROP DATABASE %s WITH (FORCE)" % self.db_name)
            except subprocess.CalledProcessError:
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cli(self, *args):
        return subprocess.run([self.binary] + list(args) + self.store,
                              capture_output=True, text=True)


def request(port, method, path, headers=None, body=None, timeout=20):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    cookies = r.msg.get_all("Set-Cookie") or []
    c.close()
    return r.status, hdrs, data, cookies


class Who:
    def __init__(self, cookie=None, csrf=None, token=None):
        self.cookie, self.csrf, self.token = cookie, csrf, token


def login(srv, role):
    user = DEMO[role]
    body = json.dumps({"username": user, "password": srv.passwords[user]})
    st, h, data, cookies = request(srv.port, "POST", "/api/v1/session",
                                   {"Content-Type": "application/json"},
                                   body)
    if st != 201:
        raise RuntimeError("login as %s: %d %s" % (role, st, data))
    cookie = [c.split(";")[0] for c in cookies
              if c.startswith("vaksam_session=")][0]
    return Who(cookie=cookie, csrf=json.loads(data)["csrf_token"])


def fill(s, w, srv, as_):
    """Replaces {csrf} and {password} (the demo password of the role)."""
    s = s.replace("{csrf}", w.csrf or "")
    if as_ in DEMO:
        s = s.replace("{password}", srv.passwords[DEMO[as_]])
    return s


def run_case(srv, who, case, fname):
    name = "%s: %s" % (fname, case.get("name", case["path"]))
    as_ = case.get("as", "anonymous")
    w = Who()
    if as_.startswith("token:"):
        w = Who(token=who["tokens"][as_[6:]])
    elif as_ != "anonymous":
        w = who[as_]
    headers = {}
    for k, v in case.get("headers", {}).items():
        headers[k] = fill(v, w, srv, as_)
    if w.cookie:
        headers["Cookie"] = w.cookie + "; " + headers.get("Cookie", "")
    if w.token:
        headers.setdefault("Authorization", "Bearer " + w.token)
    body = None
    if "json" in case:
        body = json.dumps(case["json"]).encode()
        headers.setdefault("Content-Type", "application/json")
    elif "raw" in case:
        body = case["raw"].encode()
    elif "raw_hex" in case:
        body = bytes.fromhex(case["raw_hex"])
    elif "form" in case:
        body = urllib.parse.urlencode(
            [(k, fill(str(v), w, srv, as_))
             for k, v in case["form"].items()]).encode()
        headers.setdefault("Content-Type",
                           "application/x-www-form-urlencoded")
    if (w.cookie and case["method"] not in ("GET", "HEAD")
            and case.get("csrf", True) and "form" not in case):
        headers.setdefault("X-CSRF-Token", w.csrf)
    for _ in range(case.get("repeat", 1)):
        st, h, data, _ = request(srv.port, case["method"], case["path"],
                                 headers, body)
    problems = []
    if st != case["status"]:
        problems.append("status %d, expected %d" % (st, case["status"]))
    if "expect" in case:
        try:
            d = subset(case["expect"], json.loads(data))
        except ValueError:
            d = "body is not JSON"
        if d:
            problems.append(d)
    for k, v in case.get("headers_expect", {}).items():
        got = h.get(k.lower())
        if got is None or (v != "*" and got != v):
            problems.append("header %s: %r, expected %r" % (k, got, v))
    for k in case.get("headers_absent", []):
        if k.lower() in h:
            problems.append("header %s present: %r" % (k, h[k.lower()]))
    text = data.decode("utf-8", "replace")
    for s in case.get("contains", []):
        if s not in text:
            problems.append("body lacks %r" % s)
    for s in case.get("not_contains", []):
        if s in text:
            problems.append("body contains %r" % s)
    ok(not problems, name, "\n".join(problems) + "\nbody: " + text[:600])


def bad_input_checks(srv, who):
    """Bad input that a data file cannot express well."""
    port = srv.port
    admin = who["admin"]
    # Oversized bodies: by Content-Length at once, and chunked.
    import socket
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(("POST /api/v1/users HTTP/1.1\r\nHost: x\r\n"
               "Cookie: %s\r\nX-CSRF-Token: %s\r\n"
               "Content-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n" % (
                   admin.cookie, admin.csrf, 2 * 1024 * 1024)).encode())
    s.sendall(b"x" * 4096)   # a start; the answer must not wait for all
    data = b""
    try:
        while b"body_too_large" not in data:
            more = s.recv(65536)
            if not more:
                break
            data += more
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    ok(data.startswith(b"HTTP/1.1 413") and b"body_too_large" in data,
       "bad input: 2 MiB JSON body is 413 before it is read",
       data[:300])
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.putrequest("POST", "/login")
    c.putheader("Transfer-Encoding", "chunked")
    c.putheader("Content-Type", "application/x-www-form-urlencoded")
    c.endheaders()
    chunk = b"a" * 65536
    for _ in range(24):
        c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    c.send(b"0\r\n\r\n")
    r = c.getresponse()
    ok(r.status == 413, "bad input: 1.5 MiB chunked form is 413",
       r.status)
    c.close()
    # Header flood: more header bytes than the connection may hold.
    hdrs = {"X-Flood-%d" % i: "y" * 200 for i in range(400)}
    try:
        st, _, _, _ = request(port, "GET", "/healthz", hdrs)
    except (ConnectionError, http.client.HTTPException) as e:
        st = str(e)
    ok(st == 431, "bad input: header flood refused with 431 (%s)" % st)
    # A very slow client is dropped, and others are served meanwhile.
    import socket
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    t0 = time.time()
    st, _, data, _ = request(port, "GET", "/healthz")
    ok(st == 200, "bad input: served while a slow client hangs")
    s.settimeout(15)
    try:
        gone = s.recv(100) == b""
    except (ConnectionResetError, socket.timeout):
        gone = True
    ok(gone and time.time() - t0 < 14,
       "bad input: slow client dropped after the timeout (%.1fs)" %
       (time.time() - t0))
    s.close()
    # Hostile text in every field is stored and shown escaped.
    evil = "<script>alert(1)</script>'; DROP TABLE users;--\"&"
    st, h, data, _ = request(port, "POST", "/api/v1/users", {
        "Cookie": admin.cookie, "X-CSRF-Token": admin.csrf,
        "Content-Type": "application/json"}, json.dumps({
            "username": "mallory", "role": "employee",
            "display_name": evil, "email": "m@example.se"}))
    ok(st == 201 and json.loads(data)["display_name"] == evil,
       "bad input: SQL/HTML in display_name stored as text",
       "%d %s" % (st, data[:300]))
    st, h, data, _ = request(port, "PUT", "/api/v1/settings", {
        "Cookie": admin.cookie, "X-CSRF-Token": admin.csrf,
        "Content-Type": "application/json"}, json.dumps({
            "org.name": evil}))
    ok(st == 200, "bad input: SQL/HTML in org.name stored", st)
    st, h, data, _ = request(port, "GET", "/users", {
        "Cookie": admin.cookie})
    text = data.decode()
    ok(st == 200 and "<script>" not in text and
       "&lt;script&gt;alert(1)&lt;/script&gt;&#39;; DROP TABLE users;--"
       "&quot;&amp;" in text,
       "bad input: hostile text shown escaped on /users and in the title")
    # A failing change leaves the store unchanged.
    _, _, before, _ = request(port, "GET", "/api/v1/settings", {
        "Cookie": admin.cookie})
    st, _, _, _ = request(port, "PUT", "/api/v1/settings", {
        "Cookie": admin.cookie, "X-CSRF-Token": admin.csrf,
        "Content-Type": "application/json"}, json.dumps({
            "org.name": "Changed", "org.mail_domains": "not a domain!"}))
    _, _, after, _ = request(port, "GET", "/api/v1/settings", {
        "Cookie": admin.cookie})
    ok(st == 400 and before == after,
       "bad input: a partly bad settings change changes nothing")
    for hx in ("ff", "c3", "eda080"):
        st, _, _, _ = request(port, "PUT", "/api/v1/settings", {
            "Cookie": admin.cookie, "X-CSRF-Token": admin.csrf,
            "Content-Type": "application/json"},
            b'{"org.name":"' + bytes.fromhex(hx) + b'"}')
        _, _, now, _ = request(port, "GET", "/api/v1/settings", {
            "Cookie": admin.cookie})
        ok(st == 400 and now == before,
           "bad input: invalid UTF-8 (%s) refused, nothing stored" % hx)
    st, _, _, _ = request(port, "GET", "/healthz")
    ok(st == 200, "bad input: the server still serves after all this")
    # Behind the trusted proxy with https: the cookie is Secure, and the
    # audit log names the forwarded client.
    st, h, data, cookies = request(port, "POST", "/api/v1/session", {
        "Content-Type": "application/json", "X-Forwarded-Proto": "https",
        "X-Forwarded-For": "198.51.100.7"}, json.dumps({
            "username": "david.dahl",
            "password": srv.passwords["david.dahl"]}))
    ok(st == 201 and any("; Secure" in c and "HttpOnly" in c and
                         "SameSite=Strict" in c for c in cookies),
       "proxy: https login sets a Secure, HttpOnly, SameSite cookie",
       cookies)
    st, h, data, _ = request(port, "GET",
                             "/api/v1/audit?action=session.login&limit=1",
                             {"Cookie": who["auditor"].cookie})
    ok(st == 200 and json.loads(data)["items"][0]["source"] ==
       "198.51.100.7", "proxy: the audit log has the forwarded address",
       data[:300])


def tls_check(binary, backend):
    """A second server with --tls-cert/--tls-key answers HTTPS with HSTS."""
    import ssl
    if backend != "sqlite" or not shutil.which("openssl"):
        return
    tmp = tempfile.mkdtemp(prefix="vaksam-tls-")
    cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                    "-subj", "/CN=localhost"], check=True,
                   capture_output=True)
    p = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0",
                          "--data", os.path.join(tmp, "d"), "--tls-cert",
                          cert, "--tls-key", key], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in p.stdout:
            m = re.search(r"portal is at https://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        c = http.client.HTTPSConnection("127.0.0.1", port, context=ctx,
                                        timeout=20)
        c.request("GET", "/login")
        r = c.getresponse()
        r.read()
        ok(r.status == 200 and r.getheader("Strict-Transport-Security"),
           "TLS: HTTPS with HSTS")
        c.close()
    except Exception as e:
        ok(False, "TLS: HTTPS with HSTS", e)
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(20)
        p.stdout.close()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    binary = sys.argv[1]
    backend = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
    if backend == "pg" and not os.environ.get("VAKSAM_TEST_PG"):
        if os.environ.get("CI") == "true":
            print("not ok 1 - PostgreSQL API tests: VAKSAM_TEST_PG is not "
                  "set (scripts/pg.sh start)\n1..1")
            return 1
        print("1..0 # SKIP VAKSAM_TEST_PG not set (scripts/pg.sh start)")
        return 0
    srv = Server(binary, backend)
    try:
        srv.start()
        who = {r: login(srv, r) for r in ROLES}
        who["tokens"] = {}
        for r in ROLES:
            p = srv.cli("token", "create", "--user", DEMO[r], "--name",
                        "api-test")
            m = re.search(r"vk_\d+_[0-9a-f]{64}", p.stdout)
            if not m:
                raise RuntimeError("token create: " + p.stdout + p.stderr)
            who["tokens"][r] = m.group(0)
        for fname in sorted(os.listdir(os.path.join(HERE, "cases"))):
            if not fname.endswith(".json"):
                continue
            with open(os.path.join(HERE, "cases", fname)) as f:
                cases = json.load(f)
            for case in cases:
                run_case(srv, who, case, fname[:-5])
        bad_input_checks(srv, who)
        srv.stop()
        ok(srv.proc.returncode == 0,
           "SIGTERM stops the server cleanly (exit %s)" %
           srv.proc.returncode)
    except Exception as e:  # a crash is a failure, with its reason
        ok(False, "api run (%s)" % backend, "%s\n%s" % (
            e, open(os.path.join(srv.tmp, "server.log")).read()[-3000:]
            if os.path.exists(os.path.join(srv.tmp, "server.log")) else ""))
        try:
            srv.stop()
        except Exception:
            pass
    finally:
        srv.cleanup()
    tls_check(binary, backend)
    print("1..%d" % n)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
