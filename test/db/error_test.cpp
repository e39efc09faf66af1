// Each error class, provoked for real on the fixture's server (and by SQLSTATE for codes the
// table does not name).
#include <gtest/gtest.h>
#include <mysqld_error.h>

#include <chrono>
#include <future>
#include <random>
#include <thread>

#include "db/connection.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;
using db::ErrorClass;

namespace {

db::ConnectOptions options() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings);
  return r.settings ? r.settings->connectOptions() : db::ConnectOptions{};
}

std::string uniqueName(const char* stem) {
  return std::string(stem) + "_" + std::to_string(std::random_device{}() % 1000000);
}

// The error a statement raises (or a failed test when it raises none).
db::Error errorOf(db::Connection& c, const std::string& sql) {
  try {
    c.execute(sql);
  } catch (const db::Error& e) {
    return e;
  }
  ADD_FAILURE() << "no error from: " << sql;
  return db::Error(0, "", "none");
}

class ErrorClasses : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = uniqueName("errors");
    c_.execute(
        "CREATE TABLE " + table_ +
        " (message JSON NOT NULL, timestamp DATETIME(6) NOT NULL, event VARCHAR(255) NULL,"
        " messageId VARCHAR(255) NOT NULL PRIMARY KEY, type VARCHAR(255) NOT NULL) ENGINE=InnoDB");
  }
  void TearDown() override { c_.execute("DROP TABLE IF EXISTS " + table_); }
  std::string insert(const std::string& values) {
    return "INSERT INTO " + table_ + " VALUES " + values;
  }

  db::Connection c_{options()};
  std::string table_;
};

}  // namespace

TEST_F(ErrorClasses, RefusedRowsAreBadRows) {
  c_.execute(insert("('{}', '2026-01-01', NULL, 'a', 'track')"));
  struct Case {
    const char* what;
    std::string values;
    unsigned code;
  } cases[] = {
      {"too long", "('{}', '2026-01-01', REPEAT('x', 256), 'b', 'track')", ER_DATA_TOO_LONG},
      {"impossible date", "('{}', '2026-02-30', NULL, 'b', 'track')", ER_TRUNCATED_WRONG_VALUE},
      {"invalid JSON", "('{', '2026-01-01', NULL, 'b', 'track')", ER_CONSTRAINT_FAILED},
      {"JSON too deep",
       "(CONCAT(REPEAT('[', 40), REPEAT(']', 40)), '2026-01-01', NULL, 'b', 'track')",
       ER_CONSTRAINT_FAILED},
      {"not UTF-8", "(X'7B2278223A22FF227D', '2026-01-01', NULL, 'b', 'track')",
       ER_TRUNCATED_WRONG_VALUE_FOR_FIELD},
      {"NULL in NOT NULL", "('{}', '2026-01-01', NULL, 'b', NULL)", ER_BAD_NULL_ERROR},
  };
  for (const auto& k : cases) {
    auto e = errorOf(c_, insert(k.values));
    EXPECT_EQ(e.code(), k.code) << k.what << ": " << e.what();
    EXPECT_EQ(e.errorClass(), ErrorClass::BadRow) << k.what << ": " << e.what();
    EXPECT_FALSE(e.outcomeUnknown());
  }
  // Strict mode is on: nothing above was stored truncated.
  EXPECT_EQ(c_.query("SELECT COUNT(*) FROM " + table_)[0][0], "1");
}

TEST_F(ErrorClasses, DuplicateKeyIsItsOwnClass) {
  c_.execute(insert("('{}', '2026-01-01', NULL, 'a', 'track')"));
  auto e = errorOf(c_, insert("('{}', '2026-01-01', NULL, 'a', 'track')"));
  EXPECT_EQ(e.code(), ER_DUP_ENTRY);
  EXPECT_EQ(e.errorClass(), ErrorClass::Duplicate);
}

TEST_F(ErrorClasses, MissingTableOrColumnIsFatal) {
  EXPECT_EQ(errorOf(c_, "SELECT * FROM no_such_table_here").errorClass(), ErrorClass::Fatal);
  EXPECT_EQ(errorOf(c_, "SELECT no_such_column FROM " + table_).errorClass(), ErrorClass::Fatal);
  EXPECT_EQ(errorOf(c_, "SELEKT 1").errorClass(), ErrorClass::Fatal);
}

