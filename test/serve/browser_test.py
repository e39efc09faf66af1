"""Segment's browser SDK (@segment/analytics-next) in headless Chromium, on a page of another
origin, against `serve` (docs/serve.md "Websites"): both delivery strategies, every event stored
once and no console errors; settings loaded from serve itself; Segment's standard snippet with its
CDN host pointed at serve (which serves the SDK's files); and a page whose clock is two hours
fast, whose events are stored at the real time with receivedAt, originalTimestamp and context.ip
in the message. With --ack spool, the default: the rows are read once the spool has delivered.
Needs Debian's chromium and the npm packages scripts/setup installs."""
import datetime
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import CLI, NODE_MODULES, SETTINGS, Server, Table  # noqa: E402

KEY = "wk_browser"
N = 14
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def run_page(port, mode, skew_ms=0):
    env = dict(os.environ, NODE_PATH=NODE_MODULES, CHROMIUM=CHROMIUM, SKEW_MS=str(skew_ms))
    out = subprocess.run(["node", os.path.join(os.path.dirname(__file__), "browser_sdk.js"),
                          f"http://127.0.0.1:{port}", KEY, mode, str(N)],
                         env=env, capture_output=True, text=True, timeout=180)
    lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise AssertionError(f"browser_sdk.js printed nothing: {out.stdout}\n{out.stderr}")
    return json.loads(lines[-1])


class BrowserSdk(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for need, what in [(CHROMIUM, "chromium"),
                           (os.path.join(NODE_MODULES, "puppeteer-core"), "puppeteer-core"),
                           (os.path.join(NODE_MODULES, "@segment", "analytics-next"),
                            "@segment/analytics-next")]:
            if not os.path.exists(need):
                raise AssertionError(f"{what} is missing ({need}): run scripts/setup")
        cls.table = Table("browser")
        sdk = os.path.join(NODE_MODULES, "@segment", "analytics-next", "dist", "umd")
        # --ack spool, the default: each 200 comes once the events are on disk.
        cls.server = Server(cls.table.settings_path, ["--write-key", f"{KEY}=website", "--quiet",
                                                      "--sdk-dir", sdk], ack="spool")

    @classmethod
    def tearDownClass(cls):
        assert cls.server.stop() == 0, cls.server.lines

    def stored(self, tag):
        """(timestamp column, message) of the rows whose message carries `tag`, once the spool
        has delivered what it accepted."""
        self.server.settle()
        return [(ts, json.loads(m)) for ts, m in self.table.sql(
            f"SELECT timestamp, message FROM `{self.table.name}` WHERE message LIKE '%{tag}%'")]

    def check_run(self, mode, skew_ms=0):
        result = run_page(self.server.port, mode, skew_ms)
        print(mode, result.get("statuses"), flush=True)
        self.assertNotIn("error", result, result)
        self.assertEqual(result["problems"], [], result)
        rows = self.stored(result["tag"])
        ids = {m["messageId"] for _, m in rows}
        self.assertEqual((len(rows), len(ids)), (N + 4, N + 4), result)
        return result, rows

    def test_standard_delivery_every_event_stored_once(self):
        result, rows = self.check_run("standard")
        # One event a request to the short paths, after a CORS preflight.
        self.assertEqual(result["statuses"].get("/v1/t POST 200"), N, result)
        self.assertGreaterEqual(result["statuses"].get("/v1/t OPTIONS 204", 0), 1, result)
        self.assertEqual(sorted({m["type"] for _, m in rows}),
                         ["alias", "group", "identify", "page", "track"])
        self.assertTrue(all(m["projectId"] == "website" for _, m in rows))

    def test_batching_delivery_every_event_stored_once(self):
        result, _ = self.check_run("batching")
        self.assertGreaterEqual(result["statuses"].get("/v1/b POST 200", 0), 2, result)
        self.assertGreaterEqual(result["statuses"].get("/v1/b OPTIONS 204", 0), 1, result)

    def test_settings_loaded_from_serve(self):
        result, _ = self.check_run("settings")
        self.assertEqual(result["statuses"].get(f"/v1/projects/{KEY}/settings GET 200"), 1, result)

    def test_the_standard_snippet_with_its_cdn_pointed_at_serve(self):
        result, _ = self.check_run("snippet")
        statuses = result["statuses"]
        self.assertEqual(statuses.get(f"/analytics.js/v1/{KEY}/analytics.min.js GET 200"), 1,
                         result)
        self.assertEqual(statuses.get(f"/v1/projects/{KEY}/settings GET 200"), 1, result)
        self.assertEqual(statuses.get("/v1/t POST 200"), N, result)

    def test_a_clock_two_hours_fast_is_corrected(self):
        before = datetime.datetime.now(datetime.timezone.utc)
        _, rows = self.check_run("standard", skew_ms=2 * 3600 * 1000)
        after = datetime.datetime.now(datetime.timezone.utc)
        for ts, message in rows:
            stored = datetime.datetime.fromisoformat(ts).replace(tzinfo=datetime.timezone.utc)
            self.assertLessEqual(before - datetime.timedelta(seconds=5), stored, message)
            self.assertLessEqual(stored, after + datetime.timedelta(seconds=5), message)
            original = datetime.datetime.fromisoformat(
                message["originalTimestamp"].replace("Z", "+00:00"))
            self.assertGreater(original - stored, datetime.timedelta(hours=1, minutes=59))
            self.assertIn("receivedAt", message)
            self.assertEqual(message["context"]["ip"], "127.0.0.1")


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
