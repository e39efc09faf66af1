// The statements of migrate-table, pinned per dialect (SingleStore's cannot run here: its text is
// what docs/singlestore.md sources, construct by construct), and the chunk planning.
#include "singlestore/migration_sql.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace actions::singlestore;

namespace {

MigrationStatements statements(Dialect dialect, SourceLayout layout) {
  bool five = layout == SourceLayout::FiveColumns;
  return MigrationStatements(
      {dialect, layout, makeTableRef("analytics", five ? "segment_raw_data" : "segment_data"),
       makeTableRef("analytics", "events"), dialect == Dialect::MySql ? "utf8mb4_nopad_bin" : ""});
}

const ChunkRange kDay{std::string("2026-01-01 00:00:00"), std::string("2026-01-02 00:00:00")};

}  // namespace

TEST(MigrationSql, SingleStoreCopiesAChunkOfSegmentData) {
  EXPECT_EQ(
      statements(Dialect::SingleStore, SourceLayout::SegmentElevenColumns).copyChunk(kDay),
      R"sql(INSERT INTO `analytics`.`events` (`message`, `timestamp`, `event`, `messageId`, `type`)
SELECT r.`message`, r.`timestamp`, r.`event`, r.`messageId`, r.`type` FROM (
  SELECT c.`message`, c.`timestamp`, c.`event`, c.`messageId`, c.`type`,
    ROW_NUMBER() OVER (PARTITION BY c.`id` ORDER BY c.`timestamp`, SHA1(c.`message`)) AS `copy`
  FROM (
    SELECT CONCAT('{', CONCAT_WS(',',
      CONCAT('"messageId":', TO_JSON(s.`messageId`)),
      CONCAT('"timestamp":"', DATE_FORMAT(s.`timestamp`, '%Y-%m-%dT%H:%i:%s.'), IF(DATE_FORMAT(s.`timestamp`, '%f') LIKE '%000', LEFT(DATE_FORMAT(s.`timestamp`, '%f'), 3), DATE_FORMAT(s.`timestamp`, '%f')), 'Z"'),
      CONCAT('"type":', TO_JSON(s.`type`)),
      IF(s.`event` IS NULL, NULL, CONCAT('"event":', TO_JSON(s.`event`))),
      IF(s.`name` IS NULL, NULL, CONCAT('"name":', TO_JSON(s.`name`))),
      IF(s.`properties` IS NULL, NULL, CONCAT('"properties":', s.`properties`)),
      IF(s.`userId` IS NULL, NULL, CONCAT('"userId":', TO_JSON(s.`userId`))),
      IF(s.`anonymousId` IS NULL, NULL, CONCAT('"anonymousId":', TO_JSON(s.`anonymousId`))),
      IF(s.`groupId` IS NULL, NULL, CONCAT('"groupId":', TO_JSON(s.`groupId`))),
      IF(s.`traits` IS NULL OR JSON_EXTRACT_JSON(s.`context`, 'traits') IS NOT NULL, NULL, CONCAT('"traits":', s.`traits`)),
      IF(s.`context` IS NULL, NULL, CONCAT('"context":', s.`context`))), '}') AS `message`,
      s.`timestamp`, s.`event`, s.`messageId`, s.`type`, (s.`messageId` :> LONGBLOB) AS `id`
    FROM `analytics`.`segment_data` AS s
    WHERE s.`timestamp` >= '2026-01-01 00:00:00' AND s.`timestamp` < '2026-01-02 00:00:00' AND NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL))
  ) AS c
  LEFT JOIN `analytics`.`events` AS d ON d.`messageId` = c.`id`
  WHERE d.`messageId` IS NULL
) AS r
WHERE r.`copy` = 1)sql");
}