TEST_F(ErrorClasses, LockWaitTimeoutAndDeadlockAreRetryable) {
  c_.execute(
      insert("('{}', '2026-01-01', NULL, 'a', 'track'), ('{}', '2026-01-01', NULL, 'b', 'track')"));
  db::Connection other(options());
  c_.execute("SET SESSION innodb_lock_wait_timeout = 1");
  other.execute("START TRANSACTION");
  other.execute("UPDATE " + table_ + " SET type = 'page' WHERE messageId = 'a'");
  auto timeout = errorOf(c_, "UPDATE " + table_ + " SET type = 'screen' WHERE messageId = 'a'");
  EXPECT_EQ(timeout.code(), ER_LOCK_WAIT_TIMEOUT);
  EXPECT_EQ(timeout.errorClass(), ErrorClass::Retryable);
  EXPECT_FALSE(timeout.outcomeUnknown());  // the server answered: the statement did not happen

  // A deadlock: each transaction holds the row the other one wants.
  c_.execute("SET SESSION innodb_lock_wait_timeout = 20");
  c_.execute("START TRANSACTION");
  c_.execute("UPDATE " + table_ + " SET type = 'screen' WHERE messageId = 'b'");
  auto blocked = std::async(std::launch::async, [&] {
    try {
      other.execute("UPDATE " + table_ + " SET type = 'page' WHERE messageId = 'b'");
      other.execute("COMMIT");
      return 0u;
    } catch (const db::Error& e) {
      return e.code();
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  unsigned mine = 0;
  try {
    c_.execute("UPDATE " + table_ + " SET type = 'screen' WHERE messageId = 'a'");
    c_.execute("COMMIT");
  } catch (const db::Error& e) {
    mine = e.code();
    EXPECT_EQ(e.errorClass(), ErrorClass::Retryable) << e.what();
  }
  unsigned theirs = blocked.get();
  EXPECT_TRUE(mine == ER_LOCK_DEADLOCK || theirs == ER_LOCK_DEADLOCK) << mine << " " << theirs;
  EXPECT_EQ(db::classify(ER_LOCK_DEADLOCK), ErrorClass::Retryable);
  c_.execute("ROLLBACK");
}

TEST_F(ErrorClasses, KilledConnectionIsRetryableWithUnknownOutcome) {
  db::Connection victim(options());
  c_.execute("KILL CONNECTION " + std::to_string(victim.threadId()));
  try {
    victim.execute("INSERT INTO " + table_ + " VALUES ('{}', '2026-01-01', NULL, 'k', 'track')");
    FAIL() << "a killed connection still ran a statement";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), ErrorClass::Retryable) << e.what();
    EXPECT_TRUE(e.outcomeUnknown()) << e.what();
  }
}

TEST_F(ErrorClasses, MissingPrivilegeIsAuthentication) {
  std::string user = uniqueName("reader");
  std::string password = "Rd-" + uniqueName("pw");
  c_.execute("CREATE USER '" + user + "'@'127.0.0.1' IDENTIFIED BY '" + password + "'");
  c_.execute("GRANT SELECT ON actions_test.* TO '" + user + "'@'127.0.0.1'");
  auto o = options();
  o.user = user;
  o.password = password;
  {
    db::Connection reader(o);
    auto e = errorOf(reader, insert("('{}', '2026-01-01', NULL, 'r', 'track')"));
    EXPECT_EQ(e.code(), ER_TABLEACCESS_DENIED_ERROR);
    EXPECT_EQ(e.errorClass(), ErrorClass::Authentication);
  }
  c_.execute("DROP USER '" + user + "'@'127.0.0.1'");
}

TEST(ErrorClassesAtConnect, UnknownDatabaseIsFatal) {
  auto o = options();
  o.database = "no_such_database_here";
  try {
    db::Connection c(o);
    FAIL();
  } catch (const db::Error& e) {
    EXPECT_EQ(e.code(), ER_BAD_DB_ERROR);
    EXPECT_EQ(e.errorClass(), ErrorClass::Fatal);
    EXPECT_NE(std::string(e.what()).find("no_such_database_here"), std::string::npos) << e.what();
  }
}

TEST(ErrorClassesAtConnect, ReadTimeoutIsRetryableWithUnknownOutcome) {
  auto o = options();
  o.readTimeoutSec = 1;
  db::Connection c(o);
  auto start = std::chrono::steady_clock::now();
  try {
    c.query("SELECT SLEEP(10)");
    FAIL() << "the read timeout did not fire";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), ErrorClass::Retryable) << e.what();
    EXPECT_TRUE(e.outcomeUnknown());
  }
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(6));
}

TEST(ErrorClassesBySqlstate, UnknownCodesFallBackToTheirSqlstateClass) {
  EXPECT_EQ(db::classify(9001, "22001"), ErrorClass::BadRow);
  EXPECT_EQ(db::classify(9001, "23000"), ErrorClass::BadRow);
  EXPECT_EQ(db::classify(9001, "08S01"), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(9001, "40001"), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(9001, "28000"), ErrorClass::Authentication);
  // A server's general error with an unknown number is waited out, not fatal (docs/singlestore.md).
  EXPECT_EQ(db::classify(9001, "HY000"), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(9001, "42000"), ErrorClass::Fatal);
  EXPECT_EQ(db::classify(9001, "0A000"), ErrorClass::Fatal);
  EXPECT_EQ(db::classify(9001), ErrorClass::Fatal);
  // A code the table names wins over its SQLSTATE.
  EXPECT_EQ(db::classify(ER_DUP_ENTRY, "23000"), ErrorClass::Duplicate);
  EXPECT_EQ(db::classify(3140, "22032"),
            ErrorClass::BadRow);  // MySQL / SingleStore invalid JSON text
  EXPECT_STREQ(db::toString(ErrorClass::Duplicate), "duplicate");
}

