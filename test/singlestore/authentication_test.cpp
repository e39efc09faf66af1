// testAuthentication and the dynamic `database` field, through the library and through the
// harness (test-auth and databases, exit codes of docs/contracts.md).
#include "singlestore/authentication.h"

#include <gtest/gtest.h>

#include "singlestore/databases.h"
#include "writer_support.h"

using namespace actions;
using testenv::runCli;

namespace {

// A settings file for the fixture's server with some fields replaced (raw JSON values).
std::string settingsFile(const testenv::TempDir& dir,
                         const std::map<std::string, std::string>& replace) {
  json::Document d;
  EXPECT_FALSE(json::parse(testenv::readText(testenv::settingsPath()), d));
  for (auto& [key, raw] : replace) {
    json::Document v;
    EXPECT_FALSE(json::parse(raw, v));
    d.RemoveMember(key.c_str());
    if (!v.IsNull())
      d.AddMember(json::Value(key.c_str(), d.GetAllocator()), json::Value(v, d.GetAllocator()),
                  d.GetAllocator());
  }
  std::string path = dir.file("settings-" + std::to_string(replace.size()) + ".json");
  testenv::writeText(path, json::stringify(d));
  return path;
}

}  // namespace

TEST(TestAuthentication, CreatesTheTableAndProvesAWriteWithoutLeavingARow) {
  auto s = sstest::settingsWithOwnTable("auth");
  auto report = singlestore::testAuthentication(s);
  EXPECT_EQ(report.tableState, singlestore::TableState::Created);
  EXPECT_EQ(report.dialect, singlestore::Dialect::MySql);
  EXPECT_NE(report.serverVersion.find("MariaDB"), std::string::npos);
  db::Connection c(s.connectOptions());
  EXPECT_EQ(sstest::scalar(c, "SELECT COUNT(*) FROM " + report.table), "0");
  EXPECT_EQ(singlestore::testAuthentication(s).tableState, singlestore::TableState::Existed);
  c.execute("DROP TABLE " + report.table);
}

TEST(TestAuthentication, AUserWhoCannotWriteIsTold) {
  auto s = sstest::settingsWithOwnTable("auth_ro");
  db::Connection admin(s.connectOptions());
  std::string table = singlestore::makeTableRef(s.dbName, s.tableName).qualified();
  admin.execute(singlestore::createTableSql(singlestore::Dialect::MySql,
                                            singlestore::makeTableRef(s.dbName, s.tableName)));
  std::string user = sstest::uniqueTable("ro");
  admin.execute("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY 'ReadOnly-pw-1'");
  admin.execute("GRANT SELECT ON actions_test.* TO '" + user + "'@'127.0.0.1'");
  auto ro = s;
  ro.username = user;
  ro.password = "ReadOnly-pw-1";
  try {
    singlestore::testAuthentication(ro);
    ADD_FAILURE() << "a read-only user passed test-auth";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Authentication);
    EXPECT_NE(std::string(e.what()).find("cannot write to " + table), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("INSERT command denied"), std::string::npos) << e.what();
  }
  // Without the table, the missing CREATE privilege is what it says.
  ro.tableName = sstest::uniqueTable("ro_missing");
  try {
    singlestore::testAuthentication(ro);
    ADD_FAILURE();
  } catch (const db::Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot use table"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("CREATE command denied"), std::string::npos) << e.what();
  }
  admin.execute("DROP USER '" + user + "'@'127.0.0.1'");
  admin.execute("DROP TABLE " + table);
}

TEST(TestAuthCli, SucceedsAndSaysWhatItDid) {
  testenv::TempDir dir;
  std::string table = sstest::uniqueTable("cli_auth");
  auto r =
      runCli("test-auth --settings " + settingsFile(dir, {{"tableName", "\"" + table + "\""}}));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("connected to 127.0.0.1:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("`actions_test`.`" + table + "` created; the user can write to it"),
            std::string::npos)
      << r.out;
  auto again =
      runCli("test-auth --settings " + settingsFile(dir, {{"tableName", "\"" + table + "\""}}));
  EXPECT_EQ(again.exitCode, 0);
  EXPECT_NE(again.out.find("` exists; the user can write to it"), std::string::npos) << again.out;
  db::Connection c(sstest::fixtureSettings().connectOptions());
  c.execute("DROP TABLE `actions_test`.`" + table + "`");
}

TEST(TestAuthCli, FailuresExit2WithAClearMessageAndNeverThePassword) {
  testenv::TempDir dir;
  struct Case {
    std::map<std::string, std::string> settings;
    std::string expected;
  } cases[] = {
      {{{"password", "\"Wrong-Secret-4711\""}}, "authentication failed at 127.0.0.1:"},
      {{{"dbName", "\"no_such_database_here\""}}, "Unknown database 'no_such_database_here'"},
      {{{"port", "1"}}, "cannot connect to 127.0.0.1:1"},
      {{{"host", "\"no-such-host.invalid\""}}, "cannot connect to no-such-host.invalid:"},
      {{{"sslMode", "\"required\""}}, "sslMode is required but the server does not offer TLS"},
      {{{"host", "null"}}, "invalid settings: host is required"},
  };
  for (const auto& k : cases) {
    auto r = runCli("test-auth --settings " + settingsFile(dir, k.settings));
    EXPECT_EQ(r.exitCode, 2) << k.expected << "\n" << r.err;
    EXPECT_NE(r.err.find(k.expected), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("Wrong-Secret-4711"), std::string::npos);
    EXPECT_EQ(r.out.find("Wrong-Secret-4711"), std::string::npos);
    std::string password = sstest::fixtureSettings().password;
    EXPECT_EQ(r.err.find(password), std::string::npos);
    EXPECT_EQ(r.out.find(password), std::string::npos);
  }
}