TEST(MigrationSql, SingleStoreCopiesAChunkOfFiveColumns) {
  EXPECT_EQ(
      statements(Dialect::SingleStore, SourceLayout::FiveColumns).copyChunk(kDay),
      R"sql(INSERT INTO `analytics`.`events` (`message`, `timestamp`, `event`, `messageId`, `type`)
SELECT r.`message`, r.`timestamp`, r.`event`, r.`messageId`, r.`type` FROM (
  SELECT c.`message`, c.`timestamp`, c.`event`, c.`messageId`, c.`type`,
    ROW_NUMBER() OVER (PARTITION BY c.`id` ORDER BY c.`timestamp`, c.`receivedAt` IS NULL, c.`receivedAt`, SHA1(c.`message`)) AS `copy`
  FROM (
    SELECT s.`message` AS `message`,
      s.`timestamp`, s.`event`, s.`messageId`, s.`type`, (s.`messageId` :> LONGBLOB) AS `id`, JSON_EXTRACT_STRING(s.`message`, 'receivedAt') AS `receivedAt`
    FROM `analytics`.`segment_raw_data` AS s
    WHERE s.`timestamp` >= '2026-01-01 00:00:00' AND s.`timestamp` < '2026-01-02 00:00:00' AND NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) OR (s.`message` IS NULL))
  ) AS c
  LEFT JOIN `analytics`.`events` AS d ON d.`messageId` = c.`id`
  WHERE d.`messageId` IS NULL
) AS r
WHERE r.`copy` = 1)sql");
}

TEST(MigrationSql, MariaDbCopiesAChunkOfSegmentData) {
  EXPECT_EQ(
      statements(Dialect::MySql, SourceLayout::SegmentElevenColumns).copyChunk(kDay),
      R"sql(INSERT INTO `analytics`.`events` (`message`, `timestamp`, `event`, `messageId`, `type`)
SELECT r.`message`, r.`timestamp`, r.`event`, r.`messageId`, r.`type` FROM (
  SELECT c.`message`, c.`timestamp`, c.`event`, c.`messageId`, c.`type`,
    ROW_NUMBER() OVER (PARTITION BY c.`id` ORDER BY c.`timestamp`, SHA1(c.`message`)) AS `copy`
  FROM (
    SELECT CONCAT('{', CONCAT_WS(',',
      CONCAT('"messageId":', JSON_QUOTE(s.`messageId`)),
      CONCAT('"timestamp":"', DATE_FORMAT(s.`timestamp`, '%Y-%m-%dT%H:%i:%s.'), IF(DATE_FORMAT(s.`timestamp`, '%f') LIKE '%000', LEFT(DATE_FORMAT(s.`timestamp`, '%f'), 3), DATE_FORMAT(s.`timestamp`, '%f')), 'Z"'),
      CONCAT('"type":', JSON_QUOTE(s.`type`)),
      IF(s.`event` IS NULL, NULL, CONCAT('"event":', JSON_QUOTE(s.`event`))),
      IF(s.`name` IS NULL, NULL, CONCAT('"name":', JSON_QUOTE(s.`name`))),
      IF(s.`properties` IS NULL, NULL, CONCAT('"properties":', s.`properties`)),
      IF(s.`userId` IS NULL, NULL, CONCAT('"userId":', JSON_QUOTE(s.`userId`))),
      IF(s.`anonymousId` IS NULL, NULL, CONCAT('"anonymousId":', JSON_QUOTE(s.`anonymousId`))),
      IF(s.`groupId` IS NULL, NULL, CONCAT('"groupId":', JSON_QUOTE(s.`groupId`))),
      IF(s.`traits` IS NULL OR COALESCE(JSON_TYPE(JSON_EXTRACT(s.`context`, '$.traits')), 'NULL') <> 'NULL', NULL, CONCAT('"traits":', s.`traits`)),
      IF(s.`context` IS NULL, NULL, CONCAT('"context":', s.`context`))), '}') AS `message`,
      s.`timestamp`, s.`event`, s.`messageId`, s.`type`, CAST(s.`messageId` AS BINARY) AS `id`
    FROM `analytics`.`segment_data` AS s
    WHERE s.`timestamp` >= '2026-01-01 00:00:00' AND s.`timestamp` < '2026-01-02 00:00:00' AND NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL))
  ) AS c
  LEFT JOIN `analytics`.`events` AS d ON d.`messageId` = CONVERT(c.`messageId` USING utf8mb4) COLLATE utf8mb4_nopad_bin
  WHERE d.`messageId` IS NULL
) AS r
WHERE r.`copy` = 1)sql");
}

