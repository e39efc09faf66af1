// The SQL text of the data path, checked without a server (no SingleStore server is available
// to the tests, so its DDL is pinned here).
#include "singlestore/statements.h"

#include <gtest/gtest.h>

#include "kit/timestamp.h"

using namespace actions::singlestore;

namespace {
// A stand-in for the connection's escaper with the same backslash rules.
void escapeLikeServer(std::string_view v, std::string& out) {
  for (char c : v) {
    switch (c) {
      case '\'':
        out += "\\'";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\0':
        out += "\\0";
        break;
      case '\x1a':
        out += "\\Z";
        break;
      default:
        out += c;
    }
  }
}
}  // namespace

TEST(Ddl, SingleStoreColumnstoreTableWithAnExactBinaryKey) {
  const std::string expected =
      "CREATE TABLE IF NOT EXISTS `analytics`.`segment_raw_data` (\n"
      "  `message` JSON COLLATE utf8_bin NOT NULL,\n"
      "  `timestamp` DATETIME(6) NOT NULL,\n"
      "  `event` VARCHAR(255) NULL,\n"
      "  `messageId` VARBINARY(1020) NOT NULL,\n"
      "  `type` VARCHAR(255) NOT NULL,\n"
      "  SHARD KEY (`messageId`),\n"
      "  UNIQUE KEY (`messageId`) USING HASH,\n"
      "  SORT KEY (`timestamp`)\n"
      ") COLLATE utf8mb4_bin";
  auto ref = makeTableRef("analytics", "segment_raw_data");
  EXPECT_EQ(createTableSql(Dialect::SingleStore, ref), expected);
  // SingleStore answers VERSION() with a MySQL version; the dialect decides.
  EXPECT_EQ(createTableSql(serverTraits(Dialect::SingleStore, "8.0.32"), ref), expected);
}

TEST(Ddl, MariaDbIsClusteredOnAnInvisibleRowIdWithANoPadBinaryUniqueKey) {
  const std::string expected =
      "CREATE TABLE IF NOT EXISTS `analytics`.`segment_raw_data` (\n"
      "  `message` JSON NOT NULL,\n"
      "  `timestamp` DATETIME(6) NOT NULL,\n"
      "  `event` VARCHAR(255) NULL,\n"
      "  `messageId` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL,\n"
      "  `type` VARCHAR(255) NOT NULL,\n"
      "  `row_id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,\n"
      "  PRIMARY KEY (`row_id`),\n"
      "  UNIQUE KEY (`messageId`),\n"
      "  KEY (`timestamp`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  auto ref = makeTableRef("analytics", "segment_raw_data");
  EXPECT_EQ(createTableSql(Dialect::MySql, ref), expected);
  EXPECT_EQ(createTableSql(serverTraits(Dialect::MySql, "10.11.19-MariaDB-0+deb12u1"), ref),
            expected);
  EXPECT_EQ(createTableSql(serverTraits(Dialect::MySql, "5.5.5-10.3.39-MariaDB"), ref), expected);
}

TEST(Ddl, MySql8UsesUtf8mb4_0900_binAndAnInvisibleRowIdFrom8_0_23) {
  auto ref = makeTableRef("a", "t");
  const std::string body =
      "CREATE TABLE IF NOT EXISTS `a`.`t` (\n"
      "  `message` JSON NOT NULL,\n"
      "  `timestamp` DATETIME(6) NOT NULL,\n"
      "  `event` VARCHAR(255) NULL,\n"
      "  `messageId` VARCHAR(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_bin NOT NULL,\n"
      "  `type` VARCHAR(255) NOT NULL,\n";
  const std::string tail =
      "  KEY (`timestamp`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  EXPECT_EQ(createTableSql(serverTraits(Dialect::MySql, "8.0.36"), ref),
            body +
                "  `row_id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,\n"
                "  PRIMARY KEY (`row_id`),\n"
                "  UNIQUE KEY (`messageId`),\n" +
                tail);
  EXPECT_EQ(createTableSql(serverTraits(Dialect::MySql, "8.4.3"), ref),
            createTableSql(serverTraits(Dialect::MySql, "8.0.23"), ref));
  // 8.0.17 to 8.0.22: the exact collation, but no invisible column: clustered on messageId.
  EXPECT_EQ(createTableSql(serverTraits(Dialect::MySql, "8.0.22-log"), ref),
            body + "  PRIMARY KEY (`messageId`),\n" + tail);
}

