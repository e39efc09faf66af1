#!/usr/bin/env python3
"""A hostile MySQL peer (rogue_server.py: offers no TLS, then asks for the cleartext password
method) must never receive the password: `send` and `test-auth`, in every sslMode, with the
password in the settings file and in SINGLESTORE_PASSWORD. Needs no database.

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
        log = os.path.join(tmp, "rogue.log")
        port = free_port()
        rogue = subprocess.Popen([sys.executable, os.path.join(HERE, "rogue_server.py"), str(port), log])
        try:
            wait_listening(port, rogue)
            # A CA file so that the verify modes pass validation and reach the server.
            ca = os.path.join(tmp, "ca.pem")
            with open(ca, "w") as f:
                f.write("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
            events = os.path.join(tmp, "events.ndjson")
            with open(events, "w") as f:
                f.write(json.dumps({"type": "track", "event": "E", "messageId": "m1",
                                    "timestamp": "2024-01-01T00:00:00Z"}) + "\n")
            runs = 0
            for mode in MODES:
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
                                 ["send", "--settings", path, "--retry-for", "0", events]):
                        r = subprocess.run([cli] + args, env=env, capture_output=True, text=True,
                                           timeout=60)
                        runs += 1
                        label = "%s %s (password in the %s)" % (args[0], mode, where)
                        if r.returncode == 0:
                            failures.append("%s: exit 0 against a rogue server" % label)
                        if PASSWORD in r.stdout or PASSWORD in r.stderr:
                            failures.append("%s: the password is in the output" % label)
                        if mode != "disabled" and mode != "preferred" and "TLS" not in r.stderr:
                            failures.append("%s: the error does not mention TLS: %s" % (label, r.stderr))
            time.sleep(0.2)  # the server logs asynchronously
            with open(log, "rb") as f:
                seen = f.read()
            if not seen:
                failures.append("the rogue server saw no connection at all (the test would prove nothing)")
            if PASSWORD.encode() in seen:
                failures.append("the rogue server received the password:\n" +
                                seen.decode("utf-8", "replace")[:2000])
            if b"CLEARTEXT" in seen:
                failures.append("a client answered the cleartext method request")
            print("%d runs against the rogue server, %d bytes logged by it" % (runs, len(seen)))
        finally:
            rogue.kill()
            rogue.wait()
    for f in failures:
        print("FAIL:", f)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