TEST(Databases, ListsUserDatabasesOnly) {
  std::string mine = sstest::uniqueTable("zz_choices");
  db::Connection c(sstest::fixtureSettings().connectOptions());
  c.execute("CREATE DATABASE `" + mine + "`");
  auto names = singlestore::listUserDatabases(sstest::fixtureSettings());
  EXPECT_NE(std::find(names.begin(), names.end(), mine), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "actions_test"), names.end());
  for (auto& n : names) EXPECT_FALSE(singlestore::isSystemDatabase(n)) << n;
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));

  auto r = runCli("databases --settings " + testenv::settingsPath());
  EXPECT_EQ(r.exitCode, 0) << r.err;
  json::Document out;
  ASSERT_FALSE(json::parse(r.out, out)) << r.out;
  ASSERT_TRUE(out.IsObject() && out["choices"].IsArray()) << r.out;
  bool found = false;
  for (auto& choice : out["choices"].GetArray()) {
    EXPECT_STREQ(choice["label"].GetString(), choice["value"].GetString());
    std::string value = choice["value"].GetString();
    EXPECT_NE(value, "mysql");
    EXPECT_NE(value, "information_schema");
    EXPECT_NE(value, "performance_schema");
    EXPECT_NE(value, "sys");
    found = found || value == mine;
  }
  EXPECT_TRUE(found) << r.out;
  c.execute("DROP DATABASE `" + mine + "`");
}

TEST(Databases, SystemSchemasAndChoicesJson) {
  for (const char* s :
       {"information_schema", "MYSQL", "performance_schema", "sys", "memsql", "cluster"})
    EXPECT_TRUE(singlestore::isSystemDatabase(s)) << s;
  EXPECT_FALSE(singlestore::isSystemDatabase("analytics"));
  EXPECT_FALSE(singlestore::isSystemDatabase("mysql_app"));
  EXPECT_EQ(singlestore::databaseChoicesJson({"a\"b", "c"}),
            R"({"choices":[{"label":"a\"b","value":"a\"b"},{"label":"c","value":"c"}]})");
  EXPECT_EQ(singlestore::databaseChoicesJson({}), R"({"choices":[]})");
}

TEST(DatabasesCli, WrongPasswordExits2) {
  testenv::TempDir dir;
  auto r =
      runCli("databases --settings " + settingsFile(dir, {{"password", "\"Wrong-Secret-4711\""}}));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("authentication failed"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Wrong-Secret-4711"), std::string::npos);
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(Databases, StartsInDbNameAndFallsBackWhenItDoesNotExistYet) {
  // Helios' shared tier refuses a session without a default database, so the listing starts in
  // dbName; a dbName not created yet must not stop the list that helps the user pick one.
  auto settings = sstest::fixtureSettings();
  auto inDbName = singlestore::listUserDatabases(settings);
  EXPECT_NE(std::find(inDbName.begin(), inDbName.end(), settings.dbName), inDbName.end());
  settings.dbName = sstest::uniqueTable("not_created_yet");
  auto fallback = singlestore::listUserDatabases(settings);
  EXPECT_EQ(fallback, inDbName);
  testenv::TempDir dir;
  auto r = runCli("databases --settings " +
                  settingsFile(dir, {{"dbName", "\"" + settings.dbName + "\""}}));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("\"value\":\"actions_test\""), std::string::npos) << r.out;
}

// Tables of earlier versions: clustered on messageId. With an exact key test-auth accepts it and
// says how to move it to the flat-cost layout; with the utf8mb4_bin key they were made with
// (which pads spaces) it refuses, giving the one statement that fixes both.
TEST(TestAuthCli, ATableOfEarlierVersionsIsAdvisedOrRefusedWithTheStatementToRun) {
  testenv::TempDir dir;
  db::Connection c(sstest::fixtureSettings().connectOptions());
  auto make = [&](const std::string& table, const char* messageIdCollation) {
    c.execute("CREATE TABLE `actions_test`.`" + table +
              "` (`message` JSON NOT NULL, `timestamp` DATETIME(6) NOT NULL, `event` "
              "VARCHAR(255) NULL, `messageId` VARCHAR(255) COLLATE " +
              messageIdCollation +
              " NOT NULL, `type` VARCHAR(255) NOT NULL, PRIMARY KEY (`messageId`), KEY "
              "(`timestamp`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    return settingsFile(dir, {{"tableName", "\"" + table + "\""}});
  };
  std::string exact = sstest::uniqueTable("cli_auth_exact");
  auto ok = runCli("test-auth --settings " + make(exact, "utf8mb4_nopad_bin"));
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
  EXPECT_NE(ok.out.find("advice: table `actions_test`.`" + exact + "` is clustered on messageId"),
            std::string::npos)
      << ok.out;
  EXPECT_NE(ok.out.find("ADD COLUMN `row_id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE"),
            std::string::npos)
      << ok.out;

  std::string padded = sstest::uniqueTable("cli_auth_padded");
  auto refused = runCli("test-auth --settings " + make(padded, "utf8mb4_bin"));
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_NE(refused.err.find("cannot keep every event"), std::string::npos) << refused.err;
  EXPECT_NE(
      refused.err.find("fix it (one table rebuild) with: ALTER TABLE `actions_test`.`" + padded +
                       "` MODIFY `messageId` VARCHAR(255) CHARACTER SET utf8mb4 "
                       "COLLATE utf8mb4_nopad_bin NOT NULL, DROP PRIMARY KEY"),
      std::string::npos)
      << refused.err;
  c.execute("DROP TABLE `actions_test`.`" + exact + "`");
  c.execute("DROP TABLE `actions_test`.`" + padded + "`");
}
