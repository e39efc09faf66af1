// Identifiers and values built to break out of SQL: they must land as data or be refused,
// never run.
#include <gtest/gtest.h>

#include "db/connection.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;

namespace {

db::Connection connect() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings);
  return db::Connection(r.settings->connectOptions());
}

std::string settingsWithTable(const testenv::TempDir& dir, const std::string& tableJson) {
  std::string s = testenv::readText(testenv::settingsPath());
  s.insert(s.rfind('}'), ",\"tableName\":" + tableJson);
  testenv::writeText(dir.file("settings.json"), s);
  return dir.file("settings.json");
}

const char* kEvent =
    R"({"type":"track","event":"x'); DROP TABLE sentinel; --","messageId":"inj-1\\' OR 1=1 --","timestamp":"2026-01-01T00:00:00Z","properties":{"q":"'; DELETE FROM sentinel; --"}})";

}  // namespace

TEST(Injection, HostileTableNameIsQuotedNotExecuted) {
  auto c = connect();
  c.execute("CREATE TABLE IF NOT EXISTS sentinel (id INT)");
  testenv::TempDir dir;
  std::string table = "evil` (x INT); DROP TABLE sentinel; -- " + std::to_string(getpid());
  auto settings = settingsWithTable(
      dir, "\"evil` (x INT); DROP TABLE sentinel; -- " + std::to_string(getpid()) + "\"");
  testenv::writeText(dir.file("in.ndjson"), std::string(kEvent) + "\n");
  auto r = testenv::runCli("send --settings " + settings + " " + dir.file("in.ndjson"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  // The sentinel survives, the strangely named table exists and holds the event as data.
  EXPECT_EQ(c.query("SHOW TABLES LIKE 'sentinel'").size(), 1u);
  std::string quoted = singlestore::quoteIdentifier(table);
  auto rows = c.query(
      "SELECT event, messageId, JSON_UNQUOTE(JSON_EXTRACT(message, '$.properties.q')) FROM " +
      quoted);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "x'); DROP TABLE sentinel; --");
  EXPECT_EQ(rows[0][1], "inj-1\\' OR 1=1 --");
  EXPECT_EQ(rows[0][2], "'; DELETE FROM sentinel; --");
}

TEST(Injection, HostileDatabaseFieldIsRefusedOrQuoted) {
  auto c = connect();
  c.execute("CREATE TABLE IF NOT EXISTS sentinel (id INT)");
  testenv::TempDir dir;
  testenv::writeText(
      dir.file("mapping.json"),
      R"({"database":"x`; DROP TABLE actions_test.sentinel; --","messageId":{"@path":"$.messageId"},)"
      R"("timestamp":{"@path":"$.timestamp"},"type":{"@path":"$.type"},"event":{"@path":"$.event"},)"
      R"("message":{"@path":"$."},"max_batch_size":10,"enable_batching":true})");
  testenv::writeText(dir.file("in.ndjson"), std::string(kEvent) + "\n");
  auto r = testenv::runCli("send --settings " + testenv::settingsPath() + " --mapping " +
                           dir.file("mapping.json") + " --report " + dir.file("report.ndjson") +
                           " " + dir.file("in.ndjson"));
  EXPECT_NE(r.exitCode, 0);  // the database does not exist: the event is not delivered
  EXPECT_EQ(c.query("SHOW TABLES LIKE 'sentinel'").size(), 1u);
  std::string report = testenv::readText(dir.file("report.ndjson"));
  EXPECT_NE(report.find("\"error\""), std::string::npos) << report;
}
