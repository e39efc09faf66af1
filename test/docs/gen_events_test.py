"""scripts/gen-events, the event generator the docs and benchmarks use: the same bytes for the
same arguments, the six types with the fields Segment's libraries send, every event valid for the
Send Data action (the built CLI's dry run says so), duplicates and faulty lines in the asked
proportion, and clear refusals of bad arguments.
"""
import collections
import datetime
import json
import os
import subprocess
import unittest

SOURCE = os.environ.get("ACTIONS_SOURCE_DIR", "")
CLI = os.environ.get("ACTIONS_CLI", "")
GEN = os.path.join(SOURCE, "scripts", "gen-events")


def gen(*args, check=True):
    r = subprocess.run([GEN, *map(str, args)], capture_output=True, timeout=300)
    if check and r.returncode != 0:
        raise AssertionError(f"gen-events {' '.join(map(str, args))}: {r.stderr.decode()}")
    return r


def lines(*args):
    return gen(*args).stdout.decode().splitlines()


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def ms(text):
    """Milliseconds since 1970 of an ISO 8601 time, exactly (no float rounding)."""
    t = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (t - EPOCH) // datetime.timedelta(milliseconds=1)


def dry_run(text):
    """The CLI's dry run over NDJSON text: (summary line, parsed per-event lines)."""
    r = subprocess.run([CLI, "send", "--dry-run", "-"], input=text.encode(), capture_output=True,
                       timeout=300)
    out = [json.loads(line) for line in r.stdout.decode().splitlines()]
    return r.stderr.decode().strip().splitlines()[-1], out, r.returncode


