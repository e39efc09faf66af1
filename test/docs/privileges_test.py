"""docs/privileges.md's MariaDB grants, run as written against the fixture's MariaDB.

For each of the page's two ways ("a DBA creates the table first" and "the user may create
tables"), its SQL runs as the fixture's administrator in a database of the test's own (the page's
`analytics` and `segment_writer` swapped for fresh names), and then the new user, with exactly
those grants, does what the destination does: test-auth, and the same events sent twice (the
second time all duplicates, which needs SELECT) — the page's "Checking a user" block, as written.
Then the page's claims that each privilege is needed: without SELECT a repeat fails with 403
"SELECT command denied" (while test-auth still passes, as the page warns), without INSERT
test-auth fails.
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
PAGE = os.path.join(SOURCE, "docs", "privileges.md")


def section_blocks(page, heading, lang):
    """The blocks of one language in the section under `heading`."""
    start = page.index(f"\n## {heading}\n")
    end = page.find("\n## ", start + 1)
    return [b for b in doc_blocks.blocks(page[start:end if end > 0 else len(page)])
            if b.lang == lang]


class Privileges(unittest.TestCase):
    def setUp(self):
        for name, value in (("ACTIONS_SOURCE_DIR", SOURCE), ("ACTIONS_CLI", CLI),
                            ("ACTIONS_TEST_SETTINGS", SETTINGS)):
            if not value:
                self.fail(f"{name} is not set: run through ctest (test/docs/CMakeLists.txt)")
        with open(SETTINGS) as f:
            self.admin = json.load(f)
        with open(PAGE) as f:
            self.page = f.read()
        self.work = tempfile.TemporaryDirectory(prefix="docs-privileges-")
        self.cleanup_sql = []

    def tearDown(self):
        for sql in reversed(self.cleanup_sql):
            self.sql(sql, check=False)
        self.work.cleanup()

    def sql(self, text, database=None, check=True):
        a = self.admin
        args = ["mariadb", "--no-defaults", "-h", a["host"], "-P", str(a["port"]), "-u",
                a["username"]]
        if database:
            args.append(database)
        r = subprocess.run(args, input=text, env=dict(os.environ, MYSQL_PWD=a["password"]),
                           capture_output=True, text=True, timeout=60)
        if check:
            self.assertEqual(r.returncode, 0, f"SQL failed: {r.stderr}\n{text}")
        return r

    def cli(self, *args, stdin=None):
        return subprocess.run([CLI, *args], cwd=self.work.name, capture_output=True, text=True,
                              timeout=300, input=stdin)

    def follow_grants(self, block_index):
        """Runs the page's MariaDB block `block_index` for a fresh database and user; the user's
        settings file."""
        blocks = section_blocks(self.page, "Granting them: MariaDB and MySQL", "sql")
        self.assertEqual(len(blocks), 2, "the page's MariaDB section should show its two ways")
        text = blocks[block_index].text
        self.assertIn("analytics", text)
        self.assertIn("'segment_writer'@'%'", text)
        database = "docs_priv_" + uuid.uuid4().hex[:8]
        user = "docs_writer_" + uuid.uuid4().hex[:8]
        text = text.replace("analytics", database).replace("segment_writer", user)
        self.sql(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4")
        self.cleanup_sql.append(f"DROP DATABASE IF EXISTS `{database}`")
        self.cleanup_sql.append(f"DROP USER IF EXISTS '{user}'@'%'")
        # A comment naming a print-ddl pipeline asks a DBA to create the table first.
        ddl = re.search(r"^-- (actions-singlestore print-ddl [^|]*)\| mariadb (\S+)$", text, re.M)
        if ddl:
            made = subprocess.run(["bash", "-c", ddl.group(1)],
                                  env=dict(os.environ, PATH=os.path.dirname(CLI) + os.pathsep +
                                           os.environ["PATH"]),
                                  capture_output=True, text=True, timeout=60)
            self.assertEqual(made.returncode, 0, made.stderr)
            self.sql(made.stdout, database=ddl.group(2))
        self.sql(text)
        password = re.search(r"IDENTIFIED BY '([^']+)'", text).group(1)
        settings = {"host": self.admin["host"], "port": self.admin["port"], "username": user,
                    "password": password, "dbName": database}
        path = os.path.join(self.work.name, f"{user}.json")
        with open(path, "w") as f:
            json.dump(settings, f)
        return database, user, path

    def check_user(self, settings_path):
        """The page's "Checking a user" block as written, with this user's settings."""
        blocks = section_blocks(self.page, "Checking a user", "sh")
        self.assertEqual(len(blocks), 1)
        # Run from the source tree as the page means it, writing into the test's own directory.
        script = blocks[0].text.replace("settings.json", settings_path).replace(
            "scripts/gen-events", os.path.join(SOURCE, "scripts", "gen-events"))
        env = dict(os.environ, PATH=os.path.dirname(CLI) + os.pathsep + os.environ["PATH"])
        return subprocess.run(["bash", "-ec", script], cwd=self.work.name, env=env,
                              capture_output=True, text=True, timeout=300)

    def test_a_table_made_first_and_select_insert_on_it(self):
        database, user, settings = self.follow_grants(0)
        r = self.check_user(settings)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("exists; the user can write to it", r.stdout)
        summaries = [line for line in r.stderr.splitlines() if line.startswith("send: ")]
        self.assertEqual(len(summaries), 2, r.stderr)
        self.assertIn(": 10 inserted, 0 duplicate,", summaries[0])
        self.assertIn(": 0 inserted, 10 duplicate,", summaries[1])

        # Without SELECT: test-auth passes, new events go in, a repeat fails with 403.
        self.sql(f"REVOKE SELECT ON `{database}`.`segment_raw_data` FROM '{user}'@'%'")
        self.assertEqual(self.cli("test-auth", "--settings", settings).returncode, 0)
        events = subprocess.run([os.path.join(SOURCE, "scripts", "gen-events"), "5", "--seed",
                                 "41"], capture_output=True, text=True, check=True).stdout
        first = self.cli("send", "--settings", settings, "-", stdin=events)
        self.assertEqual(first.returncode, 0, first.stderr)
        again = self.cli("send", "--settings", settings, "--report", "-", "-", stdin=events)
        self.assertEqual(again.returncode, 2, again.stderr)
        for line in again.stdout.splitlines():
            entry = json.loads(line)
            self.assertEqual(entry["status"], 403, line)
            self.assertIn("SELECT command denied", entry["error"])

        # Without INSERT: test-auth fails, saying so.
        self.sql(f"GRANT SELECT ON `{database}`.`segment_raw_data` TO '{user}'@'%'")
        self.sql(f"REVOKE INSERT ON `{database}`.`segment_raw_data` FROM '{user}'@'%'")
        denied = self.cli("test-auth", "--settings", settings)
        self.assertEqual(denied.returncode, 2)
        self.assertIn("INSERT command denied", denied.stderr)

    def test_create_select_insert_on_the_database(self):
        database, user, settings = self.follow_grants(1)
        r = self.check_user(settings)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn(f"table `{database}`.`segment_raw_data` created", r.stdout)
        self.assertIn(": 0 inserted, 10 duplicate,", r.stderr.splitlines()[-1])

    def test_a_grant_on_a_missing_table_is_refused(self):
        # The page's reason for its two ways: MariaDB refuses a table grant before the table.
        database = "docs_priv_" + uuid.uuid4().hex[:8]
        self.sql(f"CREATE DATABASE `{database}`")
        self.cleanup_sql.append(f"DROP DATABASE IF EXISTS `{database}`")
        self.cleanup_sql.append("DROP USER IF EXISTS 'docs_nobody'@'%'")
        r = self.sql(f"CREATE USER 'docs_nobody'@'%' IDENTIFIED BY 'x-Pw-123456';"
                     f"GRANT SELECT, INSERT ON `{database}`.segment_raw_data TO 'docs_nobody'@'%'",
                     check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("ERROR 1146", r.stderr)


if __name__ == "__main__":
    unittest.main(verbosity=2)
