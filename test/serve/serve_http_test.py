"""`serve` over HTTP against the fixture's database: Segment's tracking API, write keys, limits,
/actions/send, health, readiness, metrics, back-pressure and the drain (docs/contracts.md "serve")."""
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import (CLI, SETTINGS, Server, Table, basic, event, parse_prometheus,  # noqa: E402
                           read_answer, request, wait_for)

KEY = "wk_test_1"


class TrackingApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.table = Table()
        cls.server = Server(cls.table.settings_path, ["--write-key", "other", "--write-key", KEY])
        cls.port = cls.server.port

    @classmethod
    def tearDownClass(cls):
        rc = cls.server.stop()
        logs = cls.server.logs()  # every line is one JSON object
        assert rc == 0, cls.server.lines
        password = cls.table.settings["password"]
        assert all(password not in line for line in cls.server.lines)
        assert any(entry["event"] == "stop" for entry in logs)

    def post(self, path, body, key=KEY, headers=None):
        return request(self.port, "POST", path, body, headers=headers, key=key)

    def test_batch_is_answered_success_once_stored_and_a_repeat_stores_nothing_more(self):
        batch = [event(f"b1-{i}", kind) for i, kind in
                 enumerate(["track", "identify", "page", "screen", "group", "alias"])]
        status, _, body = self.post("/v1/batch", {"batch": batch, "sentAt": "2026-01-01T00:00:01Z"})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"success": True})
        self.assertEqual(self.table.count("b1-"), (6, 6))
        types = sorted(r[0] for r in self.table.sql(
            f"SELECT type FROM `{self.table.name}` WHERE messageId LIKE 'b1-%'"))
        self.assertEqual(types, sorted(["track", "identify", "page", "screen", "group", "alias"]))
        status, _, body = self.post("/v1/batch", {"batch": batch})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.table.count("b1-"), (6, 6))

    def test_a_bad_event_costs_only_itself_and_is_listed(self):
        batch = [event("b2-0"), 5, event("b2-" + "x" * 300), event("b2-3")]
        status, _, body = self.post("/v1/batch", {"batch": batch})
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertTrue(answer["success"])
        rejected = {r["index"]: r for r in answer["rejected"]}
        self.assertEqual(sorted(rejected), [1, 2], body)
        self.assertIn("not a JSON object", rejected[1]["error"])
        self.assertEqual(rejected[2]["status"], 400)
        self.assertEqual(self.table.count("b2-"), (2, 2))

    def test_an_event_over_segments_32_kb_refuses_its_batch_whole(self):
        # Over Segment's limit of an event: 400, as Segment answers (and the contract says),
        # naming the event; nothing of the batch is stored.
        batch = [event("b3-0"), event("b3-1", properties={"blob": "y" * 40000})]
        status, _, body = self.post("/v1/batch", {"batch": batch})
        self.assertEqual(status, 400, body)
        self.assertIn("event 1 is", body)
        self.assertIn("over Segment's limit of 32768 bytes an event", body)
        self.assertEqual(self.table.count("b3-"), (0, 0))

    def test_batch_level_context_and_integrations_are_merged_into_each_event(self):
        own = event("bc-1", context={"ip": "10.0.0.1", "locale": "de"},
                    integrations={"SingleStore": True})
        status, _, body = self.post("/v1/batch", {
            "batch": [event("bc-0"), own], "context": {"device": {"type": "phone"}, "locale": "fr"},
            "integrations": {"All": False, "Mixpanel": True}})
        self.assertEqual(status, 200, body)
        # "All": false keeps bc-0 from this destination; it is answered as skipped.
        answer = json.loads(body)
        self.assertEqual([(s["index"], s["reason"]) for s in answer["skipped"]],
                         [(0, "integrations")])
        rows = dict(self.table.sql(f"SELECT messageId, message FROM `{self.table.name}` "
                                   "WHERE messageId LIKE 'bc-%'"))
        self.assertEqual(sorted(rows), ["bc-1"])
        second = json.loads(rows["bc-1"])
        self.assertEqual(second["context"], {"ip": "10.0.0.1", "locale": "de",
                                             "device": {"type": "phone"}})
        self.assertEqual(second["integrations"], {"SingleStore": True, "All": False,
                                                  "Mixpanel": True})

    def test_single_event_paths_take_their_type_from_the_path(self):
        for kind in ["track", "identify", "page", "screen", "group", "alias"]:
            e = event(f"s1-{kind}", kind)
            del e["type"]
            status, _, body = self.post(f"/v1/{kind}", e)
            self.assertEqual(status, 200, body)
        rows = self.table.sql(f"SELECT messageId, type FROM `{self.table.name}` "
                              "WHERE messageId LIKE 's1-%'")
        self.assertEqual(sorted(rows), sorted([f"s1-{k}", k] for k in
                                              ["track", "identify", "page", "screen", "group",
                                               "alias"]))

    def test_write_key_in_the_body_is_accepted_and_never_stored(self):
        e = event("s2-0", "page", writeKey=KEY)
        status, _, body = self.post("/v1/page", e, key=None)
        self.assertEqual(status, 200, body)
        message = self.table.sql(f"SELECT message FROM `{self.table.name}` "
                                 "WHERE messageId = 's2-0'")
        self.assertEqual(len(message), 1)
        self.assertNotIn(KEY, message[0][0])
        status, _, body = self.post("/v1/batch", {"batch": [event("s2-1")], "writeKey": KEY},
                                    key=None)
        self.assertEqual(status, 200, body)
        # Given twice, in an event of /actions/send: neither is stored.
        twice = json.dumps(event("s2-2"))[:-1] + f', "writeKey": "{KEY}", "writeKey": "{KEY}"}}'
        status, _, body = self.post("/actions/send", '{"payload":[' + twice + ']}')
        self.assertEqual(status, 200, body)
        self.assertEqual(self.table.count("s2-"), (3, 3))
        rows = self.table.sql(f"SELECT message FROM `{self.table.name}` WHERE messageId LIKE 's2-%'")
        self.assertTrue(all(KEY not in r[0] for r in rows), rows)

    def test_no_or_wrong_write_key_is_401_and_stores_nothing(self):
        batch = {"batch": [event("a1-0")]}
        for key, body_key in [("wrong", None), (None, None), (None, "wrong"), ("wk_test", None)]:
            payload = dict(batch, writeKey=body_key) if body_key else batch
            status, headers, body = self.post("/v1/batch", payload, key=key)
            self.assertEqual(status, 401, (key, body_key, body))
            self.assertIn("basic", headers.get("www-authenticate", "").lower())
            self.assertFalse(json.loads(body)["success"])
        status, _, _ = self.post("/actions/send", {"payload": event("a1-1")}, key="wrong")
        self.assertEqual(status, 401)
        self.assertEqual(self.table.count("a1-"), (0, 0))

    def test_malformed_bodies_are_400_and_store_nothing(self):
        cases = [
            ('{"batch":[{"type":"track","messageId":"m1-0"', "not JSON"),
            ("5", "must be a JSON object or array"),
            ('{"batch":{"type":"track","messageId":"m1-1"}}', '"batch" must be an array'),
            ('{"events":[]}', 'has no "batch"'),
            ('{"batch":[]} {}', "not JSON"),
            ("", "not JSON"),
        ]
        for text, expected in cases:
            status, _, body = self.post("/v1/batch", text)
            self.assertEqual(status, 400, (text, body))
            self.assertIn(expected, json.loads(body)["error"], text)
        status, _, body = self.post("/v1/track", "nope")
        self.assertEqual(status, 400)
        self.assertEqual(self.table.count("m1-"), (0, 0))

    def test_over_segments_size_limits_is_400_as_segment_answers(self):
        big = {"batch": [event(f"o1-{i}", properties={"pad": "z" * 20000}) for i in range(30)]}
        status, _, body = self.post("/v1/batch", big)
        self.assertEqual(status, 400, body)
        self.assertIn("limit of 512000 bytes", body)
        status, _, body = self.post("/v1/track", event("o1-x", properties={"pad": "z" * 40000}))
        self.assertEqual(status, 400, body)
        self.assertEqual(self.table.count("o1-"), (0, 0))

    def test_gzip_bodies_are_read_and_other_encodings_refused_with_415(self):
        import gzip
        body = gzip.compress(json.dumps({"batch": [event("gz-0"), event("gz-1")]}).encode())
        status, _, text = self.post("/v1/batch", body, headers={"Content-Encoding": "gzip"})
        self.assertEqual(status, 200, text)
        self.assertEqual(self.table.count("gz-"), (2, 2))
        status, _, text = self.post("/v1/batch", b"\x1f\x8bnot gzip",
                                    headers={"Content-Encoding": "gzip"})
        self.assertEqual(status, 400, text)
        self.assertIn("not valid gzip", json.loads(text)["error"])
        # A small body that expands past the limit stops there.
        bomb = gzip.compress(b'{"batch":[' + b" " * 5_000_000 + b"]}")
        self.assertLess(len(bomb), 20000)
        status, _, text = self.post("/v1/batch", bomb, headers={"Content-Encoding": "gzip"})
        self.assertEqual(status, 400, text)
        self.assertIn("decompressed", json.loads(text)["error"])
        status, _, text = self.post("/v1/batch", "{}", headers={"Content-Encoding": "br"})
        self.assertEqual(status, 415, text)

    def test_unknown_paths_and_methods(self):
        self.assertEqual(request(self.port, "GET", "/v1/batch")[0], 405)
        self.assertEqual(request(self.port, "POST", "/v2/batch", "{}", key=KEY)[0], 404)
        self.assertEqual(request(self.port, "POST", "/health", "{}")[0], 405)

    def test_keep_alive_serves_several_requests_on_one_connection(self):
        import http.client
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            for i in range(5):
                conn.request("POST", "/v1/batch", json.dumps({"batch": [event(f"k1-{i}")]}),
                             {"Authorization": basic(KEY), "Content-Type": "application/json"})
                r = conn.getresponse()
                self.assertEqual(r.status, 200)
                r.read()
        finally:
            conn.close()
        self.assertEqual(self.table.count("k1-"), (5, 5))

    def test_actions_send_answers_one_multistatus_entry_per_event(self):
        payload = [event("as-0"), event("as-0"), event("as-2", "identify"),
                   {"type": "track", "messageId": "as-3"}, "x"]
        status, _, body = self.post("/actions/send",
                                    {"payload": payload, "subscription": 'type = "track"'})
        self.assertEqual(status, 200, body)
        results = json.loads(body)["results"]
        self.assertEqual(len(results), 5)
        self.assertEqual(results[0], {"status": 200, "body": {"outcome": "inserted"}})
        self.assertEqual(results[1], {"status": 200, "body": {"outcome": "duplicate"}})
        self.assertEqual(results[2]["body"]["outcome"], "skipped")
        for r in results[3:]:
            self.assertEqual(r["status"], 400, r)
            self.assertEqual(r["outcome"], "rejected")
            self.assertEqual(r["errorreporter"], "INTEGRATIONS")
            self.assertEqual(r["errortype"], "PAYLOAD_VALIDATION_FAILED")
            self.assertTrue(r["errormessage"])
        self.assertEqual(self.table.count("as-"), (1, 1))
        # One event, not an array; the server's default subscription lets identify through.
        status, _, body = self.post("/actions/send", {"payload": event("as-5", "identify")})
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["results"][0]["body"]["outcome"], "inserted")

    def test_actions_send_with_its_own_mapping(self):
        with open(os.path.join(os.environ["ACTIONS_SOURCE_DIR"], "mappings",
                               "send_data.json")) as f:
            mapping = json.load(f)
        mapping["event"] = "renamed"
        for i in range(2):  # the second request finds the compiled mapping in the cache
            status, _, body = self.post("/actions/send",
                                        {"payload": [event(f"am-{i}")], "mapping": mapping})
            self.assertEqual(status, 200, body)
            self.assertEqual(json.loads(body)["results"][0]["body"]["outcome"], "inserted")
        rows = self.table.sql(f"SELECT DISTINCT event FROM `{self.table.name}` "
                              "WHERE messageId LIKE 'am-%'")
        self.assertEqual(rows, [["renamed"]])
        status, _, body = self.post("/actions/send", {"payload": [], "mapping": {"@path": 5}})
        self.assertEqual(status, 400, body)
        status, _, body = self.post("/actions/send", {"payload": [], "subscription": 'type = "track" and ('})
        self.assertEqual(status, 400, body)
        self.assertIn("invalid subscription", body)
        status, _, body = self.post("/actions/send", {"payload": [], "extra": 1})
        self.assertEqual(status, 400, body)
        self.assertIn('unknown key "extra"', json.loads(body)["error"])
        status, _, body = self.post("/actions/send", {"mapping": {}})
        self.assertEqual(status, 400, body)

    def test_health_ready_and_metrics(self):
        self.assertEqual(request(self.port, "GET", "/health")[0], 200)
        status, _, body = request(self.port, "GET", "/ready")
        self.assertEqual(status, 200, body)
        self.post("/v1/batch", {"batch": [event("mt-0"), event("mt-0"), 7]})
        status, headers, text = request(self.port, "GET", "/metrics")
        self.assertEqual(status, 200)
        self.assertTrue(headers["content-type"].startswith("text/plain; version=0.0.4"))
        families = parse_prometheus(text)
        events = {}
        for _, labels, value in families["actions_serve_events_total"]["samples"]:
            events[labels["outcome"]] = events.get(labels["outcome"], 0) + value
        self.assertGreaterEqual(events["inserted"], 1)
        self.assertGreaterEqual(events["duplicate"], 1)
        self.assertGreaterEqual(events["rejected"], 1)
        requests = {s[1]["status"]: s[2] for s in families["actions_serve_requests_total"]["samples"]}
        self.assertGreaterEqual(requests["200"], 1)
        hist = families["actions_serve_delivery_seconds"]
        self.assertEqual(hist["type"], "histogram")
        buckets = [s[2] for s in hist["samples"] if s[0].endswith("_bucket")]
        self.assertEqual(buckets, sorted(buckets))
        count = [s[2] for s in hist["samples"] if s[0].endswith("_count")][0]
        self.assertEqual(buckets[-1], count)
        self.assertGreater(count, 0)
        for name in ["actions_serve_retries_total", "actions_serve_events_queued",
                     "actions_serve_request_bytes_in_flight"]:
            self.assertIn(name, families)