class GenEvents(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        if not SOURCE or not CLI:
            raise AssertionError("ACTIONS_SOURCE_DIR and ACTIONS_CLI are not set: run through ctest")

    def test_the_same_arguments_give_the_same_bytes(self):
        a = gen(3000, "--seed", 5, "--dupes", 3, "--bad", 3).stdout
        self.assertEqual(a, gen(3000, "--seed", 5, "--dupes", 3, "--bad", 3).stdout)
        self.assertNotEqual(a, gen(3000, "--seed", 6, "--dupes", 3, "--bad", 3).stdout)
        # A longer run starts with the shorter one: COUNT does not change the stream.
        self.assertTrue(gen(3500, "--seed", 5, "--dupes", 3, "--bad", 3).stdout.startswith(a))

    def test_six_types_with_what_segments_libraries_send(self):
        events = [json.loads(line) for line in lines(3000, "--seed", 11)]
        self.assertEqual(len(events), 3000)
        by_type = collections.defaultdict(list)
        for e in events:
            by_type[e["type"]].append(e)
        self.assertEqual(set(by_type), {"track", "identify", "page", "screen", "group", "alias"})
        for t, group in by_type.items():
            self.assertGreaterEqual(len(group), 40, f"too few {t} events to be a mix")
        ids = [e["messageId"] for e in events]
        self.assertEqual(len(set(ids)), len(ids), "messageIds repeat without --dupes")
        libraries = collections.Counter(e["context"]["library"]["name"] for e in events)
        self.assertEqual(set(libraries), {"analytics.js", "analytics-swift", "analytics-kotlin",
                                          "@segment/analytics-node"})
        for e in events:
            self.assertTrue("userId" in e or "anonymousId" in e, e)
            self.assertEqual(e["integrations"], {})
            # The tracking API's clock correction: timestamp = receivedAt - (sentAt - original).
            self.assertEqual(ms(e["timestamp"]),
                             ms(e["receivedAt"]) - (ms(e["sentAt"]) - ms(e["originalTimestamp"])))
            library = e["context"]["library"]["name"]
            if library == "analytics.js":
                self.assertTrue(e["messageId"].startswith("ajs-next-"))
                self.assertIn("page", e["context"])
                self.assertIn("userAgent", e["context"])
                self.assertNotEqual(e["type"], "screen")
            elif library in ("analytics-swift", "analytics-kotlin"):
                for key in ("app", "device", "os", "screen", "network", "timezone", "locale"):
                    self.assertIn(key, e["context"], library)
                self.assertNotEqual(e["type"], "page")
            else:
                self.assertTrue(e["messageId"].startswith("node-next-"))
                self.assertIn("userId", e)
        for e in by_type["track"]:
            self.assertIsInstance(e["event"], str)
            self.assertIsInstance(e["properties"], dict)
        orders = [e for e in by_type["track"] if e["event"] == "Order Completed"]
        self.assertTrue(orders and all(o["properties"]["products"] for o in orders))
        for e in by_type["identify"]:
            self.assertIn("email", e["traits"])
        for e in by_type["page"] + by_type["screen"]:
            self.assertIsInstance(e["name"], str)
        for e in by_type["group"]:
            self.assertTrue(e["groupId"] and e["traits"]["name"])
        for e in by_type["alias"]:
            self.assertEqual(e["previousId"], e["anonymousId"])
            self.assertIn("userId", e)
        # Users come back: one user's events share an anonymousId and a device.
        users = collections.Counter(e.get("userId") for e in events if e.get("userId"))
        self.assertGreater(users.most_common(1)[0][1], 1)
        text = "\n".join(lines(3000, "--seed", 11))
        self.assertTrue(any(ord(c) > 0x7F for c in text), "no non-ASCII text")
        self.assertIn("\\n", text)  # a line break inside a string, escaped

    def test_every_event_is_valid_for_the_send_data_action(self):
        summary, out, status = dry_run("\n".join(lines(5000, "--seed", 12)) + "\n")
        self.assertEqual(summary, "dry run: 5000 events: 5000 valid, 0 skipped, 0 rejected")
        self.assertEqual(status, 0)
        types = collections.Counter(o["payload"]["type"] for o in out)
        self.assertEqual(len(types), 6)

    def test_dupes_repeat_earlier_lines_exactly(self):
        got = lines(4000, "--seed", 13, "--dupes", 10)
        seen, repeats = set(), 0
        for line in got:
            if line in seen:
                repeats += 1
            seen.add(line)
        self.assertTrue(300 <= repeats <= 500, f"{repeats} repeated lines of 4000 for 10%")
        ids = [json.loads(line)["messageId"] for line in got]
        self.assertEqual(len(ids) - len(set(ids)), repeats, "a repeat is a new messageId")

    def test_bad_lines_come_in_proportion_each_kind_rejected(self):
        got = lines(4000, "--seed", 14, "--bad", 10)
        summary, out, status = dry_run("\n".join(got) + "\n")
        rejected = [o for o in out if not o["ok"]]
        self.assertTrue(300 <= len(rejected) <= 500, f"{len(rejected)} rejected of 4000 for 10%")
        self.assertEqual(status, 1)
        self.assertEqual(summary, f"dry run: 4000 events: {4000 - len(rejected)} valid, 0 skipped, "
                                  f"{len(rejected)} rejected")
        kinds = {"invalid JSON": 0, "'messageId'": 0, "'timestamp'": 0, "'event'": 0,
                 "date-like": 0, "at most 255 characters": 0, "JSON object": 0}
        for o in rejected:
            for k in kinds:
                if k in o["error"]:
                    kinds[k] += 1
        self.assertTrue(all(kinds.values()), f"a kind of faulty line never came: {kinds}")
        clean = lines(4000, "--seed", 14)
        self.assertEqual(len(clean), 4000)

    def test_arguments_are_checked(self):
        for args, message in (([], "COUNT is required"), (["ten"], "COUNT must be a whole number"),
                              (["5", "--dupes", "101"], "--dupes must be a percentage"),
                              (["5", "--seed"], "--seed needs a value"),
                              (["5", "--frobnicate", "1"], "unknown option --frobnicate"),
                              (["5", "--start", "soon"], "--start must be an ISO 8601 time")):
            r = gen(*args, check=False)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(message, r.stderr.decode(), args)
            self.assertEqual(r.stdout, b"", args)
        self.assertEqual(gen("--help").returncode, 0)
        self.assertEqual(len(lines(0)), 0)
        start = json.loads(lines(1, "--start", "2030-06-01T12:00:00Z")[0])
        self.assertTrue(start["timestamp"].startswith("2030-06-01T12:00:0"), start["timestamp"])

    def test_a_reader_that_stops_early_is_no_error(self):
        r = subprocess.run(f"{GEN} 200000 | head -n 3", shell=True, capture_output=True,
                           timeout=300)
        self.assertEqual(r.returncode, 0)
        self.assertEqual(len(r.stdout.decode().splitlines()), 3)
        self.assertEqual(r.stderr, b"")


if __name__ == "__main__":
    unittest.main(verbosity=2)