TEST(MigrationSql, MariaDbCopiesAChunkOfFiveColumns) {
  EXPECT_EQ(
      statements(Dialect::MySql, SourceLayout::FiveColumns).copyChunk(kDay),
      R"sql(INSERT INTO `analytics`.`events` (`message`, `timestamp`, `event`, `messageId`, `type`)
SELECT r.`message`, r.`timestamp`, r.`event`, r.`messageId`, r.`type` FROM (
  SELECT c.`message`, c.`timestamp`, c.`event`, c.`messageId`, c.`type`,
    ROW_NUMBER() OVER (PARTITION BY c.`id` ORDER BY c.`timestamp`, c.`receivedAt` IS NULL, c.`receivedAt`, SHA1(c.`message`)) AS `copy`
  FROM (
    SELECT s.`message` AS `message`,
      s.`timestamp`, s.`event`, s.`messageId`, s.`type`, CAST(s.`messageId` AS BINARY) AS `id`, JSON_VALUE(s.`message`, '$.receivedAt') AS `receivedAt`
    FROM `analytics`.`segment_raw_data` AS s
    WHERE s.`timestamp` >= '2026-01-01 00:00:00' AND s.`timestamp` < '2026-01-02 00:00:00' AND NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) OR (s.`message` IS NULL))
  ) AS c
  LEFT JOIN `analytics`.`events` AS d ON d.`messageId` = CONVERT(c.`messageId` USING utf8mb4) COLLATE utf8mb4_nopad_bin
  WHERE d.`messageId` IS NULL
) AS r
WHERE r.`copy` = 1)sql");
}

TEST(MigrationSql, SingleStoreSurveysCountsAndLooksUpStoredMessageIds) {
  auto s = statements(Dialect::SingleStore, SourceLayout::SegmentElevenColumns);
  EXPECT_EQ(s.survey(), R"sql(SELECT COUNT(*), MIN(s.`timestamp`), MAX(s.`timestamp`),
  SUM(CASE WHEN (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`timestamp` IS NULL) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (1 = 0) THEN 1 ELSE 0 END)
FROM `analytics`.`segment_data` AS s)sql");
  EXPECT_EQ(
      s.histogram(HistogramUnit::Hour),
      R"sql(SELECT DATE_FORMAT(s.`timestamp`, '%Y-%m-%d %H') AS `bucket`, COUNT(*) FROM `analytics`.`segment_data` AS s WHERE s.`timestamp` IS NOT NULL GROUP BY `bucket` ORDER BY `bucket`)sql");
  EXPECT_EQ(
      s.unstorableExamples(5),
      R"sql(SELECT LEFT(s.`messageId`, 80), CASE WHEN (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) THEN 'messageId missing, empty or over 255 characters' WHEN (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) THEN 'type missing, empty or over 255 characters' WHEN (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) THEN 'event over 255 characters' WHEN (s.`timestamp` IS NULL) THEN 'timestamp missing' END
FROM `analytics`.`segment_data` AS s WHERE (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) LIMIT 5)sql");
  EXPECT_EQ(
      s.distinctMessageIds(),
      R"sql(SELECT COUNT(DISTINCT (s.`messageId` :> LONGBLOB)) FROM `analytics`.`segment_data` AS s WHERE NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL)))sql");
  EXPECT_EQ(
      s.alreadyStored(),
      R"sql(SELECT COUNT(DISTINCT c.`id`) FROM (SELECT s.`messageId`, (s.`messageId` :> LONGBLOB) AS `id` FROM `analytics`.`segment_data` AS s WHERE NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL))) AS c
  JOIN `analytics`.`events` AS d ON d.`messageId` = c.`id`)sql");
}