class Lifecycle(unittest.TestCase):
    def test_refuses_to_start_without_a_write_key_unless_anonymous_is_allowed(self):
        table = Table()
        server = Server(table.settings_path, [], wait=False)
        self.assertEqual(server.wait(30), 2)
        self.assertIn("--allow-anonymous", "\n".join(server.lines))
        server = Server(table.settings_path, ["--allow-anonymous"])
        try:
            status, _, body = request(server.port, "POST", "/v1/batch",
                                      {"batch": [event("an-0")]})
            self.assertEqual(status, 200, body)
            status, _, _ = request(server.port, "POST", "/v1/batch", {"batch": [event("an-1")]},
                                   key="wrong")
            self.assertEqual(status, 401)
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertEqual(table.count("an-"), (1, 1))

    def test_write_keys_from_the_environment(self):
        table = Table()
        server = Server(table.settings_path, [], env={"ACTIONS_SERVE_WRITE_KEYS": "k-env-1,k-env-2"})
        try:
            for key, expected in [("k-env-2", 200), ("k-env-3", 401)]:
                status, _, body = request(server.port, "POST", "/v1/batch",
                                          {"batch": [event("ev-" + key)]}, key=key)
                self.assertEqual(status, expected, body)
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertNotIn("k-env-1", "\n".join(server.lines))
        self.assertEqual(table.count("ev-"), (1, 1))

    def test_ready_is_503_while_the_database_does_not_answer(self):
        table = Table()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed_port = s.getsockname()[1]
        settings = dict(table.settings, port=closed_port)
        with open(table.settings_path, "w") as f:
            json.dump(settings, f)
        server = Server(table.settings_path, ["--write-key", KEY, "--retry-for", "1"])
        try:
            self.assertEqual(request(server.port, "GET", "/health")[0], 200)
            status, headers, body = request(server.port, "GET", "/ready")
            self.assertEqual(status, 503, body)
            self.assertIn("retry-after", headers)
            # Events that cannot be delivered now: 503 with Retry-After, so clients retry.
            status, headers, body = request(server.port, "POST", "/v1/batch",
                                            {"batch": [event("un-0")]}, key=KEY)
            self.assertIn(status, (429, 503), body)
            self.assertEqual(headers.get("retry-after"), "2")
            self.assertFalse(json.loads(body)["success"])
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertTrue(any(e["event"] == "delivery" and e["level"] == "error"
                            for e in server.logs()))
        self.assertNotIn(table.settings["password"], "\n".join(server.lines))

    def _partial_request(self, port, total, sent, path="/v1/batch", key=KEY):
        """A request whose header and first `sent` bytes of a `total`-byte body are sent."""
        body = json.dumps({"batch": [event("pr-" + str(time.time_ns()))]})
        body = body[:-1] + " " * (total - len(body)) + "}"
        s = socket.create_connection(("127.0.0.1", port))
        head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: {basic(key)}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
        s.sendall(head.encode() + body[:sent].encode())
        return s, body[sent:]

    @staticmethod
    def _metric(port, name):
        _, _, text = request(port, "GET", "/metrics")
        return parse_prometheus(text)[name]["samples"][0][2]


    def test_bytes_in_flight_past_the_cap_are_refused_with_429(self):
        table = Table()
        server = Server(table.settings_path, ["--write-key", KEY, "--max-bytes-in-flight", "4096"])
        try:
            held, rest = self._partial_request(server.port, 3000, 100)
            # The first has reserved its bytes before the second comes.
            self.assertTrue(wait_for(lambda: self._metric(
                server.port, "actions_serve_request_bytes_in_flight") > 0, 10))
            second, rest2 = self._partial_request(server.port, 3000, 0)
            status, headers, body = read_answer(second)
            self.assertEqual(status, 429, body)
            self.assertEqual(headers.get("retry-after"), "2")
            second.close()
            held.sendall(rest.encode())
            status, _, body = read_answer(held)
            self.assertEqual(status, 200, body)
            held.close()
            # Once the first is answered (its answer written) its bytes are free again.
            self.assertTrue(wait_for(lambda: self._metric(
                server.port, "actions_serve_request_bytes_in_flight") == 0, 10))
            status, _, body = request(server.port, "POST", "/v1/batch",
                                      {"batch": [event("bf-1")]}, key=KEY)
            self.assertEqual(status, 200, body)
            _, _, text = request(server.port, "GET", "/metrics")
            refused = parse_prometheus(text)["actions_serve_refused_over_budget_total"]
            self.assertEqual(refused["samples"][0][2], 1)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_sigterm_drains_answers_the_request_in_flight_and_exits_0(self):
        table = Table()
        server = Server(table.settings_path, ["--write-key", KEY])
        idle = socket.create_connection(("127.0.0.1", server.port))  # keep-alive, no request
        held, rest = self._partial_request(server.port, 2000, 50)
        # Its header is read (the /metrics request itself is the other one in flight).
        self.assertTrue(wait_for(lambda: self._metric(
            server.port, "actions_serve_requests_in_flight") >= 2, 10))
        server.proc.send_signal(signal.SIGTERM)
        self.assertTrue(wait_for(lambda: any(
            '"event":"drain"' in line for line in server.lines), 10))

        def refused():
            try:
                socket.create_connection(("127.0.0.1", server.port), timeout=2).close()
                return False
            except OSError:
                return True

        # New connections are refused once draining.
        self.assertTrue(wait_for(refused, 10))
        self.assertIsNone(server.proc.poll(), "exited before answering the request in flight")
        # The idle connection was closed.
        idle.settimeout(5)
        self.assertEqual(idle.recv(1), b"")
        held.sendall(rest.encode())
        status, headers, body = read_answer(held)
        self.assertEqual(status, 200, body)
        self.assertEqual(headers.get("connection", "").lower(), "close")
        held.close()
        idle.close()
        self.assertEqual(server.wait(), 0)
        events = [e["event"] for e in server.logs()]
        self.assertIn("drain", events)
        self.assertEqual(events[-1], "stop")
        self.assertEqual(table.count("pr-"), (1, 1))