TEST(Ddl, ServersWithoutANoPadBinaryCollationGetAVarbinaryKey) {
  auto ref = makeTableRef("a", "t");
  for (const char* version : {"5.7.44", "8.0.16", "10.1.48-MariaDB"}) {
    std::string sql = createTableSql(serverTraits(Dialect::MySql, version), ref);
    EXPECT_NE(sql.find("  `messageId` VARBINARY(1020) NOT NULL,\n"), std::string::npos)
        << version << "\n"
        << sql;
    EXPECT_NE(sql.find("  PRIMARY KEY (`messageId`),\n"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("INVISIBLE"), std::string::npos) << sql;
  }
}

TEST(Ddl, ServerTraitsReadTheVersionString) {
  auto m = serverTraits(Dialect::MySql, "5.5.5-10.11.19-MariaDB-0+deb12u1");
  EXPECT_TRUE(m.mariaDb);
  EXPECT_EQ(m.major, 10);
  EXPECT_EQ(m.minor, 11);
  EXPECT_EQ(m.patch, 19);
  EXPECT_TRUE(m.invisibleColumns());
  EXPECT_EQ(m.exactCollation(), "utf8mb4_nopad_bin");
  EXPECT_FALSE(serverTraits(Dialect::MySql, "10.3.2-MariaDB").invisibleColumns());
  auto my = serverTraits(Dialect::MySql, "8.0.22");
  EXPECT_FALSE(my.mariaDb);
  EXPECT_FALSE(my.invisibleColumns());
  EXPECT_EQ(my.exactCollation(), "utf8mb4_0900_bin");
  auto unreadable = serverTraits(Dialect::MySql, "");
  EXPECT_FALSE(unreadable.invisibleColumns());
  EXPECT_EQ(unreadable.exactCollation(), "");
}

TEST(Ddl, TheLayoutMigrationMakesTheKeyExactAndAddsTheInvisibleRowId) {
  EXPECT_EQ(migrateLayoutSql(serverTraits(Dialect::MySql, "10.11.19-MariaDB"),
                             makeTableRef("analytics", "segment_raw_data")),
            "ALTER TABLE `analytics`.`segment_raw_data` MODIFY `messageId` VARCHAR(255) "
            "CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin NOT NULL, DROP PRIMARY KEY, ADD "
            "COLUMN `row_id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE, ADD PRIMARY KEY "
            "(`row_id`), ADD UNIQUE KEY (`messageId`)");
}

TEST(Ddl, ABinaryKeyIsJudgedByItsTypeBeforeAnyCollation) {
  // SingleStore's information_schema may report a collation (or none) for the VARBINARY key this
  // destination creates: the type alone decides, so its own table is never refused.
  EXPECT_EQ(binaryKeyProblem("varbinary"), std::optional<std::string>(""));
  EXPECT_EQ(binaryKeyProblem("VARBINARY"), std::optional<std::string>(""));
  for (const char* blob : {"tinyblob", "blob", "mediumblob", "longblob"})
    EXPECT_EQ(binaryKeyProblem(blob), std::optional<std::string>("")) << blob;
  // BINARY pads short values with zero bytes: "a" and "a\0" would be one key.
  ASSERT_TRUE(binaryKeyProblem("binary"));
  EXPECT_NE(binaryKeyProblem("binary")->find("padded"), std::string::npos);
  // Text types are for the collation to decide.
  EXPECT_FALSE(binaryKeyProblem("varchar"));
  EXPECT_FALSE(binaryKeyProblem("char"));
}

TEST(Ddl, IdentifiersAreQuotedAndChecked) {
  EXPECT_EQ(makeTableRef("we`ird", "t`").qualified(), "`we``ird`.`t```");
  EXPECT_NE(createTableSql(Dialect::SingleStore, makeTableRef("d", "a`; DROP TABLE x; --"))
                .find("`d`.`a``; DROP TABLE x; --`"),
            std::string::npos);
  EXPECT_THROW(makeTableRef("", "t"), actions::db::Error);
  EXPECT_THROW(makeTableRef("d", std::string(65, 't')), actions::db::Error);
  try {
    makeTableRef("d", "trailing ");
    FAIL();
  } catch (const actions::db::Error& e) {
    EXPECT_EQ(e.errorClass(), actions::db::ErrorClass::Fatal);
    EXPECT_NE(std::string(e.what()).find("table name must not end with a space"),
              std::string::npos);
  }
}

TEST(Statements, MultiRowInsertEscapesEveryValue) {
  Row a;
  a.messageId = "id'1";
  a.type = "track";
  a.event = "It's \"here\"";
  a.timestampMicros = *actions::kit::parseTimestamp("2026-03-01T10:15:30.123456+02:00").micros;
  a.message = R"({"q":"a\"b"})";
  Row b;
  b.messageId = "id2";
  b.type = "identify";
  b.timestampMicros = *actions::kit::parseTimestamp("2026-03-02").micros;
  b.message = "{}";
  const Row* rows[] = {&a, &b};
  StatementBuilder builder(makeTableRef("db", "t"));
  std::string sql;
  builder.insert(rows, escapeLikeServer, sql);
  EXPECT_EQ(
      sql,
      "INSERT INTO `db`.`t` (`message`, `timestamp`, `event`, `messageId`, `type`) VALUES "
      R"(('{\"q\":\"a\\\"b\"}','2026-03-01 08:15:30.123456','It\'s \"here\"','id\'1','track'),)"
      "('{}','2026-03-02 00:00:00.000000',NULL,'id2','identify')");
  EXPECT_EQ(sql.size(), builder.insertHeaderSize() + (sql.size() - builder.insertHeaderSize()));
  // The size bound holds for each row.
  std::string one;
  const Row* first[] = {&a};
  builder.insert(first, escapeLikeServer, one);
  EXPECT_LE(one.size(), builder.insertHeaderSize() + StatementBuilder::insertSizeBound(a));
  // The quick bound is never below the exact one, even when every byte needs escaping.
  Row quoted;
  quoted.messageId = std::string(40, '\'');
  quoted.type = "\\\\";
  quoted.event = std::string(7, '"');
  quoted.message = std::string("\0\n\r\x1a'\"\\", 7);
  const Row* each[] = {&a, &b, &quoted};
  for (const Row* row : each)
    EXPECT_GE(StatementBuilder::insertSizeQuickBound(*row),
              StatementBuilder::insertSizeBound(*row));
  std::string all;
  const Row* worst[] = {&quoted};
  builder.insert(worst, escapeLikeServer, all);
  EXPECT_LE(all.size(),
            builder.insertHeaderSize() + StatementBuilder::insertSizeQuickBound(quoted));

  std::string find;
  builder.findStored(rows, escapeLikeServer, find);
  EXPECT_EQ(find, R"(SELECT `messageId` FROM `db`.`t` WHERE `messageId` IN ('id\'1','id2'))");
  std::string fetch;
  builder.fetchStored(rows, escapeLikeServer, fetch);
  EXPECT_EQ(fetch.rfind("SELECT `messageId`, `message`, `timestamp`, `event`, `type` "
                        "FROM `db`.`t` WHERE",
                        0),
            0u);
  // What a settled LOAD DATA removes again when the server stored a row altered.
  std::string remove;
  builder.deleteStored(rows, escapeLikeServer, remove);
  EXPECT_EQ(remove, R"(DELETE FROM `db`.`t` WHERE `messageId` IN ('id\'1','id2'))");
}

