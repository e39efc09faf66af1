// Connection::insertRows (MariaDB's bulk execution) against the fixture's real MariaDB: binary
// values arrive byte for byte, NULL stays NULL, counts and errors come back, and the prepared
// statement survives errors and is prepared again after a reset or for other SQL.
#include <gtest/gtest.h>

#include <random>

#include "db/connection.h"
#include "db/parameter_rows.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;

namespace {

class ArrayBinding : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = singlestore::loadSettingsFile(testenv::settingsPath());
    ASSERT_TRUE(r.settings);
    c_ = std::make_unique<db::Connection>(r.settings->connectOptions());
    table_ = "array_binding_" + std::to_string(std::random_device{}() % 1000000);
    c_->execute("CREATE TABLE " + table_ +
                " (id VARCHAR(20) PRIMARY KEY, v TEXT NULL, n INT NOT NULL) "
                "DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin");
    insert_ = "INSERT INTO " + table_ + " (id, v, n) VALUES (?, ?, ?)";
  }
  void TearDown() override {
    if (c_) c_->execute("DROP TABLE IF EXISTS " + table_);
  }
  std::string one(const std::string& sql) {
    auto rows = c_->query(sql);
    return rows.empty() || !rows[0][0] ? "NULL" : *rows[0][0];
  }

  std::unique_ptr<db::Connection> c_;
  std::string table_, insert_;
};

TEST_F(ArrayBinding, TheFixtureServerTakesArrays) {
  EXPECT_TRUE(c_->supportsArrayBinding()) << c_->serverVersion();
}

TEST_F(ArrayBinding, ValuesArriveByteForByteAndNullStaysNull) {
  const std::string nul("a\0b", 3);
  const std::vector<std::string> values = {"it's", "back\\slash\t\n", nul, "", "😀", "NULL"};
  db::ParameterRows rows(3);
  std::vector<std::string> ids, numbers;
  for (std::size_t i = 0; i < values.size(); ++i) {
    ids.push_back("id" + std::to_string(i));
    numbers.push_back(std::to_string(i * 10));
  }
  for (std::size_t i = 0; i < values.size(); ++i) {
    rows.text(0, ids[i]);
    rows.text(1, values[i]);
    rows.text(2, numbers[i]);
  }
  rows.text(0, "null-row");
  rows.null(1);
  rows.text(2, "7");
  auto stored = c_->insertRows(insert_, rows);
  EXPECT_EQ(stored.rows, values.size() + 1);
  EXPECT_EQ(stored.warnings, 0u);
  for (std::size_t i = 0; i < values.size(); ++i) {
    auto r = c_->query("SELECT v, n FROM " + table_ + " WHERE id = '" + ids[i] + "'");
    ASSERT_EQ(r.size(), 1u) << i;
    EXPECT_EQ(r[0][0], values[i]) << i;
    EXPECT_EQ(r[0][1], numbers[i]) << i;
  }
  EXPECT_EQ(one("SELECT v IS NULL FROM " + table_ + " WHERE id = 'null-row'"), "1");
}

TEST_F(ArrayBinding, ADuplicateFailsTheWholeStatementAndTheStatementIsReused) {
  db::ParameterRows first(3);
  first.text(0, "a");
  first.text(1, "x");
  first.text(2, "1");
  c_->insertRows(insert_, first);
  db::ParameterRows second(3);
  for (const char* id : {"b", "a", "c"}) {
    second.text(0, id);
    second.text(1, "y");
    second.text(2, "2");
  }
  c_->execute("START TRANSACTION");
  try {
    c_->insertRows(insert_, second);
    FAIL() << "a stored id went in again";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.code(), 1062u) << e.what();
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Duplicate);
  }
  c_->execute("ROLLBACK");
  EXPECT_EQ(one("SELECT COUNT(*) FROM " + table_), "1");
  second.clear();
  second.text(0, "d");
  second.text(1, "z");
  second.text(2, "3");
  EXPECT_EQ(c_->insertRows(insert_, second).rows, 1u);  // the same handle, after the error
  EXPECT_EQ(one("SELECT v FROM " + table_ + " WHERE id = 'd'"), "z");
}

TEST_F(ArrayBinding, AValueTheColumnRefusesIsAnErrorUnderStrictMode) {
  db::ParameterRows rows(3);
  rows.text(0, "ok");
  rows.text(1, "v");
  rows.text(2, "1");
  rows.text(0, "bad");
  rows.text(1, "v");
  rows.text(2, "not a number");
  try {
    c_->insertRows(insert_, rows);
    FAIL() << "a non-number went into an INT column";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::BadRow) << e.what();
  }
  EXPECT_EQ(one("SELECT COUNT(*) FROM " + table_), "0");  // the statement is atomic
}

TEST_F(ArrayBinding, AResetOrOtherSqlPreparesAgain) {
  db::ParameterRows rows(3);
  rows.text(0, "r1");
  rows.text(1, "v");
  rows.text(2, "1");
  c_->insertRows(insert_, rows);
  c_->reset();
  rows.clear();
  rows.text(0, "r2");
  rows.text(1, "v");
  rows.text(2, "2");
  EXPECT_EQ(c_->insertRows(insert_, rows).rows, 1u);
  db::ParameterRows two(2);
  two.text(0, "r3");
  two.text(1, "5");
  EXPECT_EQ(c_->insertRows("INSERT INTO " + table_ + " (id, n) VALUES (?, ?)", two).rows, 1u);
  EXPECT_EQ(one("SELECT GROUP_CONCAT(id ORDER BY id) FROM " + table_), "r1,r2,r3");
}

TEST_F(ArrayBinding, AWrongParameterCountIsFatal) {
  db::ParameterRows rows(2);
  rows.text(0, "x");
  rows.text(1, "y");
  try {
    c_->insertRows(insert_, rows);
    FAIL() << "2 values bound to 3 parameters";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal);
    EXPECT_NE(std::string(e.what()).find("takes 3 parameters, not 2"), std::string::npos)
        << e.what();
  }
}

}  // namespace