class SharedDelivery(unittest.TestCase):
    def test_requests_that_arrive_together_are_delivered_together(self):
        """64 one-event requests arrive while the table is locked (another session holds LOCK
        TABLES ... WRITE), so they are all waiting in the destination at once; when the lock goes,
        they are delivered in a few shared statements, not 64."""
        table = Table()
        server = Server(table.settings_path, ["--write-key", KEY, "--quiet", "--retry-for", "60",
                                                "--workers", "80"])
        locker = None
        try:
            def metric(name):
                _, _, text = request(server.port, "GET", "/metrics")
                return parse_prometheus(text)[name]["samples"][0][2]

            status, _, body = request(server.port, "POST", "/v1/track", event("sd-warm"), key=KEY)
            self.assertEqual(status, 200, body)  # the table exists now
            before = metric("actions_serve_deliveries_total")
            s = table.settings
            locker = subprocess.Popen(
                ["mariadb", "--no-defaults", "--unbuffered", "-N", "-B", "-h", s["host"], "-P",
                 str(s["port"]), "-u", s["username"], s["dbName"]],
                env=dict(os.environ, MYSQL_PWD=s["password"]), stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, text=True)
            locker.stdin.write(f"LOCK TABLES `{table.name}` WRITE; SELECT 'locked';\n")
            locker.stdin.flush()
            self.assertEqual(locker.stdout.readline().strip(), "locked")

            n = 64
            sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(n)]
            for i, sock in enumerate(sockets):
                body = json.dumps(event(f"sd-{i}"))
                sock.sendall((f"POST /v1/track HTTP/1.1\r\nHost: x\r\nAuthorization: {basic(KEY)}"
                              f"\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
                              f"\r\n\r\n{body}").encode())
            # All of them read (/metrics itself is one more request in flight) and handed to
            # the destination: the first ones being written wait for the lock, the others queue.
            self.assertTrue(wait_for(lambda: metric("actions_serve_requests_in_flight") > n,
                                     timeout=30), "the requests were not all read")
            time.sleep(1)
            self.assertEqual(metric("actions_serve_deliveries_total"), before)
            locker.stdin.write("UNLOCK TABLES;\n")
            locker.stdin.close()
            answers = [read_answer(sock)[0] for sock in sockets]
            for sock in sockets:
                sock.close()
            self.assertEqual(answers, [200] * n)
            made = metric("actions_serve_deliveries_total") - before
            print(f"{n} one-event requests waiting together: {made:.0f} deliveries")
            self.assertLessEqual(made, 8, "concurrent requests were not delivered together")
        finally:
            if locker:
                locker.kill()
                locker.wait()
            self.assertEqual(server.stop(), 0)
        self.assertEqual(table.count("sd-"), (n + 1, n + 1))


class TwoServers(unittest.TestCase):
    def test_the_same_events_posted_to_two_servers_are_stored_once(self):
        table = Table()
        servers = [Server(table.settings_path, ["--write-key", KEY, "--quiet"]) for _ in range(2)]
        try:
            batches = [[event(f"two-{b}-{i}", ["track", "identify", "page"][i % 3])
                        for i in range(100)] for b in range(10)]
            answers = []

            def post_all(server):
                for batch in batches:
                    answers.append(request(server.port, "POST", "/v1/batch", {"batch": batch},
                                           key=KEY)[0])

            threads = [threading.Thread(target=post_all, args=(s,)) for s in servers]
            for t in threads:
                t.start()
            for t in threads:
                t.join(120)
            self.assertEqual(answers, [200] * 20)
        finally:
            for s in servers:
                self.assertEqual(s.stop(), 0)
        self.assertEqual(table.count("two-"), (1000, 1000))


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
