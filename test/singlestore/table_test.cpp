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
  std::string advice = "left over";
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_, &advice), TableState::Existed);
  EXPECT_EQ(advice, "");  // the table it creates needs no migration
  auto columns = c_.query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, CHARACTER_SET_NAME, COLLATION_NAME, EXTRA "
      "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = '" +
      ref_.database + "' AND TABLE_NAME = '" + ref_.table + "' ORDER BY ORDINAL_POSITION");
  ASSERT_EQ(columns.size(), 6u);
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
  EXPECT_EQ(columns[3][4], "utf8mb4_nopad_bin");
  EXPECT_EQ(columns[4][0], "type");
  EXPECT_EQ(columns[5][0], "row_id");
  EXPECT_EQ(columns[5][1], "bigint(20) unsigned");
  EXPECT_NE(columns[5][5]->find("auto_increment"), std::string::npos) << *columns[5][5];
  EXPECT_NE(columns[5][5]->find("INVISIBLE"), std::string::npos) << *columns[5][5];
  auto keys = c_.query(
      "SELECT INDEX_NAME, COLUMN_NAME, NON_UNIQUE FROM information_schema.STATISTICS WHERE "
      "TABLE_SCHEMA = '" +
      ref_.database + "' AND TABLE_NAME = '" + ref_.table + "' ORDER BY INDEX_NAME");
  ASSERT_EQ(keys.size(), 3u);
  EXPECT_EQ(keys[0][0], "messageId");
  EXPECT_EQ(keys[0][1], "messageId");
  EXPECT_EQ(keys[0][2], "0");
  EXPECT_EQ(keys[1][0], "PRIMARY");
  EXPECT_EQ(keys[1][1], "row_id");
  EXPECT_EQ(keys[2][1], "timestamp");
  EXPECT_EQ(keys[2][2], "1");
  // MariaDB's JSON checks its content.
  auto create = c_.query("SHOW CREATE TABLE " + ref_.qualified());
  EXPECT_NE(create[0][1]->find("json_valid(`message`)"), std::string::npos) << *create[0][1];
}

TEST_F(Table, SelectStarShowsExactlyTheFiveColumns) {
  ensureTable(c_, Dialect::MySql, ref_);
  c_.execute("INSERT INTO " + ref_.qualified() +
             " (`message`, `timestamp`, `event`, `messageId`, `type`) VALUES "
             "('{}', '2026-01-01 00:00:00', 'E', 'star-1', 'track')");
  auto rows = c_.query("SELECT * FROM " + ref_.qualified());
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_EQ(rows[0].size(), 5u);
  EXPECT_EQ(rows[0][0], "{}");
  EXPECT_EQ(rows[0][3], "star-1");
  EXPECT_EQ(rows[0][4], "track");
}

TEST_F(Table, MessageIdsThatDifferOnlyInTrailingSpacesAreTwoEvents) {
  Settings s = settings_;
  s.tableName = ref_.table;
  SendDataWriter writer(s);
  writer.prepare();
  auto deliver = [&](std::vector<std::string> ids) {
    sstest::Payloads p;
    for (auto& id : ids) p.track(id);
    std::vector<kit::EventResult> r(p.size());
    auto ptrs = p.pointers();
    writer.write(ptrs, r);
    return sstest::countOutcomes(r);
  };
  // In one batch (the bulk path), then one by one against what is stored (the INSERT path after
  // a duplicate, and the lookups that settle it).
  EXPECT_EQ(deliver({"pad-1", "pad-1 "}), "inserted=2 ");
  EXPECT_EQ(deliver({"pad-2"}), "inserted=1 ");
  EXPECT_EQ(deliver({"pad-2 ", "pad-2  ", "pad-1 "}), "duplicate=1 inserted=2 ");
  EXPECT_EQ(deliver({"pad-1", "pad-1 ", "pad-2", "pad-2 ", "pad-2  "}), "duplicate=5 ");
  auto ids = c_.query("SELECT CONCAT('[', messageId, ']') FROM " + ref_.qualified() +
                      " ORDER BY messageId");
  ASSERT_EQ(ids.size(), 5u);
  EXPECT_EQ(ids[0][0], "[pad-1]");
  EXPECT_EQ(ids[1][0], "[pad-1 ]");
  EXPECT_EQ(ids[2][0], "[pad-2]");
  EXPECT_EQ(ids[3][0], "[pad-2 ]");
  EXPECT_EQ(ids[4][0], "[pad-2  ]");
}

