"""The database down for 90 s while Segment's own Node client (@segment/analytics-node, default
retry settings, outage_client.js) sends 8,000 events, and `serve` SIGKILLed and restarted once in
between: the client finishes without a failure while the database is still down; once it is back
every event is stored exactly once within a minute; SIGTERM then exits 0.

The test runs a MariaDB of its own (scripts/db, in a temporary directory), since it kills it."""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import CLI, HERE, NODE_MODULES, Server, request, parse_prometheus  # noqa: E402

SOURCE = os.environ.get("ACTIONS_SOURCE_DIR", "")
KEY = "wk_outage"
EVENTS = 8000
RATE = 400            # events per second: the client sends for about 20 s
OUTAGE_SECONDS = 90   # from the database's crash to its restart
STORED_WITHIN = 60    # seconds after the restart


def scripts_db(*args):
    return subprocess.run([os.path.join(SOURCE, "scripts", "db"), *args], capture_output=True,
                          text=True, timeout=120)


class PrivateDatabase:
    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="outage-db-")
        shutil.rmtree(self.dir)
        started = scripts_db("start", "--dir", self.dir)
        if started.returncode != 0:
            raise AssertionError("scripts/db start failed: " + started.stderr)
        with open(os.path.join(self.dir, "settings.json")) as f:
            self.settings = json.load(f)

    def crash(self):
        """SIGKILL the server and wait until it is gone."""
        with open(os.path.join(self.dir, "mariadbd.pid")) as f:
            pid = int(f.read().strip())
        os.kill(pid, signal.SIGKILL)
        for _ in range(400):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.025)
        raise AssertionError("mariadbd did not die")

    def restart(self):
        r = scripts_db("restart", "--dir", self.dir)
        if r.returncode != 0:
            raise AssertionError("scripts/db restart failed: " + r.stderr)

    def count(self, table, prefix):
        s = self.settings
        out = subprocess.run(
            ["mariadb", "--no-defaults", "-h", s["host"], "-P", str(s["port"]), "-u",
             s["username"], s["dbName"], "-N", "-B", "-e",
             f"SELECT COUNT(*), COUNT(DISTINCT messageId) FROM `{table}` "
             f"WHERE messageId LIKE '{prefix}%'"],
            env=dict(os.environ, MYSQL_PWD=s["password"]), capture_output=True, text=True,
            timeout=60)
        if out.returncode != 0:
            return None
        rows = out.stdout.split()
        return (int(rows[0]), int(rows[1]))

    def stop(self):
        scripts_db("stop", "--dir", self.dir)


def metric(port, name, labels=None):
    status, _, body = request(port, "GET", "/metrics")
    if status != 200:
        return None
    for family in parse_prometheus(body).values():
        for sample_name, sample_labels, value in family["samples"]:
            if sample_name == name and (labels is None or sample_labels == labels):
                return value
    return None


class SpoolOutage(unittest.TestCase):
    def test_a_90_second_outage_and_a_crash_of_serve_lose_and_double_nothing(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not installed (scripts/setup installs it)")
        self.assertTrue(os.path.isdir(os.path.join(NODE_MODULES, "@segment", "analytics-node")),
                        f"@segment/analytics-node is not in {NODE_MODULES}: run scripts/setup")
        db = PrivateDatabase()
        work = tempfile.mkdtemp(prefix="outage-")
        spool = os.path.join(work, "spool")
        table = "outage_events"
        settings = dict(db.settings, tableName=table)
        settings_path = os.path.join(work, "settings.json")
        with open(settings_path, "w") as f:
            json.dump(settings, f)
        args = ["--write-key", KEY, "--quiet", "--spool", spool, "--retry-for", "2"]
        first = second = client = None
        prefix = "outage"
        try:
            first = Server(settings_path, args, ack="spool")
            port = first.port
            db.crash()
            down_at = time.time()
            client = subprocess.Popen(
                [node, os.path.join(HERE, "outage_client.js"), f"http://127.0.0.1:{port}", KEY,
                 str(EVENTS), str(RATE), prefix],
                env=dict(os.environ, NODE_PATH=NODE_MODULES), stdout=subprocess.PIPE,
                stderr=subprocess.PIPE, text=True)
            # serve crashes while the client is sending.
            deadline = time.time() + 60
            spooled = {"outcome": "spooled", "reason": ""}
            while (metric(port, "actions_serve_events_total", spooled) or 0) < 2000:
                self.assertLess(time.time(), deadline, "the first server spooled too little")
                time.sleep(0.05)
            first.proc.kill()
            self.assertEqual(first.wait(10), -signal.SIGKILL)
            second = Server(settings_path, args, port=port, ack="spool")
            recovered = [e for e in second.logs() if e["event"] == "spool"][0]
            self.assertGreaterEqual(recovered["eventsWaiting"], 2000)

            out, err = client.communicate(timeout=OUTAGE_SECONDS)
            finished_after = time.time() - down_at
            self.assertEqual(client.returncode, 0, out + err)
            result = json.loads(out.strip().splitlines()[-1])
            self.assertEqual((result["failed"], result["answered"]), (0, EVENTS), result)
            self.assertLess(finished_after, OUTAGE_SECONDS, "the client finished after the outage")
            self.assertGreaterEqual(metric(port, "actions_serve_spool_events_waiting"), EVENTS)
            self.assertEqual(metric(port, "actions_serve_spool_delivery_stalled"), 1)

            # The database stays down for its full 90 s, then comes back.
            time.sleep(max(0.0, OUTAGE_SECONDS - (time.time() - down_at)))
            db.restart()
            back_at = time.time()
            stored = None
            while time.time() - back_at < STORED_WITHIN:
                stored = db.count(table, prefix)
                if stored == (EVENTS, EVENTS):
                    break
                time.sleep(0.5)
            took = time.time() - back_at
            self.assertEqual(stored, (EVENTS, EVENTS), f"after {took:.1f} s")
            self.assertEqual(second.stop(signal.SIGTERM), 0, second.lines[-5:])
            stop = second.logs()[-1]
            self.assertEqual((stop["event"], stop["spoolWaiting"]), ("stop", 0))
            recovered_lines = [e for e in second.logs()
                               if e["event"] == "delivery" and e.get("state") == "recovered"]
            self.assertTrue(recovered_lines, second.lines[-10:])
            print(f"client finished {finished_after:.1f} s into the outage with no failure; "
                  f"all {EVENTS} stored once {took:.1f} s after the database came back "
                  f"(delivery recovered: {json.dumps(recovered_lines[0])})")
        finally:
            if client and client.poll() is None:
                client.kill()
            for s in (first, second):
                if s:
                    s.kill()
            db.stop()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if not CLI or not SOURCE:
        sys.exit("ACTIONS_CLI and ACTIONS_SOURCE_DIR must be set (run through ctest)")
    unittest.main(verbosity=2)
