"""Segment's sources against `serve` over HTTP, as each posts (docs/serve.md): the batch paths of
the server libraries (/v1/batch, /v1/import), the browser's and mobile SDKs' /v1/b and short paths
with text/plain bodies and the write key in the body, Segment's HTTP API example, CORS, the
settings an SDK loads, what Segment's API adds to each event, the integrations object, source
names, and every skipped or rejected event answered, logged, counted and written to --rejects."""
import datetime
import http.client
import json
import os
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import (CLI, SETTINGS, Server, Table, basic, event, parse_prometheus,  # noqa: E402
                           request)

KEY, WEB_KEY, IOS_KEY = "wk_srv", "wk_web", "wk_ios"


def iso(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


def parse_iso(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def text_plain(port, path, payload, headers=None):
    """A request as analytics.js sends it: text/plain, the key in the body."""
    h = {"Content-Type": "text/plain"}
    h.update(headers or {})
    return request(port, "POST", path, json.dumps(payload), headers=h)


class TrackingSources(unittest.TestCase):
    """With --ack table: each 200 comes once the accepted events are in the table."""
    ack, accepted = "table", "inserted"

    @classmethod
    def setUpClass(cls):
        cls.table = Table("sources")
        cls.rejects = os.path.join(tempfile.mkdtemp(prefix="serve-rejects-"), "rejects.ndjson")
        cls.server = Server(cls.table.settings_path,
                            ["--write-key", KEY, "--write-key", f"{WEB_KEY}=website",
                             "--write-key", f"{IOS_KEY}=ios-app", "--rejects", cls.rejects],
                            ack=cls.ack)
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0, cls.server.lines
        cls.server.logs()  # every line is one JSON object

    def rows(self, prefix):
        """{messageId: (timestamp column, message)} of rows whose messageId starts with prefix."""
        self.server.settle()
        out = {}
        for mid, ts, message in self.table.sql(
                f"SELECT messageId, timestamp, message FROM `{self.table.name}` "
                f"WHERE messageId LIKE '{prefix}%'"):
            out[mid] = (ts, json.loads(message))
        return out

    def test_import_keeps_a_historical_timestamp(self):
        e = event("imp-0", timestamp="2019-07-04T09:30:00+02:00")
        status, _, body = request(self.port, "POST", "/v1/import", {"batch": [e]}, key=KEY)
        self.assertEqual(status, 200, body)
        ts, message = self.rows("imp-")["imp-0"]
        self.assertEqual(ts, "2019-07-04 07:30:00.000000")
        self.assertEqual(message["timestamp"], "2019-07-04T09:30:00+02:00")
        self.assertEqual(message["originalTimestamp"], "2019-07-04T09:30:00+02:00")
        self.assertLess(abs((parse_iso(message["receivedAt"]) - utcnow()).total_seconds()), 60)

    def test_segments_http_api_example_without_message_id_or_timestamp(self):
        # Segment's HTTP API documentation's curl example, its write key changed to ours.
        before = utcnow()
        status, _, body = request(self.port, "POST", "/v1/track", json.dumps({
            "event": "happy-path-a3ef8a6f-0482-4694-bc4d-4afba03a0eab",
            "email": "test@example.org", "userId": "123", "writeKey": KEY}))
        self.assertEqual(status, 200, body)
        self.server.settle()
        rows = self.table.sql(f"SELECT messageId, timestamp, message FROM `{self.table.name}` "
                              "WHERE event = 'happy-path-a3ef8a6f-0482-4694-bc4d-4afba03a0eab'")
        self.assertEqual(len(rows), 1)
        mid, ts, message = rows[0]
        self.assertRegex(mid, r"^api-[0-9A-Za-z]{27}$")
        stored = datetime.datetime.fromisoformat(ts).replace(tzinfo=datetime.timezone.utc)
        self.assertLess(abs((stored - before).total_seconds()), 60)
        self.assertNotIn("writeKey", json.loads(message))

    def test_client_batch_with_a_clock_two_hours_fast(self):
        # analytics.js's batching strategy, and the mobile SDKs: /v1/b, text/plain, the key in
        # the body and in each event, one sentAt for the batch; this device is two hours fast.
        skew = datetime.timedelta(hours=2)
        device_now = utcnow() + skew
        batch = [dict(event(f"cb-{i}", "track" if i else "identify",
                            timestamp=iso(device_now - datetime.timedelta(seconds=10 - i)),
                            context={"library": {"name": "analytics.js", "version": "next-1"}}),
                      writeKey=WEB_KEY) for i in range(3)]
        status, headers, body = text_plain(self.port, "/v1/b", {
            "writeKey": WEB_KEY, "batch": batch, "sentAt": iso(device_now)})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"success": True})
        rows = self.rows("cb-")
        self.assertEqual(len(rows), 3)
        for i in range(3):
            ts, message = rows[f"cb-{i}"]
            stored = datetime.datetime.fromisoformat(ts).replace(tzinfo=datetime.timezone.utc)
            real = device_now - skew - datetime.timedelta(seconds=10 - i)
            self.assertLess(abs((stored - real).total_seconds()), 5, (ts, real))
            self.assertEqual(message["originalTimestamp"], batch[i]["timestamp"])
            self.assertEqual(message["context"]["ip"], "127.0.0.1")
            self.assertEqual(message["projectId"], "website")
            self.assertIn("receivedAt", message)
            self.assertNotIn("writeKey", message)

    def test_short_paths_of_the_browser_take_their_type_and_the_peers_address(self):
        for letter, kind in [("t", "track"), ("i", "identify"), ("p", "page"), ("s", "screen"),
                             ("g", "group"), ("a", "alias")]:
            e = event(f"sp-{letter}", kind, writeKey=WEB_KEY)
            del e["type"]
            status, _, body = text_plain(self.port, f"/v1/{letter}", e)
            self.assertEqual(status, 200, (letter, body))
        rows = self.rows("sp-")
        self.assertEqual(sorted((m, r[1]["type"]) for m, r in rows.items()),
                         sorted([("sp-t", "track"), ("sp-i", "identify"), ("sp-p", "page"),
                                 ("sp-s", "screen"), ("sp-g", "group"), ("sp-a", "alias")]))
        self.assertTrue(all(r[1]["context"]["ip"] == "127.0.0.1" for r in rows.values()))

    def test_a_server_librarys_events_get_no_ip(self):
        e = event("sv-0", context={"library": {"name": "@segment/analytics-node"}})
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": [e]}, key=KEY)
        self.assertEqual(status, 200, body)
        self.assertNotIn("ip", self.rows("sv-")["sv-0"][1]["context"])

    def test_webhook_shapes_a_bare_array_and_a_bare_event_on_the_batch_path(self):
        status, _, body = request(self.port, "POST", "/v1/batch",
                                  [event("wh-0"), event("wh-1", "page")], key=KEY)
        self.assertEqual(status, 200, body)
        status, _, body = request(self.port, "POST", "/v1/batch", event("wh-2", "identify"), key=KEY)
        self.assertEqual(status, 200, body)
        self.assertEqual(sorted(self.rows("wh-")), ["wh-0", "wh-1", "wh-2"])

    def test_integrations_object_both_ways(self):
        batch = [event("in-0", integrations={"All": False}),
                 event("in-1", integrations={"All": False, "SingleStore": True}),
                 event("in-2", integrations={"SingleStore": False}),
                 event("in-3", integrations={"Mixpanel": False})]
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": batch}, key=KEY)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual([(s["index"], s["messageId"], s["reason"]) for s in answer["skipped"]],
                         [(0, "in-0", "integrations"), (2, "in-2", "integrations")])
        self.assertEqual(answer["skippedTotal"], 2)
        self.assertEqual(sorted(self.rows("in-")), ["in-1", "in-3"])

    def test_every_refused_event_is_answered_logged_counted_and_written_to_rejects(self):
        batch = [event("rf-0"), {"messageId": "rf-1", "userId": "u"}, event("rf-2", "Track"), 7,
                 {"type": "track", "messageId": "rf-4", "userId": "u"},
                 event("rf-5", integrations={"All": False})]
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": batch},
                                  key=IOS_KEY)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        rejected = {r["index"]: r["reason"] for r in answer["rejected"]}
        self.assertEqual(rejected, {1: "type", 2: "type", 3: "not_an_object", 4: "validation"})
        self.assertEqual(answer["rejectedTotal"], 4)
        self.assertEqual([(s["index"], s["reason"]) for s in answer["skipped"]],
                         [(5, "integrations")])
        self.assertEqual(sorted(self.rows("rf-")), ["rf-0"])
        self.assertEqual(self.rows("rf-")["rf-0"][1]["projectId"], "ios-app")
        # The log names each with its reason and the key's source.
        deadline = time.time() + 10
        while time.time() < deadline:
            refused = [e for e in self.server.logs()
                       if e["event"] == "refused" and e.get("source") == "ios-app"]
            if len(refused) >= 5:
                break
            time.sleep(0.1)
        self.assertEqual(sorted((e["index"], e["reason"]) for e in refused),
                         [(1, "type"), (2, "type"), (3, "not_an_object"), (4, "validation"),
                          (5, "integrations")])
        # --rejects: the text of each rejected event, one a line, never a write key.
        with open(self.rejects) as f:
            lines = [json.loads(line) for line in f if "rf-" in line or line.strip() == "7"]
        ids = sorted(str(x.get("messageId")) if isinstance(x, dict) else str(x) for x in lines)
        self.assertEqual(ids, ["7", "rf-1", "rf-2", "rf-4"])
        # /metrics counts them by outcome and reason.
        _, _, text = request(self.port, "GET", "/metrics")
        samples = parse_prometheus(text)["actions_serve_events_total"]["samples"]
        counts = {(s[1]["outcome"], s[1]["reason"]): s[2] for s in samples}
        for key in [("rejected", "type"), ("rejected", "not_an_object"),
                    ("rejected", "validation"), ("skipped", "integrations")]:
            self.assertGreaterEqual(counts.get(key, 0), 1, key)
        self.assertGreaterEqual(counts[(self.accepted, "")], 1)

    def test_two_batch_members_and_two_write_keys_read_as_json_parse_reads_them(self):
        text = ('{"batch":[' + json.dumps(event("dm-A")) + '],"batch":[' +
                json.dumps(event("dm-B")) + ',' + json.dumps(event("dm-C")) + ']}')
        status, _, body = request(self.port, "POST", "/v1/batch", text, key=KEY)
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"success": True})
        self.assertEqual(sorted(self.rows("dm-")), ["dm-B", "dm-C"])
        text = json.dumps(event("dk-0"))[:-1] + f', "writeKey": "nope", "writeKey": "{KEY}"}}'
        status, _, body = request(self.port, "POST", "/v1/track", text)
        self.assertEqual(status, 200, body)
        self.assertNotIn("writeKey", self.rows("dk-")["dk-0"][1])

    def test_an_event_the_table_cannot_hold_is_rejected_and_listed(self):
        # Valid for the mapping, but its event name is over the column's 255 characters: the
        # table cannot hold it as it is, which the answer says, whichever --ack.
        batch = [event("th-0"), event("th-1", event="E" * 300)]
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": batch}, key=KEY)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual([(r["index"], r["messageId"], r["reason"]) for r in answer["rejected"]],
                         [(1, "th-1", "validation")])
        self.assertIn("255", answer["rejected"][0]["error"])
        self.assertEqual(sorted(self.rows("th-")), ["th-0"])

    def test_2500_events_a_batch_are_taken_and_2501_refused_whole(self):
        batch = [{"type": "track", "event": "E", "userId": "u", "messageId": f"mx-{i}"}
                 for i in range(2501)]
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": batch}, key=KEY)
        self.assertEqual(status, 400, body)
        self.assertIn("2501 events, over Segment's limit of 2500 events a batch", body)
        status, _, body = request(self.port, "POST", "/v1/batch", {"batch": batch[:2500]}, key=KEY)
        self.assertEqual(status, 200, body)
        self.server.settle()
        self.assertEqual(self.table.count("mx-"), (2500, 2500))

    def test_cors_preflight_and_allow_origin_on_every_answer(self):
        origin = {"Origin": "http://shop.example"}
        status, headers, _ = request(self.port, "OPTIONS", "/v1/t", headers=dict(
            origin, **{"Access-Control-Request-Method": "POST",
                       "Access-Control-Request-Headers": "content-type,authorization"}))
        self.assertEqual(status, 204)
        self.assertEqual(headers["access-control-allow-origin"], "*")
        self.assertIn("POST", headers["access-control-allow-methods"])
        self.assertEqual(headers["access-control-allow-headers"], "content-type,authorization")
        for path, key, expected in [("/v1/t", WEB_KEY, 200), ("/v1/t", "wrong", 401),
                                    ("/v1/x", WEB_KEY, 404)]:
            status, headers, _ = request(self.port, "POST", path, event("co-0"), key=key,
                                         headers=origin)
            self.assertEqual(status, expected)
            self.assertEqual(headers.get("access-control-allow-origin"), "*", path)
        # An answer the connection gives before any route (the body over its limit) too.
        status, headers, _ = request(self.port, "POST", "/v1/t", "x" * 40000, key=WEB_KEY,
                                     headers=origin)
        self.assertIn(status, (400, 413))
        self.assertEqual(headers.get("access-control-allow-origin"), "*")

    def test_client_metrics_get_a_quiet_200(self):
        status, _, body = text_plain(self.port, "/v1/m", {"series": [
            {"type": "Counter", "metric": "analytics_js.invoke.track", "value": 1,
             "tags": {"library": "analytics.js"}}]})
        self.assertEqual(status, 200, body)

    def test_project_settings_point_an_sdk_back_here(self):
        status, headers, body = request(self.port, "GET", f"/v1/projects/{WEB_KEY}/settings")
        self.assertEqual(status, 200, body)
        settings = json.loads(body)
        segment = settings["integrations"]["Segment.io"]
        self.assertEqual(segment["apiKey"], WEB_KEY)
        self.assertEqual(segment["apiHost"], f"127.0.0.1:{self.port}/v1")
        self.assertEqual(segment["protocol"], "http")
        self.assertEqual(headers.get("access-control-allow-origin"), "*")
        self.assertEqual(request(self.port, "GET", "/v1/projects/nope/settings")[0], 404)


