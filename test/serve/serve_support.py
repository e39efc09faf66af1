"""Helpers of the serve tests: the fixture's database, a `serve` process, HTTP requests.

The tests drive the built CLI as users do. The database is the one the CTest fixture "db"
started (ACTIONS_TEST_SETTINGS); each test writes to a table of its own.
"""
import base64
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid

CLI = os.environ.get("ACTIONS_CLI", "")
SETTINGS = os.environ.get("ACTIONS_TEST_SETTINGS", "")
HERE = os.path.dirname(os.path.abspath(__file__))
NODE_MODULES = os.path.join(HERE, "npm", "node_modules")


def base_settings():
    with open(SETTINGS) as f:
        return json.load(f)


class Table:
    """A fresh table name and a settings file that writes to it."""

    def __init__(self, prefix="serve"):
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.settings = base_settings()
        self.settings["tableName"] = self.name
        self.dir = tempfile.mkdtemp(prefix="serve-test-")
        self.settings_path = os.path.join(self.dir, "settings.json")
        with open(self.settings_path, "w") as f:
            json.dump(self.settings, f)
        os.chmod(self.settings_path, 0o600)

    def sql(self, query):
        s = self.settings
        env = dict(os.environ, MYSQL_PWD=s["password"])
        out = subprocess.run(
            ["mariadb", "--no-defaults", "-h", s["host"], "-P", str(s["port"]), "-u",
             s["username"], s["dbName"], "-N", "-B", "-e", query],
            env=env, capture_output=True, text=True, timeout=60)
        if out.returncode != 0:
            raise RuntimeError(f"sql failed: {out.stderr.strip()}")
        return [line.split("\t") for line in out.stdout.splitlines()]

    def count(self, prefix):
        """(rows, distinct messageIds) whose messageId starts with `prefix`; (0, 0) before the
        table exists."""
        try:
            rows = self.sql(f"SELECT COUNT(*), COUNT(DISTINCT messageId) FROM `{self.name}` "
                            f"WHERE messageId LIKE '{prefix}%'")
        except RuntimeError as e:
            if "doesn't exist" in str(e):
                return (0, 0)
            raise
        return (int(rows[0][0]), int(rows[0][1]))


class Server:
    """A running `actions-singlestore serve`; its log lines are collected as they come."""

    def __init__(self, settings_path, args=(), port=0, wait=True, env=None, ack="table",
                 preexec_fn=None):
        """`ack` is used unless `args` has --ack: "table" (200 means in the table, as most tests
        assert) or "spool" (then in a fresh spool directory unless `args` has --spool)."""
        cmd = [CLI, "serve", "--settings", settings_path, "--listen", f"127.0.0.1:{port}"]
        args = list(args)
        if "--ack" not in args:
            args += ["--ack", ack]
        if "--spool" not in args and args[args.index("--ack") + 1] == "spool":
            args += ["--spool", tempfile.mkdtemp(prefix="serve-spool-")]
        cmd += args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     text=True, env=dict(os.environ, **(env or {})),
                                     preexec_fn=preexec_fn)
        self.lines = []
        self.started = threading.Event()
        self.port = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if wait:
            if not self.started.wait(30):
                self.proc.kill()
                raise AssertionError("serve did not start: " + "\n".join(self.lines))

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append(line.rstrip("\n"))
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if entry.get("event") == "start" and "listen" in entry:
                self.port = int(entry["listen"].rsplit(":", 1)[1])
                self.started.set()
        self.started.set()

    def settle(self, timeout=60):
        """Waits until the spool holds no event waiting for the table (/metrics'
        actions_serve_spool_events_waiting is 0), so every event answered 200 is in the table (or
        dead-lettered); returns at once with --ack table, which has no spool."""
        def waiting():
            status, _, body = request(self.port, "GET", "/metrics")
            if status != 200:
                return None
            family = parse_prometheus(body).get("actions_serve_spool_events_waiting")
            return family["samples"][0][2] if family else 0
        if not wait_for(lambda: waiting() == 0, timeout=timeout):
            raise AssertionError(f"the spool still held events after {timeout} s: {waiting()}")

    def logs(self):
        """The log lines parsed; a line that is not JSON fails the test."""
        return [json.loads(line) for line in self.lines]

    def stop(self, sig=signal.SIGTERM, timeout=60):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.wait(timeout)

    def wait(self, timeout=60):
        rc = self.proc.wait(timeout)
        self._reader.join(10)
        self.proc.stderr.close()
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


def basic(key):
    return "Basic " + base64.b64encode(f"{key}:".encode()).decode()


def request(port, method, path, body=None, headers=None, key=None, timeout=60):
    """(status, headers dict with lower-case names, body text)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Content-Type": "application/json"}
    if key is not None:
        h["Authorization"] = basic(key)
    h.update(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    try:
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read().decode()
    finally:
        conn.close()


def read_answer(s, timeout=30):
    """(status, headers, body) of one answer on `s`; (None, {}, "") when it closed first."""
    s.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                return None, {}, ""
            data += chunk
        head, _, rest = data.partition(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers.get("content-length", "0"))
        while len(rest) < length:
            chunk = s.recv(65536)
            if not chunk:
                break
            rest += chunk
        return int(lines[0].split(" ")[1]), headers, rest.decode(errors="replace")
    except (ConnectionResetError, socket.timeout):
        return None, {}, ""


def event(message_id, kind="track", **extra):
    e = {"type": kind, "messageId": message_id, "userId": "u-1",
         "timestamp": "2026-01-01T00:00:00.000Z", "properties": {"n": 1}}
    if kind == "track":
        e["event"] = "Order Completed"
    e.update(extra)
    return e


# Prometheus text exposition, version 0.0.4: comment lines and samples `name{labels} value`.
_SAMPLE = re.compile(
    r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
    r'(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*")*)?\})? '
    r'(-?[0-9.eE+-]+|[+-]Inf|NaN)( -?[0-9]+)?$')
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\.)*)"')


def parse_prometheus(text):
    """{family: {"type": t, "samples": [(name, {labels}, value)]}}; raises ValueError on a line
    that is not the text format, a sample before its TYPE, or a family typed twice."""
    families, current = {}, None
    if not text.endswith("\n"):
        raise ValueError("the exposition must end with a newline")
    for line in text.splitlines():
        if not line:
            continue
        if line.startswith("# HELP "):
            continue
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            if kind not in ("counter", "gauge", "histogram", "summary", "untyped"):
                raise ValueError(f"bad type: {line}")
            if name in families:
                raise ValueError(f"typed twice: {name}")
            families[name] = {"type": kind, "samples": []}
            current = name
            continue
        if line.startswith("#"):
            continue
        m = _SAMPLE.match(line)
        if not m:
            raise ValueError(f"not a sample line: {line!r}")
        name = m.group(1)
        family = current if current and name.startswith(current) else None
        if family is None:
            raise ValueError(f"sample before its TYPE line: {line!r}")
        labels = dict(_LABEL.findall(m.group(3) or ""))
        families[family]["samples"].append((name, labels, float(m.group(5))))
    return families


def wait_for(predicate, timeout=30, step=0.1):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
