#!/usr/bin/env python3
"""Notification mail against a real local SMTP receiver.

Usage: mail_test.py VAKSAM_BINARY

Starts a small SMTP server (below, standard library only) on a free
loopback port and `vaksam serve --demo`, points the setting mail.smtp_url
at the receiver, then checks what arrives: every handler and admin with an
address is told of a new report; the reporter's contact address is told of
a state change (with the reason when rejected); a receiver that is down
makes the send fail and be queued again.  Prints TAP.
"""
import base64
import email
import email.header
import json
import os
import re
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import http.client
import shutil
import signal

received = []
commands = []
lock = threading.Lock()


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())

    def handle(self):
        self.reply("220 sink ESMTP")
        mail_from, rcpts = None, []
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.decode("utf-8", "replace").strip()
            up = cmd.upper()
            with lock:
                commands.append(cmd)
            if up.startswith("EHLO") or up.startswith("HELO"):
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif up.startswith("MAIL FROM:"):
                mail_from, rcpts = cmd[10:].strip(), []
                self.reply("250 ok")
            elif up.startswith("RCPT TO:"):
                rcpts.append(cmd[8:].strip().strip("<>"))
                self.reply("250 ok")
            elif up == "DATA":
                self.reply("354 go ahead")
                data = b""
                while True:
                    l = self.rfile.readline()
                    if l in (b".\r\n", b".\n", b""):
                        break
                    if l.startswith(b".."):
                        l = l[1:]
                    data += l
                with lock:
                    received.append((mail_from, rcpts, data))
                self.reply("250 queued")
            elif up == "QUIT":
                self.reply("221 bye")
                return
            elif up in ("RSET", "NOOP"):
                self.reply("250 ok")
            else:
                self.reply("502 not implemented")


