"""`serve --ack spool` over HTTP: a 200 means the events are on disk, and they reach the table in
the background; while the database is down requests are still accepted and /ready says so; a full
spool answers 429 and accepts again once delivery frees it; one server per spool; a row the
database refuses goes to the dead-letter file without holding up the rest; and `--ack table`
keeps 200 meaning "in the table". The database is taken down for one server at a time through a
gate in front of the fixture's server (db_gate.py)."""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from db_gate import DbGate  # noqa: E402
from serve_support import (CLI, SETTINGS, Server, Table, event, parse_prometheus,  # noqa: E402
                           request, wait_for)

KEY = "wk_spool"


def metric(port, name, labels=None):
    """The value of one sample of /metrics (None when absent)."""
    status, _, body = request(port, "GET", "/metrics")
    assert status == 200, body
    for family in parse_prometheus(body).values():
        for sample_name, sample_labels, value in family["samples"]:
            if sample_name == name and (labels is None or sample_labels == labels):
                return value
    return None


def post_batch(port, events):
    return request(port, "POST", "/v1/batch", {"batch": events}, key=KEY)


def segment_files(directory):
    return sorted(f for f in os.listdir(directory) if f.startswith("segment-"))


class SpoolServe(unittest.TestCase):
    def setUp(self):
        self.table = Table("spool")
        self.servers = []
        self.gate = None

    def tearDown(self):
        for s in self.servers:
            s.kill()
        if self.gate:
            self.gate.stop()

    def serve(self, args=(), settings_path=None, **kw):
        s = Server(settings_path or self.table.settings_path, ["--write-key", KEY] + list(args),
                   **kw)
        self.servers.append(s)
        return s

    def gated_settings(self):
        self.gate = DbGate.for_settings(self.table.settings)
        return self.gate.settings_file(self.table.settings, self.table.dir)

    def test_a_200_means_spooled_and_the_events_reach_the_table(self):
        spool = tempfile.mkdtemp(prefix="spool-")
        srv = self.serve(["--spool", spool], ack="spool")
        events = [event(f"sp1-{i}") for i in range(5)] + [{"type": "track", "messageId": "sp1-x",
                                                            "userId": "u"}]
        status, _, body = post_batch(srv.port, events)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertTrue(answer["success"])
        self.assertEqual([r["index"] for r in answer["rejected"]], [5])
        self.assertTrue(wait_for(lambda: self.table.count("sp1-") == (5, 5), timeout=30),
                        self.table.count("sp1-"))
        self.assertTrue(wait_for(
            lambda: metric(srv.port, "actions_serve_spool_events_waiting") == 0, timeout=10))
        self.assertEqual(metric(srv.port, "actions_serve_events_total",
                                {"outcome": "spooled", "reason": ""}), 5)
        self.assertEqual(metric(srv.port, "actions_serve_spool_delivered_total",
                                {"outcome": "inserted"}), 5)
        self.assertGreaterEqual(metric(srv.port, "actions_serve_spool_fsyncs_total"), 1)
        self.assertTrue(segment_files(spool))
        start = [e for e in srv.logs() if e["event"] == "start"][0]
        self.assertEqual((start["ack"], start["spool"]), ("spool", os.path.realpath(spool)))
        self.assertEqual(srv.stop(), 0)

    def test_while_the_database_is_down_requests_are_accepted_and_kept_through_a_restart(self):
        gated = self.gated_settings()
        spool = tempfile.mkdtemp(prefix="spool-")
        srv = self.serve(["--spool", spool, "--retry-for", "1"], settings_path=gated, ack="spool")
        self.gate.close_gate()
        t0 = time.time()
        status, _, body = post_batch(srv.port, [event(f"sp2-{i}") for i in range(10)])
        self.assertEqual(status, 200, body)
        self.assertLess(time.time() - t0, 5, "the answer waited on the database")
        self.assertTrue(wait_for(
            lambda: metric(srv.port, "actions_serve_spool_delivery_stalled") == 1, timeout=30))
        status, _, body = request(srv.port, "GET", "/ready")
        self.assertEqual(status, 200, body)
        ready = json.loads(body)
        self.assertTrue(ready["ready"])
        self.assertNotEqual(ready["database"], "ok")
        self.assertEqual(metric(srv.port, "actions_serve_spool_events_waiting"), 10)
        self.assertGreater(metric(srv.port, "actions_serve_spool_oldest_event_age_seconds"), 0)
        stalled = [e for e in srv.logs() if e["event"] == "delivery" and e.get("state") == "stalled"]
        self.assertEqual(len(stalled), 1, srv.lines)
        self.assertEqual(stalled[0]["level"], "error")
        # SIGTERM: the database is still down; what waits stays on disk for the next start.
        self.assertEqual(srv.stop(), 0, srv.lines[-5:])
        stop = srv.logs()[-1]
        self.assertEqual((stop["event"], stop["spoolWaiting"]), ("stop", 10))
        self.assertEqual(self.table.count("sp2-"), (0, 0))
        # The next start, with the database reachable, delivers them.
        again = self.serve(["--spool", spool], ack="spool")
        spool_line = [e for e in again.logs() if e["event"] == "spool"][0]
        self.assertEqual(spool_line["eventsWaiting"], 10)
        self.assertTrue(wait_for(lambda: self.table.count("sp2-") == (10, 10), timeout=30))
        self.assertEqual(again.stop(), 0)

    def test_skipped_and_rejected_events_are_answered_while_the_database_is_down(self):
        # The events are judged (Destination::resolve) while the request waits, so what the
        # tracking rules, the integrations object and the mapping refuse is listed in the 200,
        # logged with the key's source, counted by reason and written to --rejects at once,
        # though nothing can reach the table.
        gated = self.gated_settings()
        rejects = os.path.join(tempfile.mkdtemp(prefix="spool-rejects-"), "rejects.ndjson")
        srv = self.serve(["--retry-for", "1", "--write-key", "wk_app=mobile-app", "--rejects",
                          rejects], settings_path=gated, ack="spool")
        self.gate.close_gate()
        batch = [event("sp7-ok"), event("sp7-type", "Track"),
                 {"type": "track", "messageId": "sp7-noname", "userId": "u"},
                 event("sp7-skip", integrations={"All": False})] + [7] * 150
        t0 = time.time()
        status, _, body = request(srv.port, "POST", "/v1/batch", {"batch": batch}, key="wk_app")
        self.assertEqual(status, 200, body)
        self.assertLess(time.time() - t0, 5, "the answer waited on the database")
        answer = json.loads(body)
        self.assertEqual([(s["index"], s["reason"]) for s in answer["skipped"]],
                         [(3, "integrations")])
        self.assertEqual(answer["rejectedTotal"], 152)
        # The list stops at 100 entries or 16 KiB; the total counts them all.
        self.assertLessEqual(len(answer["rejected"]), 100)
        self.assertGreater(len(answer["rejected"]), 50)
        self.assertEqual([(r["index"], r["reason"]) for r in answer["rejected"][:3]],
                         [(1, "type"), (2, "validation"), (4, "not_an_object")])
        self.assertTrue(wait_for(lambda: len(
            [e for e in srv.logs() if e["event"] == "refused"]) >= 21, timeout=10), srv.lines)
        refused = [e for e in srv.logs() if e["event"] == "refused"]
        self.assertTrue(all(e["source"] == "mobile-app" for e in refused), refused)
        self.assertEqual([(e["index"], e["reason"]) for e in refused[:3]],
                         [(1, "type"), (2, "validation"), (3, "integrations")])
        self.assertEqual(refused[-1]["notLogged"], 153 - 20)
        with open(rejects) as f:
            lines = [json.loads(line) for line in f]
        self.assertEqual(len(lines), 152)
        self.assertEqual(sorted(x["messageId"] for x in lines if isinstance(x, dict)),
                         ["sp7-noname", "sp7-type"])
        counts = {(labels["outcome"], labels["reason"]): value
                  for _, labels, value in parse_prometheus(request(
                      srv.port, "GET", "/metrics")[2])["actions_serve_events_total"]["samples"]}
        self.assertEqual(counts[("spooled", "")], 1)
        self.assertEqual(counts[("skipped", "integrations")], 1)
        self.assertEqual(counts[("rejected", "type")], 1)
        self.assertEqual(counts[("rejected", "validation")], 1)
        self.assertEqual(counts[("rejected", "not_an_object")], 150)
        self.assertEqual(metric(srv.port, "actions_serve_spool_events_waiting"), 1)
        # The database back: the accepted event alone reaches the table.
        self.gate.open_gate()
        self.assertTrue(wait_for(lambda: self.table.count("sp7-") == (1, 1), timeout=60),
                        self.table.count("sp7-"))
        self.assertEqual(self.table.sql(f"SELECT messageId FROM `{self.table.name}`"),
                         [["sp7-ok"]])
        self.assertEqual(srv.stop(), 0)

    def test_a_full_spool_answers_429_and_accepts_again_once_delivered(self):
        gated = self.gated_settings()
        spool = tempfile.mkdtemp(prefix="spool-")
        srv = self.serve(["--spool", spool, "--spool-max-bytes", "65536", "--retry-for", "1"],
                         settings_path=gated, ack="spool")
        self.gate.close_gate()
        # A first batch, and delivery seen stalled before the spool fills (so the recovery below
        # is one whatever the pace of the requests).
        status, _, body = post_batch(srv.port, [event(f"sp3-first-{i}") for i in range(20)])
        self.assertEqual(status, 200, body)
        self.assertTrue(wait_for(
            lambda: metric(srv.port, "actions_serve_spool_delivery_stalled") == 1, timeout=30))
        accepted, refused = 20, None
        for n in range(200):
            status, headers, body = post_batch(srv.port,
                                               [event(f"sp3-{n}-{i}") for i in range(20)])
            if status == 429:
                refused = (headers, body)
                break
            self.assertEqual(status, 200, body)
            accepted += 20
        self.assertIsNotNone(refused, "the spool never filled")
        self.assertGreater(accepted, 0)
        headers, body = refused
        self.assertEqual(headers.get("retry-after"), "2")
        self.assertIn("spool is full", json.loads(body)["error"])
        status, _, body = request(srv.port, "GET", "/ready")
        self.assertEqual(status, 503, body)
        self.assertIn("full", json.loads(body)["error"])
        self.assertGreaterEqual(metric(srv.port, "actions_serve_spool_refused_full_total"), 1)
        self.assertLessEqual(metric(srv.port, "actions_serve_spool_bytes"), 65536)
        # The database back: delivery empties the spool, and requests are taken again.
        self.gate.open_gate()
        self.assertTrue(wait_for(lambda: self.table.count("sp3-") == (accepted, accepted),
                                 timeout=90), self.table.count("sp3-"))
        self.assertTrue(wait_for(
            lambda: post_batch(srv.port, [event("sp3-after")])[0] == 200, timeout=30))
        self.assertTrue(wait_for(lambda: request(srv.port, "GET", "/ready")[0] == 200,
                                 timeout=10))
        recovered = [e for e in srv.logs() if e["event"] == "delivery"
                     and e.get("state") == "recovered"]
        self.assertTrue(recovered, srv.lines[-10:])
        self.assertTrue(wait_for(lambda: self.table.count("sp3-") == (accepted + 1,) * 2,
                                 timeout=30))
        self.assertEqual(srv.stop(), 0)

    def test_a_second_server_on_the_same_spool_exits_2_naming_the_holder(self):
        spool = tempfile.mkdtemp(prefix="spool-")
        first = self.serve(["--spool", spool], ack="spool")
        second = subprocess.run(
            [CLI, "serve", "--settings", self.table.settings_path, "--listen", "127.0.0.1:0",
             "--write-key", KEY, "--spool", spool],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(second.returncode, 2, second.stderr)
        self.assertIn(f"is in use by another process (pid {first.proc.pid})", second.stderr)
        self.assertEqual(first.stop(), 0)

    def test_a_row_the_database_refuses_is_dead_lettered_and_the_rest_stored(self):
        spool = tempfile.mkdtemp(prefix="spool-")
        srv = self.serve(["--spool", spool], ack="spool")
        self.assertEqual(post_batch(srv.port, [event("sp5-first")])[0], 200)
        self.assertTrue(wait_for(lambda: self.table.count("sp5-") == (1, 1), timeout=30))
        self.table.sql(f"ALTER TABLE `{self.table.name}` "
                       "ADD CONSTRAINT no_poison CHECK (event <> 'Poison')")
        events = [event("sp5-a"), event("sp5-poison", event="Poison"), event("sp5-b"),
                  event("sp5-c")]
        status, _, body = post_batch(srv.port, events)
        self.assertEqual(status, 200, body)
        self.assertTrue(wait_for(lambda: self.table.count("sp5-") == (4, 4), timeout=30),
                        self.table.count("sp5-"))
        self.assertTrue(wait_for(
            lambda: metric(srv.port, "actions_serve_spool_dead_letters_total") == 1, timeout=10))
        with open(os.path.join(spool, "dead-letters.ndjson")) as f:
            letters = [json.loads(line) for line in f]
        self.assertEqual(len(letters), 1)
        self.assertEqual(letters[0]["messageId"], "sp5-poison")
        self.assertIn("refused", letters[0]["error"])
        self.assertEqual(json.loads(letters[0]["payload"])["event"], "Poison")
        logged = [e for e in srv.logs() if e["event"] == "dead-letter"]
        self.assertEqual(len(logged), 1)
        self.assertEqual(logged[0]["file"], os.path.join(os.path.realpath(spool),
                                                         "dead-letters.ndjson"))
        self.assertEqual(metric(srv.port, "actions_serve_spool_events_waiting"), 0)
        self.assertEqual(srv.stop(), 0)

    def test_ack_table_answers_from_the_table_and_keeps_no_spool(self):
        gated = self.gated_settings()
        spool = tempfile.mkdtemp(prefix="spool-")
        srv = self.serve(["--spool", spool, "--retry-for", "1"], settings_path=gated, ack="table")
        self.gate.close_gate()
        status, headers, body = post_batch(srv.port, [event("sp6-down")])
        self.assertEqual(status, 503, body)
        self.assertEqual(headers.get("retry-after"), "2")
        # /ready reports the background check's last result: polled until it has seen the gate.
        self.assertTrue(wait_for(lambda: request(srv.port, "GET", "/ready")[0] == 503,
                                 timeout=10))
        self.assertEqual(os.listdir(spool), [])
        self.assertIsNone(metric(srv.port, "actions_serve_spool_bytes"))
        self.gate.open_gate()
        status, _, body = post_batch(srv.port, [event("sp6-up")])
        self.assertEqual(status, 200, body)
        self.assertEqual(self.table.count("sp6-up"), (1, 1))  # in the table when 200 comes
        self.assertEqual(self.table.count("sp6-down"), (0, 0))
        self.assertEqual(srv.stop(), 0)


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
