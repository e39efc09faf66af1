#!/usr/bin/env python3
"""A hostile MySQL peer (rogue_server.py: offers no TLS, then asks for the cleartext password
method) must never receive the password: `send`, `test-auth` and `databases`, in every sslMode,
with the password in the settings file and in SINGLESTORE_PASSWORD. Needs no database.

usage: rogue_server_test.py CLI"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PASSWORD = "Rogue-Target-Passw0rd"
MODES = ["disabled", "preferred", "required", "verify_ca", "verify_identity"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc):
    deadline = time.time() + 10
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit("rogue server exited early")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    sys.exit("rogue server never listened")


def main():
    cli = sys.argv[1]
    failures = []
    with tempfile.TemporaryDirectory() as tmp:
        # A CA file so that the verify modes pass validation and reach the server.
        ca = os.path.join(tmp, "ca.pem")
        with open(ca, "w") as f:
            f.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        events = os.path.join(tmp, "events.ndjson")
        with open(events, "w") as f:
            f.write(json.dumps({"type": "track", "event": "E", "messageId": "m1",
                                "timestamp": "2024-01-01T00:00:00Z"}) + "\n")
        runs = 0
        # One rogue server per mode, so that what each mode let out can be told apart.
        for mode in MODES:
            log = os.path.join(tmp, "rogue-%s.log" % mode)
            port = free_port()
            rogue = subprocess.Popen([sys.executable, os.path.join(HERE, "rogue_server.py"),
                                      str(port), log])
            try:
                wait_listening(port, rogue)
                for where in ("file", "environment"):
                    settings = {"host": "127.0.0.1", "port": port, "username": "victim",
                                "dbName": "d", "sslMode": mode}
                    if mode.startswith("verify"):
                        settings["sslCa"] = ca
                    env = dict(os.environ)
                    env.pop("SINGLESTORE_PASSWORD", None)
                    if where == "file":
                        settings["password"] = PASSWORD
                    else:
                        env["SINGLESTORE_PASSWORD"] = PASSWORD
                    path = os.path.join(tmp, "settings-%s-%s.json" % (mode, where))
                    with open(path, "w") as f:
                        json.dump(settings, f)
                    for args in (["test-auth", "--settings", path],
                                 ["send", "--settings", path, "--retry-for", "0", events],
                                 ["databases", "--settings", path]):
                        r = subprocess.run([cli] + args, env=env, capture_output=True, text=True,
                                           timeout=60)
                        runs += 1
                        label = "%s %s (password in the %s)" % (args[0], mode, where)
                        if r.returncode != 2:
                            failures.append("%s: exit %d against a rogue server, not 2 (nothing sent)"
                                            % (label, r.returncode))
                        if PASSWORD in r.stdout or PASSWORD in r.stderr:
                            failures.append("%s: the password is in the output" % label)
                        if mode in ("disabled", "preferred"):
                            if "would reveal the password" not in r.stderr:
                                failures.append("%s: the refusal of the cleartext method is not "
                                                "explained: %s" % (label, r.stderr))
                        elif "does not offer TLS; no credentials were sent" not in r.stderr:
                            failures.append("%s: the error does not say TLS is missing: %s"
                                            % (label, r.stderr))
                time.sleep(0.2)  # the server logs from its own threads
            finally:
                rogue.kill()
                rogue.wait()
            seen = open(log, "rb").read() if os.path.exists(log) else b""
            if PASSWORD.encode() in seen:
                failures.append("%s: the rogue server received the password:\n%s"
                                % (mode, seen.decode("utf-8", "replace")[:2000]))
            if b"CLEARTEXT" in seen:
                failures.append("%s: a client answered the cleartext method request" % mode)
            if mode in ("disabled", "preferred") and b"HANDSHAKE" not in seen:
                failures.append("%s: the rogue server saw no login at all (the test would prove "
                                "nothing)" % mode)
            if mode not in ("disabled", "preferred") and seen:
                failures.append("%s: a login packet left although the server offers no TLS:\n%s"
                                % (mode, seen.decode("utf-8", "replace")[:500]))
            print("%s: %d bytes logged by the rogue server" % (mode, len(seen)))
        print("%d runs against rogue servers" % runs)
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