TEST(MigrationSql, MariaDbLooksUpStoredMessageIdsInTheDestinationKeysCollation) {
  auto s = statements(Dialect::MySql, SourceLayout::FiveColumns);
  EXPECT_EQ(
      s.alreadyStored(),
      R"sql(SELECT COUNT(DISTINCT c.`id`) FROM (SELECT s.`messageId`, CAST(s.`messageId` AS BINARY) AS `id` FROM `analytics`.`segment_raw_data` AS s WHERE NOT ((s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) OR (s.`message` IS NULL))) AS c
  JOIN `analytics`.`events` AS d ON d.`messageId` = CONVERT(c.`messageId` USING utf8mb4) COLLATE utf8mb4_nopad_bin)sql");
  EXPECT_EQ(s.survey(), R"sql(SELECT COUNT(*), MIN(s.`timestamp`), MAX(s.`timestamp`),
  SUM(CASE WHEN (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) OR (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) OR (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) OR (s.`timestamp` IS NULL) OR (s.`message` IS NULL) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > 255) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`timestamp` IS NULL) THEN 1 ELSE 0 END),
  SUM(CASE WHEN (s.`message` IS NULL) THEN 1 ELSE 0 END)
FROM `analytics`.`segment_raw_data` AS s)sql");
}

TEST(MigrationSql, AnUnboundedRangeHasNoTimestampCondition) {
  std::string sql = statements(Dialect::MySql, SourceLayout::FiveColumns).copyChunk({});
  EXPECT_EQ(sql.find("s.`timestamp` >="), std::string::npos) << sql;
  EXPECT_EQ(sql.find("s.`timestamp` <"), std::string::npos) << sql;
  EXPECT_NE(sql.find("WHERE NOT ((s.`messageId` IS NULL"), std::string::npos) << sql;
}

TEST(MigrationSql, ABinaryDestinationKeyIsComparedAsBytes) {
  // An old MySQL-family server's VARBINARY messageId, or a collation name that is not plain.
  for (std::string collation : {"", "utf8mb4_bin; DROP TABLE x"}) {
    MigrationStatements s({Dialect::MySql, SourceLayout::FiveColumns,
                           makeTableRef("analytics", "old"), makeTableRef("analytics", "events"),
                           collation});
    std::string sql = s.copyChunk({});
    EXPECT_NE(sql.find("ON d.`messageId` = c.`id`\n"), std::string::npos) << sql;
    EXPECT_EQ(sql.find("DROP"), std::string::npos) << sql;
  }
}

TEST(MigrationChunks, BoundariesFallOnBucketStartsAndNeverSplitABucket) {
  auto chunks = planChunks({{"2026-01-01 00", 40},
                            {"2026-01-01 01", 40},
                            {"2026-01-01 02", 40},
                            {"2026-01-01 05", 250},
                            {"2026-01-02 00", 10}},
                           HistogramUnit::Hour, 100);
  ASSERT_EQ(chunks.size(), 4u);
  EXPECT_FALSE(chunks[0].from);
  EXPECT_EQ(chunks[0].to, "2026-01-01 02:00:00");  // 80 rows; a third bucket would pass 100
  EXPECT_EQ(chunks[1].from, "2026-01-01 02:00:00");
  EXPECT_EQ(chunks[1].to, "2026-01-01 05:00:00");
  EXPECT_EQ(chunks[2].from, "2026-01-01 05:00:00");  // 250 rows: a bucket of its own
  EXPECT_EQ(chunks[2].to, "2026-01-02 00:00:00");
  EXPECT_EQ(chunks[3].from, "2026-01-02 00:00:00");
  EXPECT_FALSE(chunks[3].to);
}

TEST(MigrationChunks, OneChunkWhenEverythingFits) {
  auto chunks = planChunks({{"2026-01-01", 10}, {"2026-01-05", 10}}, HistogramUnit::Day, 100);
  ASSERT_EQ(chunks.size(), 1u);
  EXPECT_FALSE(chunks[0].from);
  EXPECT_FALSE(chunks[0].to);
  EXPECT_EQ(planChunks({}, HistogramUnit::Second, 100).size(), 1u);
}

