"""Segment's Webhooks (Actions) destination (@segment/action-destinations 3.387.0, run by its
actions-core) against `serve` at one URL (docs/serve.md "From Segment itself"): batches (bare
arrays) and single events (the bare event) all stored once, and a repeated batch stores nothing
new (the spool answers it; its delivery finds the rows there). Needs the npm packages
scripts/setup installs into test/serve/webhook."""
import json
import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import CLI, HERE, SETTINGS, Server, Table  # noqa: E402

KEY = "wk_segment"
N = 300
WEBHOOK_MODULES = os.path.join(HERE, "webhook", "node_modules")


class WebhookDestination(unittest.TestCase):
    def test_batches_and_single_events_stored_once_and_a_repeat_stores_nothing_new(self):
        if not os.path.isdir(os.path.join(WEBHOOK_MODULES, "@segment", "action-destinations")):
            raise AssertionError(f"{WEBHOOK_MODULES} lacks @segment/action-destinations: "
                                 "run scripts/setup")
        table = Table("webhook")
        # --ack spool, the default: Segment is answered once the events are on disk.
        server = Server(table.settings_path, ["--write-key", f"{KEY}=segment", "--quiet"],
                        ack="spool")
        try:
            out = subprocess.run(
                ["node", os.path.join(HERE, "webhook_sdk.js"),
                 f"http://127.0.0.1:{server.port}/v1/batch", KEY, str(N)],
                env=dict(os.environ, NODE_PATH=WEBHOOK_MODULES), capture_output=True, text=True,
                timeout=300)
            lines = [line for line in out.stdout.splitlines() if line.startswith("{")]
            self.assertTrue(lines, out.stdout + out.stderr)
            result = json.loads(lines[-1])
            server.settle()
        finally:
            self.assertEqual(server.stop(), 0)
        self.assertNotIn("error", result, result)
        self.assertEqual((result["failedBatches"], result["failedSingles"],
                          result["repeatFailed"]), (0, 0, 0), result)
        self.assertEqual(table.count(result["tag"]), (N + 6, N + 6))
        types = dict(table.sql(f"SELECT type, COUNT(*) FROM `{table.name}` GROUP BY type"))
        self.assertEqual(sorted(types), ["alias", "group", "identify", "page", "screen", "track"])
        requests = [e for e in server.logs() if e["event"] == "request"]
        self.assertEqual(requests, [], "--quiet logs no request line")


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