class TrackingSourcesSpooled(TrackingSources):
    """The same with --ack spool, the default: each event is judged (Destination::resolve) while
    its request waits, so the answers, the log lines, --rejects and the metrics are the same; the
    accepted events are answered once spooled and reach the table from there."""
    ack, accepted = "spool", "spooled"


class TrackingOptions(unittest.TestCase):
    def test_allowed_origins_only(self):
        table = Table("origins")
        server = Server(table.settings_path, ["--write-key", KEY, "--cors-origin",
                                              "https://shop.example"])
        try:
            good, bad = {"Origin": "https://shop.example"}, {"Origin": "https://evil.example"}
            status, headers, _ = request(server.port, "OPTIONS", "/v1/b", headers=good)
            self.assertEqual(status, 204)
            self.assertEqual(headers["access-control-allow-origin"], "https://shop.example")
            self.assertIn("Origin", headers.get("vary", ""))
            status, headers, _ = request(server.port, "OPTIONS", "/v1/b", headers=bad)
            self.assertEqual(status, 403)
            self.assertNotIn("access-control-allow-origin", headers)
            status, headers, body = request(server.port, "POST", "/v1/t", event("or-0"), key=KEY,
                                            headers=bad)
            self.assertEqual(status, 403, body)
            self.assertNotIn("access-control-allow-origin", headers)
            for i, h in enumerate([good, {}]):  # a page of the origin, and a server (no Origin)
                status, _, body = request(server.port, "POST", "/v1/t", event(f"or-{i + 1}"),
                                          key=KEY, headers=h)
                self.assertEqual(status, 200, body)
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertEqual(table.count("or-"), (2, 2))

    def test_x_forwarded_for_is_trusted_only_when_told(self):
        table = Table("proxy")
        xff = {"X-Forwarded-For": "198.51.100.7, 203.0.113.20"}
        for args, expected, mid in [([], "127.0.0.1", "px-0"),
                                    (["--trust-proxy"], "203.0.113.20", "px-1")]:
            server = Server(table.settings_path, ["--write-key", KEY] + args)
            try:
                status, _, body = request(server.port, "POST", "/v1/t", event(mid), key=KEY,
                                          headers=xff)
                self.assertEqual(status, 200, body)
            finally:
                self.assertEqual(server.stop(), 0)
            message = json.loads(table.sql(f"SELECT message FROM `{table.name}` "
                                           f"WHERE messageId = '{mid}'")[0][0])
            self.assertEqual(message["context"]["ip"], expected, args)

    def test_public_url_in_the_project_settings_and_bad_write_key_forms(self):
        table = Table("public")
        server = Server(table.settings_path, ["--write-key", KEY, "--public-url",
                                              "https://events.example.com"])
        try:
            status, _, body = request(server.port, "GET", f"/v1/projects/{KEY}/settings")
            self.assertEqual(status, 200, body)
            segment = json.loads(body)["integrations"]["Segment.io"]
            self.assertEqual((segment["apiHost"], segment["protocol"]),
                             ("events.example.com/v1", "https"))
        finally:
            self.assertEqual(server.stop(), 0)
        for bad in ["k=has space", "k:x", "k="]:
            server = Server(table.settings_path, ["--write-key", bad], wait=False)
            self.assertEqual(server.wait(30), 2, bad)
            self.assertIn("--write-key KEY[=SOURCE]", "\n".join(server.lines))
        # Files it cannot use stop it at start, naming them.
        for args, expected in [(["--rejects", "/nonexistent-dir/rejects.ndjson"], "--rejects"),
                               (["--sdk-dir", "/nonexistent-dir"], "--sdk-dir"),
                               (["--sdk-dir", table.dir], "standalone.js")]:
            server = Server(table.settings_path, ["--write-key", KEY] + args, wait=False)
            self.assertEqual(server.wait(30), 2, args)
            self.assertIn(expected, "\n".join(server.lines), args)


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
