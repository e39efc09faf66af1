// db::Transaction against the fixture's MariaDB: kept only by commit(); rolled back by abort()
// or by leaving the scope (an exception); a destructor whose ROLLBACK cannot run discards the
// connection instead of throwing.
#include "db/transaction.h"

#include <gtest/gtest.h>

#include <random>
#include <stdexcept>

#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;

namespace {

db::ConnectOptions options() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings);
  return r.settings ? r.settings->connectOptions() : db::ConnectOptions{};
}

class Transactions : public ::testing::Test {
 protected:
  void SetUp() override {
    table_ = "tx_" + std::to_string(std::random_device{}() % 1000000);
    c_.execute("CREATE TABLE " + table_ + " (v INT) ENGINE=InnoDB");
  }
  void TearDown() override { admin_.execute("DROP TABLE IF EXISTS " + table_); }
  std::string count() {
    return admin_.query("SELECT COUNT(*) FROM " + table_)[0][0].value_or("NULL");
  }
  db::Connection c_{options()};
  db::Connection admin_{options()};
  std::string table_;
};

}  // namespace

TEST_F(Transactions, CommitKeepsWhatRanInside) {
  db::Transaction tx(c_);
  c_.execute("INSERT INTO " + table_ + " VALUES (1)");
  EXPECT_EQ(count(), "0") << "visible before the commit";
  tx.commit();
  EXPECT_FALSE(tx.open());
  EXPECT_EQ(count(), "1");
}

TEST_F(Transactions, AbortAndTheEndOfTheScopeRollBack) {
  {
    db::Transaction tx(c_);
    c_.execute("INSERT INTO " + table_ + " VALUES (1)");
    tx.abort();
  }
  try {
    db::Transaction tx(c_);
    c_.execute("INSERT INTO " + table_ + " VALUES (2)");
    throw std::runtime_error("something between the statement and the commit");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(count(), "0");
  EXPECT_FALSE(c_.inTransaction());
  EXPECT_TRUE(c_.isOpen());
}

TEST_F(Transactions, ADestructorThatCannotRollBackDiscardsTheConnection) {
  {
    db::Transaction tx(c_);
    c_.execute("INSERT INTO " + table_ + " VALUES (1)");
    admin_.execute("KILL CONNECTION " + std::to_string(c_.threadId()));
  }  // ROLLBACK fails on the dead link: no throw, the connection is closed
  EXPECT_FALSE(c_.isOpen());
  EXPECT_EQ(count(), "0");
}