TEST(Statements, BulkStatementsPerDialect) {
  StatementBuilder builder(makeTableRef("db", "t"));
  const std::string columns = "(`message`, `timestamp`, `event`, `messageId`, `type`)";
  // SingleStore's documented bulk path skips stored keys; MariaDB / MySQL's IGNORE does the same.
  EXPECT_EQ(builder.loadData(Dialect::SingleStore),
            "LOAD DATA LOCAL INFILE 'rows.tsv' SKIP DUPLICATE KEY ERRORS INTO TABLE `db`.`t` "
            "CHARACTER SET utf8mb4 " +
                columns);
  EXPECT_EQ(builder.loadData(Dialect::MySql),
            "LOAD DATA LOCAL INFILE 'rows.tsv' IGNORE INTO TABLE `db`.`t` CHARACTER SET utf8mb4 " +
                columns);
  // The array path: one parameter per column, no IGNORE (strict mode refuses, never alters).
  EXPECT_EQ(builder.insertParameters(),
            "INSERT INTO `db`.`t` " + columns + " VALUES (?, ?, ?, ?, ?)");
}

TEST(Statements, SingleStoreLoadWithErrorsHandlePinnedStatementByStatement) {
  // What SingleStore gets, in order, for one bulk load in a transaction (bulk_store.h). The
  // clause order is the page "LOAD DATA"'s: ERRORS HANDLE last.
  StatementBuilder builder(makeTableRef("db", "t"));
  EXPECT_EQ(builder.loadData(Dialect::SingleStore, "actions-00ff-7"),
            "LOAD DATA LOCAL INFILE 'rows.tsv' SKIP DUPLICATE KEY ERRORS INTO TABLE `db`.`t` "
            "CHARACTER SET utf8mb4 (`message`, `timestamp`, `event`, `messageId`, `type`) "
            "ERRORS HANDLE 'actions-00ff-7'");
  // Only when the load stored fewer rows than it was sent: which lines it skipped, and why.
  EXPECT_EQ(StatementBuilder::loadErrors("actions-00ff-7"),
            "SELECT `LOAD_DATA_LINE_NUMBER`, `ERROR_CODE`, `ERROR_MESSAGE` FROM "
            "information_schema.`LOAD_DATA_ERRORS` WHERE `HANDLE` = 'actions-00ff-7' ORDER BY "
            "`LOAD_DATA_LINE_NUMBER`");
  // After COMMIT or ROLLBACK (it commits implicitly), when lines were logged.
  EXPECT_EQ(StatementBuilder::clearLoadErrors("actions-00ff-7"),
            "CLEAR LOAD ERRORS HANDLE 'actions-00ff-7'");
}

