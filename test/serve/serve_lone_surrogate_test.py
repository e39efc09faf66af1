"""A string cut inside an emoji through `serve`, as Segment's clients send it: JSON.stringify
writes the lone half as "\\ud83d", JSON.parse (and so Segment) reads it. It costs at most its own
event, never the batch: the request is answered 200 with that event listed, the others are
stored and read back as sent, and under --ack spool nothing reaches the dead-letter file (the
event is refused before it is spooled, by the field it is in)."""
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import (CLI, SETTINGS, Server, Table, event, parse_prometheus,  # noqa: E402
                           request)

KEY = "wk_lone"
CUT = "Grinning \U0001F600"[:-1] + "\ud83d"  # what JavaScript's 'Grinning 😀'.slice(0, -1) is


def batch(prefix):
    """Twenty events; the eighth has a cut title, the ninth a cut messageId, the tenth a cut
    event name; every one has a whole emoji."""
    events = [event(f"{prefix}-{i}", properties={"title": f"Title {i} \U0001F600", "i": i})
              for i in range(20)]
    events[7]["properties"]["title"] = CUT
    events[8]["messageId"] = f"{prefix}-8\ud83d"
    events[9]["event"] = "Order \ud83d"
    return events


REASONS = {
    7: "Message holds half of a character (the lone surrogate \\ud83d in properties.title): "
       "the table's JSON column cannot store it.",
    8: "Message ID holds half of a character (the lone surrogate \\ud83d at UTF-16 position {}): "
       "its text column stores only whole characters.",
    9: "Event holds half of a character (the lone surrogate \\ud83d at UTF-16 position 6): "
       "its text column stores only whole characters.",
}


def metric(port, name):
    status, _, body = request(port, "GET", "/metrics")
    assert status == 200, body
    family = parse_prometheus(body).get(name)
    return sum(s[2] for s in family["samples"]) if family else None


class LoneSurrogates(unittest.TestCase):
    def setUp(self):
        self.table = Table("lone")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.kill()

    def serve(self, ack, args=()):
        s = Server(self.table.settings_path, ["--write-key", KEY] + list(args), ack=ack)
        self.servers.append(s)
        return s

    def stored_messages(self, prefix):
        """Each stored message by messageId: the column's bytes, decoded as UTF-8 and parsed."""
        rows = self.table.sql(f"SELECT messageId, HEX(message) FROM `{self.table.name}` "
                              f"WHERE messageId LIKE '{prefix}-%'")
        return {r[0]: json.loads(bytes.fromhex(r[1]).decode("utf-8")) for r in rows}

    def stored_properties(self, prefix):
        return {k: m["properties"] for k, m in self.stored_messages(prefix).items()}

    def expect_nineteen_minus_the_cut(self, prefix, events):
        stored = self.stored_properties(prefix)
        self.assertEqual(len(stored), 17, sorted(stored))
        for i, e in enumerate(events):
            if i in REASONS:
                self.assertNotIn(e["messageId"], stored)
            else:
                self.assertEqual(stored[e["messageId"]], e["properties"])

    def check_tracking_batch(self, ack):
        spool = tempfile.mkdtemp(prefix="lone-spool-")
        srv = self.serve(ack, ["--spool", spool] if ack == "spool" else [])
        prefix = f"lone-{ack}"
        events = batch(prefix)
        status, _, body = request(srv.port, "POST", "/v1/batch", {"batch": events}, key=KEY)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertTrue(answer["success"])
        rejected = {r["index"]: r for r in answer["rejected"]}
        self.assertEqual(sorted(rejected), sorted(REASONS))
        for i, why in REASONS.items():
            self.assertEqual(rejected[i]["status"], 400)
            self.assertEqual(rejected[i]["error"], why.format(len(prefix) + 2), rejected[i])
        self.assertEqual(rejected[8]["messageId"], events[8]["messageId"])
        srv.settle()
        self.expect_nineteen_minus_the_cut(prefix, events)
        if ack == "spool":
            self.assertIn(metric(srv.port, "actions_serve_spool_dead_letters_total"), (None, 0))
            self.assertFalse(os.path.exists(os.path.join(spool, "dead-letters.ndjson")))
        self.assertEqual(srv.stop(), 0)

    def test_a_tracking_batch_spooled_loses_only_the_cut_events(self):
        self.check_tracking_batch("spool")

    def test_a_tracking_batch_answered_from_the_table_loses_only_the_cut_events(self):
        self.check_tracking_batch("table")

    def test_actions_send_reads_the_body_as_the_destination_does(self):
        srv = self.serve("table")
        events = batch("lone-as")
        # A write key inside an event is taken out before it is stored; the whole emoji and the
        # rest of the event stay as they were.
        events[3]["writeKey"] = KEY
        status, _, body = request(srv.port, "POST", "/actions/send", {"payload": events}, key=KEY)
        self.assertEqual(status, 200, body)
        results = json.loads(body)["results"]
        self.assertEqual([r["status"] for r in results],
                         [400 if i in REASONS else 200 for i in range(20)])
        for i, why in REASONS.items():
            self.assertEqual(results[i]["errormessage"], why.format(len("lone-as") + 2))
        self.expect_nineteen_minus_the_cut("lone-as", events)
        self.assertNotIn("writeKey", self.stored_messages("lone-as")["lone-as-3"])
        # One event as the payload, with its key given twice: the verdict is the cut title's.
        one = event("lone-as-one", properties={"title": CUT})
        text = json.dumps({"payload": one})[:-2] + f', "writeKey": "{KEY}", "writeKey": "x"}}}}'
        status, _, body = request(srv.port, "POST", "/actions/send", text, key=KEY)
        self.assertEqual(status, 200, body)
        [result] = json.loads(body)["results"]
        self.assertEqual(result["errormessage"], REASONS[7], result)
        self.assertEqual(srv.stop(), 0)


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
