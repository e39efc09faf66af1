"""Segment's own Node client (@segment/analytics-node, installed by scripts/setup into
test/serve/npm) sends 20,000 events of all six types through `serve`; meanwhile the server gets
SIGTERM, drains, exits 0 and is started again on the same port. Every event is stored exactly
once. Without node or the npm package the test fails: it is never skipped."""
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from serve_support import CLI, HERE, NODE_MODULES, SETTINGS, Server, Table, wait_for  # noqa: E402

KEY = "wk_node_client"
EVENTS = 20000
RATE = 4000  # events per second: the client is still sending when the server is restarted


class AnalyticsNode(unittest.TestCase):
    def test_twenty_thousand_events_through_a_restart_are_stored_once(self):
        node = shutil.which("node")
        self.assertIsNotNone(node, "node is not installed (scripts/setup installs it)")
        self.assertTrue(os.path.isdir(os.path.join(NODE_MODULES, "@segment", "analytics-node")),
                        f"@segment/analytics-node is not in {NODE_MODULES}: run scripts/setup")
        table = Table()
        args = ["--write-key", KEY, "--quiet"]
        first = Server(table.settings_path, args)
        port = first.port
        prefix = f"an-{table.name}"
        client = subprocess.Popen(
            [node, os.path.join(HERE, "segment_client.js"), f"http://127.0.0.1:{port}", KEY,
             str(EVENTS), str(RATE), prefix],
            env=dict(os.environ, NODE_PATH=NODE_MODULES), stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        second = None
        try:
            # Restart while events are flowing: some stored, more to come.
            self.assertTrue(wait_for(lambda: table.count(prefix)[0] >= 2000, timeout=60),
                            "the first server stored nothing: " + "\n".join(first.lines[-5:]))
            self.assertEqual(first.stop(signal.SIGTERM), 0, first.lines[-5:])
            stored_by_first = table.count(prefix)[0]
            events = [e["event"] for e in first.logs()]
            self.assertIn("drain", events)
            self.assertEqual(events[-1], "stop")
            self.assertLess(stored_by_first, EVENTS, "the restart came after the last event")
            second = Server(table.settings_path, args, port=port)
            out, err = client.communicate(timeout=240)
            self.assertEqual(client.returncode, 0, err)
            result = json.loads(out.strip().splitlines()[-1])
            self.assertEqual(result.get("clientErrors"), 0, result)
            self.assertEqual(result.get("sent"), EVENTS)
            self.assertEqual(second.stop(signal.SIGTERM), 0, second.lines[-5:])
        finally:
            if client.poll() is None:
                client.kill()
            first.kill()
            if second:
                second.kill()
        self.assertEqual(table.count(prefix), (EVENTS, EVENTS))
        kinds = dict((r[0], int(r[1])) for r in table.sql(
            f"SELECT type, COUNT(*) FROM `{table.name}` WHERE messageId LIKE '{prefix}%' "
            "GROUP BY type"))
        self.assertEqual(kinds, {k: EVENTS // 6 + (1 if i < EVENTS % 6 else 0) for i, k in
                                 enumerate(["track", "identify", "page", "screen", "group",
                                            "alias"])})
        print(f"stored by the first server before SIGTERM: {stored_by_first}; "
              f"all {EVENTS} stored once after the restart")


if __name__ == "__main__":
    if not CLI or not SETTINGS:
        sys.exit("ACTIONS_CLI and ACTIONS_TEST_SETTINGS must be set (run through ctest)")
    unittest.main(verbosity=2)