TEST(Statements, AStatementTakesTheRowsThatFitItsBudget) {
  std::vector<Row> rows(5);
  std::vector<const Row*> ptrs;
  for (auto& r : rows) {
    r.messageId = "id";
    r.type = "track";
    r.message = std::string(100, 'x');
    ptrs.push_back(&r);
  }
  // Far below the limit a row counts its quick bound (every byte escaped, nothing read); near
  // it, the exact one.
  const std::size_t quick = StatementBuilder::insertSizeQuickBound(rows[0]);
  const std::size_t exact = StatementBuilder::insertSizeBound(rows[0]);
  ASSERT_LT(exact, quick);
  EXPECT_EQ(rowsInOneStatement(ptrs, 50, 50 + 5 * quick, 100), 5u);
  EXPECT_EQ(rowsInOneStatement(ptrs, 50, 50 + 5 * quick, 3), 3u);  // maxRows
  EXPECT_EQ(rowsInOneStatement(ptrs, 50, 50 + 2 * quick + exact, 100), 3u);
  EXPECT_EQ(rowsInOneStatement(ptrs, 50, 50 + exact, 100), 1u);      // fits only exactly
  EXPECT_EQ(rowsInOneStatement(ptrs, 50, 50 + exact - 1, 100), 0u);  // not even one
}