TEST(ErrorClassesBySqlstate, ADuplicateKeyIsADuplicateWhateverItsNumber) {
  EXPECT_EQ(db::classify(9002, "23000", "Duplicate entry 'abc' for key 'PRIMARY'"),
            ErrorClass::Duplicate);
  EXPECT_EQ(db::classify(9002, "23000", "Leaf Error (127.0.0.1:3307): DUPLICATE KEY in index"),
            ErrorClass::Duplicate);
  EXPECT_EQ(db::classify(ER_DUP_KEY, "23000"), ErrorClass::Duplicate);
  // Other integrity errors stay refused rows; a duplicate message under another class is not one.
  EXPECT_EQ(db::classify(9002, "23000", "Column 'type' cannot be null"), ErrorClass::BadRow);
  EXPECT_EQ(db::classify(9002, "42000", "duplicate column name"), ErrorClass::Fatal);
  // Through db::Error, which hands its message to classify().
  EXPECT_EQ(db::Error(9002, "23000", "Duplicate entry 'x' for key 'messageId'").errorClass(),
            ErrorClass::Duplicate);
}

TEST(ErrorClassesSingleStore, DocumentedTransientErrorsAreRetried) {
  // Memory: "Not enough memory available ... The request was not processed."; tables full.
  EXPECT_EQ(db::classify(1712, "HY000"), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(1720, "HY000"), ErrorClass::Retryable);
  // Master aggregator failover: the old MA shutting down, a child aggregator without its MA.
  EXPECT_EQ(db::classify(ER_SERVER_SHUTDOWN, "08S01"), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(ER_CONNECT_TO_MASTER, "HY000"), ErrorClass::Retryable);
  // Whatever the SQLSTATE the server sends with them.
  EXPECT_EQ(db::classify(1712), ErrorClass::Retryable);
  EXPECT_EQ(db::classify(1218), ErrorClass::Retryable);
  // A feature SingleStore does not support never will be.
  EXPECT_EQ(db::classify(1706, "HY000"), ErrorClass::Fatal);
  // Server settings that refuse a statement are not moments to wait out.
  EXPECT_EQ(db::classify(4166, "HY000"), ErrorClass::Fatal);  // MariaDB: local_infile off
}

TEST(ErrorClassesSingleStore, LicenseCapacityIsFatalAndTableMemoryIsRetriedOnlyBriefly) {
  // 2373: code generation disabled by the free license's capacity — nothing changes by waiting.
  // A server's number inside the client's 2000-2999 range: named, so never taken for a link.
  db::Error license(2373, "HY000", "Code generation for new statements is disabled");
  EXPECT_EQ(license.errorClass(), ErrorClass::Fatal);
  EXPECT_FALSE(license.outcomeUnknown());
  // 1720: maximum_table_memory reached — retried, but for seconds, not the whole budget.
  db::Error full(1720, "HY000", "Memory usage by SingleStore for tables ...");
  EXPECT_EQ(full.errorClass(), ErrorClass::Retryable);
  ASSERT_TRUE(full.retryAtMost().has_value());
  EXPECT_LE(*full.retryAtMost(), std::chrono::seconds(10));
  // 1712 (not enough memory for this request) keeps the whole budget.
  EXPECT_FALSE(db::Error(1712, "HY000", "Not enough memory").retryAtMost().has_value());
}

TEST(ErrorClassesClient, AWaitCutAtTheDeadlineIsARetryableLostAnswer) {
  db::Error e = db::Error::timedOut("no answer before the deadline");
  EXPECT_TRUE(e.timedOutAtDeadline());
  EXPECT_EQ(e.errorClass(), ErrorClass::Retryable);
  EXPECT_TRUE(e.outcomeUnknown());
  EXPECT_FALSE(db::Error(2013, "HY000", "Lost connection").timedOutAtDeadline());
}

TEST(ErrorClassesClient, ConnectionLevelClientErrorsAreRetriedOthersAreNot) {
  for (unsigned code : {2002u, 2003u, 2006u, 2013u, 2055u, 2012u, 2004u, 2001u, 5013u, 5014u})
    EXPECT_EQ(db::classify(code, "HY000"), ErrorClass::Retryable) << code;
  // TLS that cannot be set up, the library's own misuse or missing features: retrying won't help.
  for (unsigned code : {2026u, 2007u, 2008u, 2030u, 2031u, 2034u, 2047u, 2054u, 2000u, 5009u})
    EXPECT_EQ(db::classify(code, "HY000"), ErrorClass::Fatal) << code;
  EXPECT_EQ(db::classify(2020, "HY000"), ErrorClass::BadRow);  // packet too large: smaller batch
  EXPECT_EQ(db::classify(2061, "HY000"), ErrorClass::Authentication);
  // A lost link leaves the statement's outcome open; a server's answer never does.
  EXPECT_TRUE(db::Error(2013, "HY000", "lost").outcomeUnknown());
  EXPECT_FALSE(db::Error(1712, "HY000", "memory").outcomeUnknown());
  EXPECT_FALSE(db::Error(9001, "HY000", "unknown").outcomeUnknown());
}