class Sink(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


n = 0
failed = 0


def ok(cond, name, diag=None):
    global n, failed
    n += 1
    print(("ok %d - %s" if cond else "not ok %d - %s") % (n, name))
    if not cond:
        failed += 1
        if diag:
            for l in str(diag).splitlines()[:20]:
                print("#   " + l)
    sys.stdout.flush()


def request(port, method, path, headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    d = r.read()
    h = r.msg.get_all("Set-Cookie") or []
    c.close()
    return r.status, d, h


def wait_for(pred, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        with lock:
            if pred(list(received)):
                return True
        time.sleep(0.2)
    return False


def subject(raw):
    msg = email.message_from_bytes(raw)
    return str(email.header.make_header(
        email.header.decode_header(msg["Subject"]))), msg


def main():
    binary = sys.argv[1]
    sink = Sink(("127.0.0.1", 0), SMTPHandler)
    sport = sink.server_address[1]
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    tmp = tempfile.mkdtemp(prefix="vaksam-mail-")
    env = dict(os.environ)
    env.pop("VAKSAM_CONFIG", None)
    errlog = open(os.path.join(tmp, "server.log"), "w")
    proc = subprocess.Popen([binary, "serve", "--demo", "--listen",
                             "127.0.0.1:0", "--data",
                             os.path.join(tmp, "data")],
                            stdout=subprocess.PIPE, stderr=errlog, text=True,
                            env=env)
    pw, port = {}, None
    try:
        while True:
            line = proc.stdout.readline()
            if not line:
                break
            m = re.match(r"^\s+(\w+)\s+(\S+)\s+(\S+)$", line)
            if m:
                pw[m.group(2)] = m.group(3)
            m = re.search(r"portal is at http://127\.0\.0\.1:(\d+)/", line)
            if m:
                port = int(m.group(1))
                break
        if port is None:
            print("Bail out! server did not start")
            return 1

        def login(u):
            st, d, h = request(port, "POST", "/api/v1/session",
                               {"Content-Type": "application/json"},
                               json.dumps({"username": u,
                                           "password": pw[u]}))
            ck = [c.split(";")[0] for c in h
                  if c.startswith("vaksam_session=")][0]
            return {"Cookie": ck, "X-CSRF-Token": json.loads(d)["csrf_token"],
                    "Content-Type": "application/json"}
        admin, anna, cec = (login("eva.ek"), login("anna.andersson"),
                            login("cecilia.carlsson"))
        # Receiver down first: the send fails and is queued again.
        dead = socket.socket()
        dead.bind(("127.0.0.1", 0))
        dport = dead.getsockname()[1]
        dead.close()
        st, _, _ = request(port, "PUT", "/api/v1/settings", admin, json.dumps(
            {"mail.smtp_url": "smtp://127.0.0.1:%d" % dport,
             "mail.from": "vaksam@exempelkommun.se"}))
        ok(st == 200, "mail settings stored")
        st, d, _ = request(port, "POST", "/api/v1/incidents", anna, json.dumps(
            {"title": "Första försöket", "what": "x",
             "noticed_at": time.strftime("%Y-%m-%dT%H:%M",
                                         time.localtime(time.time() - 600)),
             "contact_email": "anna.privat@example.org"}))
        ok(st == 201, "a report while the receiver is down", d[:200])
        logged = False
        end = time.time() + 15
        while time.time() < end and not logged:
            logged = "attempt=1" in open(errlog.name).read()
            time.sleep(0.2)
        ok(logged, "a failed send is logged and will be retried")
        ok(len(received) == 0, "nothing arrived from the dead address")
        # Receiver up.
        st, _, _ = request(port, "PUT", "/api/v1/settings", admin, json.dumps(
            {"mail.smtp_url": "smtp://127.0.0.1:%d" % sport}))
        title = "Mejl som ber om BankID – åäö"
        st, d, _ = request(port, "POST", "/api/v1/incidents", anna, json.dumps(
            {"title": title, "what": "Jag klickade.",
             "noticed_at": time.strftime("%Y-%m-%dT%H:%M",
                                         time.localtime(time.time() - 600)),
             "personal_data": "yes",
             "contact_email": "anna.privat@example.org"}))
        ok(st == 201, "a report", d[:200])
        inc = json.loads(d)
        ref = inc["reference"]
        want = {"cecilia.carlsson@exempelkommun.se",
                "david.dahl@exempelkommun.se", "eva.ek@exempelkommun.se"}
        got = wait_for(lambda r: want <= {x for m in r for x in m[1]})
        with lock:
            rc = [x for m in received for x in m[1]]
        ok(got, "every handler and admin with an address is told", rc)
        ok("anna.andersson@exempelkommun.se" not in rc and
           "bo.berg@exempelkommun.se" not in rc,
           "employees are not told of others' reports", rc)
        with lock:
            first = [m for m in received
                     if "cecilia.carlsson@exempelkommun.se" in m[1]][-1]
        subj, msg = subject(first[2])
        ok(subj == "[vaksam] Ny anmälan %s: %s" % (ref, title),
           "subject: reference and title, UTF-8 encoded", subj)
        ok(first[0] == "<vaksam@exempelkommun.se>" and
           msg["From"] == "<vaksam@exempelkommun.se>",
           "sent from mail.from", (first[0], msg["From"]))
        body = msg.get_payload(decode=True).decode("utf-8")
        ok(ref in body and "Personuppgifter berörs: ja" in body,
           "body names the reference and personal data", body)
        ok(msg["Content-Type"] == "text/plain; charset=utf-8" and
           msg["Date"] and msg["Message-ID"],
           "MIME headers, Date and Message-ID present")
        # State changes reach the reporter's address.
        iid = inc["id"]
        st, d, _ = request(port, "POST", "/api/v1/incidents/%d/state" % iid,
                           cec, json.dumps({"state": "rejected",
                                            "reason": "Ett övningsmejl."}))
        ok(st == 200, "the handler rejects it", d[:200])
        got = wait_for(lambda r: any("anna.privat@example.org" in m[1] and
                                     b"avvisad" in m[2].lower() or
                                     "anna.privat@example.org" in m[1] and
                                     "avvisad" in subject(m[2])[0]
                                     for m in r))
        ok(got, "the reporter is told of the new state")
        with lock:
            mine = [m for m in received if "anna.privat@example.org" in m[1]]
        s2, m2 = subject(mine[-1][2]) if mine else ("", None)
        ok(s2 == "[vaksam] Din anmälan %s är nu avvisad" % ref,
           "subject names the reference and state", s2)
        b2 = m2.get_payload(decode=True).decode("utf-8") if m2 else ""
        ok("Skäl: Ett övningsmejl." in b2, "the reason is in the mail", b2)
        ok(len(mine) == 1, "exactly one mail to the reporter", len(mine))
        # A clock due within 6 hours: the handlers are told once.
        st, d, _ = request(port, "POST", "/api/v1/incidents", anna, json.dumps(
            {"title": "Krypterade filer", "what": "Filservern.",
             "noticed_at": time.strftime(
                 "%Y-%m-%dT%H:%M", time.localtime(time.time() - 20 * 3600))}))
        inc2 = json.loads(d)
        st, d, _ = request(port, "PATCH", "/api/v1/incidents/%d" % inc2["id"],
                           cec, json.dumps({"significant": True}))
        ok(st == 200 and json.loads(d)["clocks"]["early_warning"]["status"]
           == "soon", "marked significant, the early warning is due soon",
           d[:300])
        alert_subj = "[vaksam] Tidsfrist: Tidig varning för %s snart" % (
            inc2["reference"])
        got = wait_for(lambda r: {x for m in r if subject(m[2])[0] ==
                                  alert_subj for x in m[1]} >= want)
        ok(got, "every handler is alerted about the early warning")
        time.sleep(6)
        with lock:
            alerts = [m for m in received if subject(m[2])[0] == alert_subj]
            others = [m for m in received if "Tidsfrist" in subject(m[2])[0]
                      and inc2["reference"] in subject(m[2])[0] and
                      m not in alerts]
        ok(len(alerts) == len(want), "once, not at every scan", len(alerts))
        ok(not others, "the notification (due in 52 h) is not alerted",
           [subject(m[2])[0] for m in others])
        # Header injection through the title cannot add a recipient.
        st, d, _ = request(port, "POST", "/api/v1/incidents", anna, json.dumps(
            {"title": "x\r\nBcc: evil@example.org", "what": "y",
             "noticed_at": time.strftime("%Y-%m-%dT%H:%M",
                                         time.localtime(time.time() - 600))}))
        ok(st == 400, "a title with a line break is refused before any mail")
        time.sleep(1.5)
        with lock:
            rc = [x for m in received for x in m[1]]
        ok("evil@example.org" not in rc, "no injected recipient")
        # SMTP user and password from the settings reach the mailer: with
        # them it insists on TLS, which this receiver does not offer, so
        # nothing is sent and the password never crosses in clear.
        with lock:
            nrecv = len(received)
        nlog = open(errlog.name).read().count("attempt=1")
        st, _, _ = request(port, "PUT", "/api/v1/settings", admin, json.dumps(
            {"mail.smtp_user": "vaksam", "mail.smtp_password": "Pw-9f2Kq"}))
        ok(st == 200, "smtp user and password stored")
        st, d, _ = request(port, "POST", "/api/v1/incidents", anna, json.dumps(
            {"title": "Med inloggning", "what": "z",
             "noticed_at": time.strftime("%Y-%m-%dT%H:%M",
                                         time.localtime(time.time() - 600))}))
        ok(st == 201, "a report with SMTP credentials set", d[:200])
        logged = False
        end = time.time() + 15
        while time.time() < end and not logged:
            logged = open(errlog.name).read().count("attempt=1") > nlog
            time.sleep(0.2)
        with lock:
            cmds = list(commands)
            nrecv2 = len(received)
        ok(logged and nrecv2 == nrecv,
           "with a user set, a server without STARTTLS gets no mail",
           (logged, nrecv, nrecv2))
        ok(not any(c.upper().startswith("AUTH") or "Pw-9f2Kq" in c
                   for c in cmds), "no AUTH and no password in clear")
        ok("Pw-9f2Kq" not in open(errlog.name).read(),
           "the password is not in the server log")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        errlog.close()
        sink.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)
    print("1..%d" % n)
    return 1 if failed else 0


sys.exit(main())