TEST_F(Table, ATableOfEarlierVersionsIsRefusedWithTheAlterThatFixesItWhichKeepsItsRows) {
  // The DDL earlier versions created: clustered on messageId in utf8mb4_bin, which pads spaces.
  c_.execute("CREATE TABLE " + ref_.qualified() +
             " (`message` JSON NOT NULL, `timestamp` DATETIME(6) NOT NULL, `event` VARCHAR(255) "
             "NULL, `messageId` VARCHAR(255) NOT NULL, `type` VARCHAR(255) NOT NULL, PRIMARY KEY "
             "(`messageId`), KEY (`timestamp`)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
             "COLLATE=utf8mb4_bin");
  c_.execute("INSERT INTO " + ref_.qualified() +
             " VALUES ('{}', '2026-01-01 00:00:00', NULL, 'old-1', 'identify')");
  std::string why;
  try {
    ensureTable(c_, Dialect::MySql, ref_);
    ADD_FAILURE() << "accepted a key that pads spaces";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal);
    why = e.what();
  }
  EXPECT_NE(why.find("cannot keep every event: its collation utf8mb4_bin compares messageIds "
                     "inexactly: \"pad-1 \" as \"pad-1\" (trailing spaces ignored)"),
            std::string::npos)
      << why;
  std::string migrate = migrateLayoutSql(serverTraits(c_, Dialect::MySql), ref_);
  ASSERT_NE(why.find("fix it (one table rebuild) with: " + migrate), std::string::npos) << why;

  c_.execute(migrate);
  std::string advice = "left over";
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_, &advice), TableState::Existed);
  EXPECT_EQ(advice, "");
  auto rows = c_.query("SELECT * FROM " + ref_.qualified());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].size(), 5u);
  EXPECT_EQ(rows[0][3], "old-1");
  EXPECT_EQ(sstest::scalar(c_, "SELECT row_id FROM " + ref_.qualified()), "1");
  c_.execute("INSERT INTO " + ref_.qualified() +
             " (`message`, `timestamp`, `event`, `messageId`, `type`) VALUES "
             "('{}', '2026-01-01 00:00:00', NULL, 'old-1 ', 'identify')");
  EXPECT_EQ(sstest::scalar(c_, "SELECT COUNT(*) FROM " + ref_.qualified()), "2");
}

TEST_F(Table, AnExactKeyClusteredOnMessageIdIsAcceptedWithTheMigrationAdvised) {
  c_.execute("CREATE TABLE " + ref_.qualified() +
             " (`message` JSON NOT NULL, `timestamp` DATETIME(6) NOT NULL, `event` VARCHAR(255) "
             "NULL, `messageId` VARCHAR(255) COLLATE utf8mb4_nopad_bin NOT NULL, `type` "
             "VARCHAR(255) NOT NULL, PRIMARY KEY (`messageId`), KEY (`timestamp`)) "
             "DEFAULT CHARSET=utf8mb4");
  std::string advice;
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_, &advice), TableState::Existed);
  EXPECT_NE(advice.find("is clustered on messageId"), std::string::npos) << advice;
  EXPECT_NE(advice.find(migrateLayoutSql(serverTraits(c_, Dialect::MySql), ref_)),
            std::string::npos)
      << advice;
}

TEST_F(Table, AnExactUniqueKeyBesideAnotherPrimaryKeyIsAcceptedAsItIs) {
  c_.execute("CREATE TABLE " + ref_.qualified() +
             " (id BIGINT AUTO_INCREMENT PRIMARY KEY, message JSON, timestamp DATETIME(6), event "
             "VARCHAR(255), messageId VARBINARY(1020) NOT NULL UNIQUE, type VARCHAR(255))");
  std::string advice = "left over";
  EXPECT_EQ(ensureTable(c_, Dialect::MySql, ref_, &advice), TableState::Existed);
  EXPECT_EQ(advice, "");
}

TEST_F(Table, AKeyThatFoldsCaseIsRefusedWithTheModifyThatFixesIt) {
  auto why = fail(
      "message JSON, timestamp DATETIME(6), event VARCHAR(255), messageId VARCHAR(255) "
      "COLLATE utf8mb4_unicode_nopad_ci NOT NULL UNIQUE, type VARCHAR(255)");
  EXPECT_NE(why.find("its collation utf8mb4_unicode_nopad_ci compares messageIds inexactly: "
                     "\"A\" as \"a\""),
            std::string::npos)
      << why;
  EXPECT_EQ(why.find("trailing"), std::string::npos) << why;
  EXPECT_NE(why.find("fix it (one table rebuild) with: ALTER TABLE " + ref_.qualified() +
                     " MODIFY `messageId` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_nopad_bin NOT NULL"),
            std::string::npos)
      << why;
}

TEST_F(Table, ACharKeyIsRefusedWhateverItsCollation) {
  auto why = fail(
      "message JSON, timestamp DATETIME(6), event VARCHAR(255), messageId CHAR(64) "
      "COLLATE utf8mb4_nopad_bin NOT NULL UNIQUE, type VARCHAR(255)");
  EXPECT_NE(why.find("messageId is CHAR, which drops trailing spaces"), std::string::npos) << why;
  EXPECT_NE(why.find("MODIFY `messageId` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE "
                     "utf8mb4_nopad_bin NOT NULL"),
            std::string::npos)
      << why;
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
             "COLLATE utf8mb4_nopad_bin PRIMARY KEY, TYPE VARCHAR(255))");
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
