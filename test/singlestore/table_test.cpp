// The table against the fixture's MariaDB: dialect detection, creation, and existing tables
// that cannot hold the rows.
#include "singlestore/table.h"

#include <gtest/gtest.h>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using namespace actions::singlestore;

namespace {

class Table : public ::testing::Test {
 protected:
  void SetUp() override { ref_ = makeTableRef(settings_.dbName, sstest::uniqueTable("table")); }
  void TearDown() override { c_.execute("DROP TABLE IF EXISTS " + ref_.qualified()); }
  std::string fail(const char* createColumns) {
    c_.execute("CREATE TABLE " + ref_.qualified() + " (" + createColumns + ")");
    try {
      ensureTable(c_, Dialect::MySql, ref_);
    } catch (const db::Error& e) {
      EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal);
      return e.what();
    }
    ADD_FAILURE() << "accepted a table with " << createColumns;
    return "";
  }

  Settings settings_ = sstest::fixtureSettings();
  db::Connection c_{settings_.connectOptions()};
  TableRef ref_;
};

}  // namespace

TEST_F(Table, MariaDbIsDetectedAsTheMySqlFamily) {
  EXPECT_EQ(detectDialect(c_), Dialect::MySql);
}

TEST_F(Table, IsCreatedOnceWithTheContractsColumnsAndKeys) {
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_), TableState::Created);
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_), TableState::Existed);
  auto columns = c_.query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME FROM "
      "information_schema.COLUMNS WHERE "
      "TABLE_SCHEMA = '" +
      ref_.database + "' AND TABLE_NAME = '" + ref_.table + "' ORDER BY ORDINAL_POSITION");
  ASSERT_EQ(columns.size(), 5u);
  EXPECT_EQ(columns[0][0], "message");
  EXPECT_EQ(columns[0][1], "longtext");  // MariaDB's JSON
  EXPECT_EQ(columns[1][0], "timestamp");
  EXPECT_EQ(columns[1][1], "datetime(6)");
  EXPECT_EQ(columns[2][0], "event");
  EXPECT_EQ(columns[2][1], "varchar(255)");
  EXPECT_EQ(columns[2][2], "YES");
  EXPECT_EQ(columns[3][0], "messageId");
  EXPECT_EQ(columns[3][1], "varchar(255)");
  EXPECT_EQ(columns[3][2], "NO");
  EXPECT_EQ(columns[3][3], "utf8mb4");
  EXPECT_EQ(columns[4][0], "type");
  auto keys = c_.query(
      "SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE FROM information_schema.STATISTICS WHERE "
      "TABLE_SCHEMA = '" +
      ref_.database + "' AND TABLE_NAME = '" + ref_.table + "' ORDER BY INDEX_NAME");
  ASSERT_EQ(keys.size(), 2u);
  EXPECT_EQ(keys[0][0], "PRIMARY");
  EXPECT_EQ(keys[0][1], "messageId");
  EXPECT_EQ(keys[1][1], "timestamp");
  EXPECT_EQ(keys[1][2], "1");
  // MariaDB's JSON checks its content.
  auto create = c_.query("SHOW CREATE TABLE " + ref_.qualified());
  EXPECT_NE(create[0][1]->find("json_valid(`message`)"), std::string::npos) << *create[0][1];
}

TEST_F(Table, AMissingColumnIsNamed) {
  auto why = fail(
      "message JSON, timestamp DATETIME(6), event VARCHAR(255), messageId VARCHAR(255) PRIMARY "
      "KEY");
  EXPECT_NE(why.find("has no column type"), std::string::npos) << why;
  EXPECT_NE(why.find(ref_.table), std::string::npos) << why;
}

TEST_F(Table, SeveralMissingColumnsAreAllNamed) {
  auto why = fail("messageId VARCHAR(255) PRIMARY KEY, payload TEXT");
  EXPECT_NE(why.find("has no column message, timestamp, event, type"), std::string::npos) << why;
}

TEST_F(Table, ColumnNamesAreMatchedWithoutRegardToCase) {
  c_.execute("CREATE TABLE " + ref_.qualified() +
             " (MESSAGE JSON, Timestamp DATETIME(6), EVENT VARCHAR(255), MessageID VARCHAR(255) "
             "PRIMARY KEY, TYPE VARCHAR(255))");
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_), TableState::Existed);
}

TEST_F(Table, ATableWithoutAUniqueMessageIdKeyIsRefused) {
  auto why = fail(
      "message JSON, timestamp DATETIME(6), event VARCHAR(255), messageId VARCHAR(255), type "
      "VARCHAR(255)");
  EXPECT_NE(why.find("no unique key on messageId"), std::string::npos) << why;
}

TEST_F(Table, TheWriterReportsAnUnusableTableOnEveryEvent) {
  c_.execute("CREATE TABLE " + ref_.qualified() +
             " (messageId VARCHAR(255) PRIMARY KEY, body TEXT)");
  Settings s = settings_;
  s.tableName = ref_.table;
  SendDataWriter writer(s);
  try {
    writer.prepare();
    FAIL() << "prepare() accepted the table";
  } catch (const db::Error& e) {
    EXPECT_NE(std::string(e.what()).find("has no column message, timestamp, event, type"),
              std::string::npos)
        << e.what();
  }
  sstest::Payloads p;
  p.track("t-1");
  std::vector<kit::EventResult> r(1);
  auto ptrs = p.pointers();
  writer.write(ptrs, r);
  EXPECT_EQ(r[0].outcome, kit::Outcome::Failed);
  EXPECT_EQ(r[0].status, 500);
  EXPECT_NE(r[0].error.find("has no column message"), std::string::npos) << r[0].error;
}