TEST(MigrationChunks, EachUnitCompletesItsBucketToADateAndTime) {
  auto secondStart = [](HistogramUnit unit, const char* a, const char* b) {
    return *planChunks({{a, 5}, {b, 5}}, unit, 5)[1].from;
  };
  EXPECT_EQ(secondStart(HistogramUnit::Day, "2026-03-04", "2026-03-05"), "2026-03-05 00:00:00");
  EXPECT_EQ(secondStart(HistogramUnit::Hour, "2026-03-04 07", "2026-03-04 08"),
            "2026-03-04 08:00:00");
  EXPECT_EQ(secondStart(HistogramUnit::Minute, "2026-03-04 07:08", "2026-03-04 07:09"),
            "2026-03-04 07:09:00");
  EXPECT_EQ(secondStart(HistogramUnit::Second, "2026-03-04 07:08:09", "2026-03-04 07:08:10"),
            "2026-03-04 07:08:10");
}

TEST(MigrationChunks, ABucketThatIsNotADateIsRefused) {
  // The boundaries go into SQL: only the shape DATE_FORMAT prints is taken.
  EXPECT_THROW(planChunks({{"2026-01-01' OR '1", 5}}, HistogramUnit::Day, 5),
               std::invalid_argument);
  EXPECT_THROW(planChunks({{"2026-01-01 00", 5}}, HistogramUnit::Day, 5), std::invalid_argument);
  EXPECT_THROW(planChunks({{"2026-01-01 0a:00:00", 5}}, HistogramUnit::Second, 5),
               std::invalid_argument);
}

TEST(MigrationChunks, TheHistogramUnitGivesSixteenBucketsPerChunk) {
  EXPECT_EQ(histogramUnit(365 * 86400, 10), HistogramUnit::Day);
  EXPECT_EQ(histogramUnit(11 * 86400, 10), HistogramUnit::Hour);
  EXPECT_EQ(histogramUnit(3 * 3600, 10), HistogramUnit::Minute);
  EXPECT_EQ(histogramUnit(60, 10), HistogramUnit::Second);
  EXPECT_EQ(histogramUnit(-5, 10), HistogramUnit::Second);
}

TEST(MigrationLayout, RecognisesBothOfSegmentsLayoutsWhateverTheCase) {
  EXPECT_EQ(recognizeLayout({"message", "timestamp", "event", "messageId", "type"}),
            SourceLayout::FiveColumns);
  // An earlier version's MariaDB table has its invisible row_id too.
  EXPECT_EQ(recognizeLayout({"MESSAGE", "Timestamp", "event", "MESSAGEID", "type", "row_id"}),
            SourceLayout::FiveColumns);
  EXPECT_EQ(recognizeLayout({"messageId", "timestamp", "type", "event", "name", "properties",
                             "userId", "anonymousId", "groupId", "traits", "context"}),
            SourceLayout::SegmentElevenColumns);
  std::string why;
  EXPECT_FALSE(recognizeLayout({"messageId", "timestamp", "type", "payload"}, &why));
  EXPECT_EQ(why,
            "it has neither the five columns of segment_raw_data (missing message, event) nor "
            "the eleven of Segment's segment_data (missing event, name, properties, userId, "
            "anonymousId, groupId, traits, context)");
}

TEST(MigrationLayout, TheAdviceNamesTheCommandAsAShellWouldTakeIt) {
  EXPECT_EQ(migrateTableAdvice(makeTableRef("analytics", "segment_data")),
            "set tableName to a new table and copy this one into it, one row per messageId, "
            "with: actions-singlestore migrate-table --settings <settings file> --from "
            "segment_data (docs/migration.md)");
  EXPECT_NE(
      migrateTableAdvice(makeTableRef("analytics", "it's data")).find("--from 'it'\\''s data'"),
      std::string::npos);
}
