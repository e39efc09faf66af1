"""docs/quickstart.md, followed as written against the fixture's MariaDB.

Its settings block becomes settings.json, its sh blocks run, and every command of its console
blocks runs in order in one fresh directory, with actions-singlestore on the PATH and $SRC the
source tree. What each command prints is compared with what the page shows:

* lines the tool writes to standard error (its "actions-singlestore: ..." messages and the
  "send: ..." / "dry run: ..." summaries) must come on standard error, every other line on
  standard output, in the page's order;
* only what differs from one server to the next is loose: the port and database of the page's
  settings become the test's own (a fresh database, so the table is "created" as shown), the
  server's version and the elapsed seconds may be anything, and "..." stands for lines left out;
* `echo $?` shows the exit status of the command before it;
* `mariadb ... -p` asks for the password, which the test hands over in MYSQL_PWD, and a
  later `mariadb ...` repeats the first one's options, as the page means it.

An edit that breaks a command or changes what it prints fails here, naming the page's line.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import unittest
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import doc_blocks  # noqa: E402

SOURCE = os.environ.get("ACTIONS_SOURCE_DIR", "")
CLI = os.environ.get("ACTIONS_CLI", "")
SETTINGS = os.environ.get("ACTIONS_TEST_SETTINGS", "")
PAGE = os.path.join(SOURCE, "docs", "quickstart.md")

STDERR_LINE = re.compile(r"^(actions-singlestore: |send: |dry run: )")


def expected_pattern(line):
    """A page's output line as a regex: exact but for the elapsed time and server version."""
    if line.strip() == "...":
        return None
    p = re.escape(line.rstrip())
    p = re.sub(r"in\\ [0-9]+\\\.[0-9]\\ s", r"in\\ [0-9]+\\.[0-9]\\ s", p)
    p = re.sub(r"server\\ [^,]+,", "server [^,]+,", p)
    return re.compile(p)


class Quickstart(unittest.TestCase):
    def setUp(self):
        for name, value in (("ACTIONS_SOURCE_DIR", SOURCE), ("ACTIONS_CLI", CLI),
                            ("ACTIONS_TEST_SETTINGS", SETTINGS)):
            if not value:
                self.fail(f"{name} is not set: run through ctest (test/docs/CMakeLists.txt)")
        with open(SETTINGS) as f:
            self.server = json.load(f)
        self.database = "docs_quickstart_" + uuid.uuid4().hex[:8]
        self.root_sql(f"CREATE DATABASE `{self.database}` CHARACTER SET utf8mb4")
        self.work = tempfile.TemporaryDirectory(prefix="docs-quickstart-")
        self.env = dict(os.environ)
        self.env["PATH"] = os.path.dirname(CLI) + os.pathsep + self.env["PATH"]
        self.env["SRC"] = SOURCE
        for key in [k for k in self.env if k.startswith("SINGLESTORE_")]:
            del self.env[key]

    def tearDown(self):
        self.root_sql(f"DROP DATABASE IF EXISTS `{self.database}`")
        self.work.cleanup()

    def root_sql(self, sql):
        s = self.server
        subprocess.run(["mariadb", "--no-defaults", "-h", s["host"], "-P", str(s["port"]), "-u",
                        s["username"], "-e", sql],
                       env=dict(os.environ, MYSQL_PWD=s["password"]), check=True,
                       capture_output=True, timeout=60)

    def test_the_page_as_written(self):
        with open(PAGE) as f:
            page = f.read()
        blocks = doc_blocks.blocks(page)
        settings_blocks = [b for b in blocks if b.lang == "json"]
        self.assertTrue(settings_blocks, "the page has no settings block (```json)")
        doc_settings = json.loads(settings_blocks[0].text)
        # The page's server becomes the test's: its port and database, wherever they appear.
        swaps = [(str(doc_settings["port"]), str(self.server["port"])),
                 (doc_settings["dbName"], self.database),
                 ("<your password>", self.server["password"])]

        def local(text):
            for doc_value, ours in swaps:
                text = text.replace(doc_value, ours)
            return text

        mine = json.loads(local(settings_blocks[0].text))
        self.assertEqual(mine["username"], self.server["username"],
                         "the page's user is not the test server's")
        with open(os.path.join(self.work.name, "settings.json"), "w") as f:
            json.dump(mine, f)

        ran = 0
        last_status = None
        first_mariadb = None
        for block in blocks:
            if block.lang == "sh":
                self.run_sh(local(block.text), block.line)
                ran += 1
            elif block.lang == "console":
                for cmd in doc_blocks.commands(block):
                    text = local(cmd.text)
                    where = f"docs/quickstart.md:{cmd.line}: $ {cmd.text}"
                    if text.strip() == "echo $?":
                        self.assertEqual(cmd.output, [str(last_status)], where)
                        continue
                    env = self.env
                    if text.startswith("mariadb"):
                        if text.startswith("mariadb ... "):
                            self.assertIsNotNone(first_mariadb, f"{where}: no mariadb before")
                            text = first_mariadb + text[len("mariadb ..."):]
                        elif first_mariadb is None:
                            first_mariadb = text.split(" -e ")[0]
                        # `-p` asks for the password; here it comes from the environment.
                        text = re.sub(r"(^|\s)-p(?=\s)", "", text)
                        env = dict(env, MYSQL_PWD=self.server["password"])
                    r = subprocess.run(["bash", "-c", text], cwd=self.work.name, env=env,
                                       capture_output=True, text=True, timeout=300)
                    last_status = r.returncode
                    self.check_output(where, [local(line) for line in cmd.output], r)
                    ran += 1
        self.assertGreaterEqual(ran, 10, "the page lost most of its commands")

    def run_sh(self, text, line):
        # A sh block may export variables for the commands after it: its environment is kept.
        r = subprocess.run(["bash", "-ec", text + "\nenv -0"], cwd=self.work.name, env=self.env,
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0,
                         f"docs/quickstart.md:{line}: the sh block failed: {r.stderr.decode()}")
        self.env = dict(item.split("=", 1) for item in r.stdout.decode().split("\0") if "=" in item)

    def check_output(self, where, shown, r):
        out_lines = r.stdout.splitlines()
        err_lines = r.stderr.splitlines()
        want_out = [expected_pattern(line) for line in shown if not STDERR_LINE.match(line)]
        want_err = [expected_pattern(line) for line in shown if STDERR_LINE.match(line)]
        detail = (f"\nthe page shows:\n  " + "\n  ".join(shown) + f"\nstandard output:\n  " +
                  "\n  ".join(out_lines) + f"\nstandard error:\n  " + "\n  ".join(err_lines) +
                  f"\nexit status {r.returncode}")
        self.assertTrue(doc_blocks.matches(want_out, out_lines),
                        f"{where}: standard output is not what the page shows{detail}")
        self.assertTrue(doc_blocks.matches(want_err, err_lines),
                        f"{where}: standard error is not what the page shows{detail}")


if __name__ == "__main__":
    unittest.main(verbosity=2)
