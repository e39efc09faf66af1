// Against the real MariaDB the "db" fixture starts.
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>

#include "db/connection.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;

namespace {
singlestore::Settings testSettings() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings) << (r.problems.empty() ? "" : r.problems[0]);
  return *r.settings;
}
}  // namespace

TEST(Connection, ConnectsAndQueries) {
  db::Connection c(testSettings().connectOptions());
  auto rows = c.query("SELECT 1 + 1, NULL, @@character_set_client, @@session.time_zone");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][0], "2");
  EXPECT_FALSE(rows[0][1].has_value());
  EXPECT_EQ(rows[0][2], "utf8mb4");
  EXPECT_EQ(rows[0][3], "+00:00");
  EXPECT_NE(c.serverVersion().find("MariaDB"), std::string::npos);
}

TEST(Connection, EscapesValues) {
  db::Connection c(testSettings().connectOptions());
  std::string sql = "SELECT '";
  c.appendEscaped("it's a \"test\"\\ \n; DROP TABLE x; --", sql);
  sql += "'";
  auto rows = c.query(sql);
  EXPECT_EQ(rows[0][0], "it's a \"test\"\\ \n; DROP TABLE x; --");
}

TEST(Connection, EscapingFollowsTheSessionsSqlModeNotOnlyTheStatusFlag) {
  db::Connection c(testSettings().connectOptions());
  EXPECT_FALSE(c.noBackslashEscapes());
  const std::string value = std::string("it's a \\ back\\'slash\0 and\n'' quotes", 35);
  auto roundTrip = [&] {
    std::string sql = "SELECT '";
    c.appendEscaped(value, sql);
    sql += "'";
    return c.query(sql)[0][0].value_or("NULL");
  };
  EXPECT_EQ(roundTrip(), value);
  // Under NO_BACKSLASH_ESCAPES a backslash is an ordinary character: only quotes are doubled.
  c.execute("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')");
  c.readSqlMode();
  EXPECT_TRUE(c.noBackslashEscapes());
  std::string escaped;
  c.appendEscaped("a'b\\c", escaped);
  EXPECT_EQ(escaped, "a''b\\c");  // decided by sql_mode, whatever the server's status flag says
  EXPECT_EQ(roundTrip(), value);
  // Read at connect: a session whose server default has the mode starts with it.
  c.execute("SET SESSION sql_mode = REPLACE(@@sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
  c.readSqlMode();
  EXPECT_FALSE(c.noBackslashEscapes());
  EXPECT_EQ(roundTrip(), value);
}

TEST(Connection, WrongPasswordIsAnAuthenticationErrorWithoutThePassword) {
  auto s = testSettings();
  s.password = "wrong-password-shibboleth";
  try {
    db::Connection c(s.connectOptions());
    FAIL() << "connected with a wrong password";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Authentication);
    EXPECT_EQ(e.code(), 1045u);
    std::string what = e.what();
    EXPECT_NE(what.find("authentication failed"), std::string::npos) << what;
    EXPECT_EQ(what.find("shibboleth"), std::string::npos) << what;
  }
}

TEST(Connection, MessagesAreNeverMaskedByReplacingThePasswordsText) {
  // A password equal to the database name: masking by text replacement would turn the name into
  // '********' (and so reveal the password). Messages never hold the password in the first
  // place, so the name shows as it is.
  auto s = testSettings();
  db::Connection admin(s.connectOptions());
  std::string name = "pw_is_dbname_" + std::to_string(::getpid());
  admin.execute("CREATE USER '" + name + "'@'127.0.0.1' IDENTIFIED BY '" + name + "'");
  s.username = name;
  s.password = name;
  s.dbName = name;  // the user may not see it, and it does not exist
  try {
    db::Connection c(s.connectOptions());
    ADD_FAILURE() << "connected to a database that does not exist";
  } catch (const db::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("'" + name + "'"), std::string::npos) << what;
    EXPECT_EQ(what.find("********"), std::string::npos) << what;
  }
  admin.execute("DROP USER '" + name + "'@'127.0.0.1'");
}

TEST(Connection, WithoutVerifiedTlsTheScrambleMethodStillLogsIn) {
  // The fixture's server offers no TLS; preferred and disabled log in with the scramble of
  // mysql_native_password, the only kind of method allowed without a verified certificate.
  for (auto mode : {db::SslMode::Disabled, db::SslMode::Preferred}) {
    auto s = testSettings();
    s.sslMode = mode;
    db::Connection c(s.connectOptions());
    EXPECT_EQ(c.query("SELECT 1")[0][0], "1");
  }
}

TEST(Connection, VerifyCaWithoutACaIsRefusedRatherThanCheckingNothing) {
  auto s = testSettings();
  s.sslMode = db::SslMode::VerifyCa;
  s.sslCa.clear();
  try {
    db::Connection c(s.connectOptions());
    FAIL() << "verify_ca connected without a CA to verify against";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal);
    EXPECT_NE(std::string(e.what()).find("verify_ca needs sslCa"), std::string::npos) << e.what();
  }
}

TEST(Connection, UnreachablePortFailsFastAndRetryable) {
  auto s = testSettings();
  s.port = 1;  // nothing listens on port 1 of loopback
  auto start = std::chrono::steady_clock::now();
  try {
    db::Connection c(s.connectOptions());
    FAIL() << "connected to port 1";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Retryable);
    EXPECT_NE(std::string(e.what()).find("cannot connect to 127.0.0.1:1"), std::string::npos)
        << e.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Connection, TlsRequiredAgainstPlainServerFailsClearly) {
  auto s = testSettings();
  s.sslMode = db::SslMode::Required;
  try {
    db::Connection c(s.connectOptions());
    FAIL() << "TLS required accepted a plain server";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal);
    EXPECT_NE(std::string(e.what()).find("TLS"), std::string::npos) << e.what();
  }
}

TEST(Connection, ServerErrorsCarryErrnoAndClass) {
  db::Connection c(testSettings().connectOptions());
  try {
    c.execute("SELECT * FROM no_such_table_here");
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.code(), 1146u);
    EXPECT_NE(std::string(e.what()).find("errno 1146"), std::string::npos);
  }
}
