// migrate-table against the fixture's MariaDB: tables in both of Segment's layouts, with
// duplicate messageIds and 100,000 rows, become the destination's table with one row per
// messageId, the earliest copy kept; rows of the eleven-column layout read back as the `message`
// send stores for the same event; a run killed halfway and run again gives the same table.
#include "singlestore/migration.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <functional>
#include <thread>

#include "db/error.h"
#include "json/json.h"
#include "support/child_cli.h"
#include "writer_support.h"

using namespace actions;
using namespace actions::singlestore;

namespace {

using Clock = std::chrono::steady_clock;

// Segment's tables as its destination makes them (no keys), in MariaDB's types: TEXT where a
// value may be longer than this destination's VARCHAR(255) columns hold.
const char* kFiveColumns =
    "(message JSON, timestamp DATETIME(6), event TEXT, messageId TEXT, type TEXT)";
const char* kElevenColumns =
    "(messageId TEXT NOT NULL, timestamp DATETIME(6) NOT NULL, type TEXT NOT NULL, event TEXT, "
    "name TEXT, properties JSON, userId TEXT, anonymousId TEXT, groupId TEXT, traits JSON, "
    "context JSON)";

class MigrateTable : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto& t : tables_) c_.execute("DROP TABLE IF EXISTS " + ref(t).qualified());
  }
  // A table name of this test's own, dropped at the end.
  std::string table(const std::string& stem) {
    tables_.push_back(sstest::uniqueTable(stem));
    return tables_.back();
  }
  TableRef ref(const std::string& name) { return makeTableRef(settings_.dbName, name); }
  std::string lit(std::string_view value) {
    std::string out = "'";
    c_.appendEscaped(value, out);
    return out + "'";
  }
  std::string litOrNull(const std::optional<std::string>& value) {
    return value ? lit(*value) : "NULL";
  }
  // Inserts rows (each a parenthesised VALUES tuple) in statements of 2,000.
  void insertRows(const std::string& name, const std::vector<std::string>& rows) {
    for (std::size_t i = 0; i < rows.size(); i += 2000) {
      std::string sql = "INSERT INTO " + ref(name).qualified() + " VALUES ";
      for (std::size_t j = i; j < std::min(rows.size(), i + 2000); ++j)
        sql += (j == i ? "" : ",") + rows[j];
      c_.execute(sql);
    }
  }
  std::string scalar(const std::string& sql) {
    auto rows = c_.query(sql);
    return rows.empty() || rows[0].empty() || !rows[0][0] ? "NULL" : *rows[0][0];
  }
  MigrationResult migrate(const std::string& from, const std::string& to,
                          std::uint64_t chunkRows = 20000, bool dryRun = false) {
    Settings s = settings_;
    s.tableName = to;
    MigrationOptions o;
    o.fromTable = from;
    o.chunkRows = chunkRows;
    o.dryRun = dryRun;
    return migrateTable(s, o);
  }
  // A settings file for the CLI with `tableName`.
  std::string settingsFile(const std::string& tableName) {
    json::Document doc;
    EXPECT_FALSE(json::parse(testenv::readText(testenv::settingsPath()), doc));
    doc.AddMember("tableName", json::Value(tableName.c_str(), doc.GetAllocator()),
                  doc.GetAllocator());
    std::string path = dir_.file(tableName + ".json");
    testenv::writeText(path, json::stringify(doc));
    return path;
  }

  Settings settings_ = sstest::fixtureSettings();
  db::Connection c_{settings_.connectOptions()};
  std::vector<std::string> tables_;
  testenv::TempDir dir_;
};

// 'YYYY-MM-DD HH:MM:SS' of 2026-01-05 00:00:00 + `seconds` (which may be negative, to four days
// before).
std::string at(long seconds) {
  long total = seconds + 4 * 86400, day = total / 86400, rest = total % 86400;
  char buf[64];
  std::snprintf(buf, sizeof buf, "2026-01-%02ld %02ld:%02ld:%02ld", 1 + day, rest / 3600,
                rest / 60 % 60, rest % 60);
  return buf;
}

// The same as JavaScript's toISOString writes it.
std::string iso(long seconds) {
  std::string t = at(seconds);
  t[10] = 'T';
  return t + ".000Z";
}

// The copies of one messageId a source holds, each marked "keep" (the earliest, which the
// destination must hold) or "drop".
struct Copy {
  std::string messageId;
  long second;                     // timestamp
  std::optional<long> receivedAt;  // seconds, for the five-column layout's message
  bool keep;
  std::optional<std::string> event = std::string("Order Completed");
};

// 100,000 source rows: 90,000 messageIds; 8,000 of them with a second copy — later in time, at
// the same time but received later (five columns only; the eleven-column layout has no
// receivedAt, so there it is earlier in time), or earlier in time (then the first copy is the
// one dropped); 2,000 exact copies of a row (Segment's retries); and rows that differ only in
// case or a trailing space, which are different events.
std::vector<Copy> copies(bool fiveColumns) {
  std::vector<Copy> out;
  for (long i = 0; i < 90000; ++i) {
    std::string id = "m-" + std::to_string(i);
    long t = i, r = i + 2;
    if (i < 8000) {
      switch (i % 3) {
        case 0:
          out.push_back({id, t, r, true});
          out.push_back({id, t + 3600, r + 3600, false});
          break;
        case 1:
          if (fiveColumns) {
            out.push_back({id, t, r, true});
            out.push_back({id, t, r + 5, false});
          } else {
            out.push_back({id, t + 1, r, false});
            out.push_back({id, t, r, true});
          }
          break;
        default:
          out.push_back({id, t, r, false});
          out.push_back({id, t - 3600, r - 3600, true});
      }
    } else if (i < 10000) {
      out.push_back({id, t, r, true});
      out.push_back({id, t, r, true});  // identical: either is the earliest
    } else {
      out.push_back({id, t, r, true});
    }
  }
  // Replace four single rows with ids that only case or a trailing space tell apart.
  const char* tricky[] = {"Case-1", "case-1", "pad-1", "pad-1 "};
  for (int k = 0; k < 4; ++k) out[out.size() - 10 - k].messageId = tricky[k];
  return out;
}

// Rows the destination cannot hold, in either layout: reported, never stored.
const std::string kLongId(300, 'x');

}  // namespace

TEST_F(MigrateTable, SegmentRawDataWithDuplicatesBecomesOneRowPerMessageIdTheEarliestKept) {
  std::string source = table("segment_raw_data"), dest = table("events");
  c_.execute("CREATE TABLE " + ref(source).qualified() + " " + kFiveColumns);
  std::vector<std::string> rows;
  for (auto& copy : copies(true)) {
    std::string message =
        "{\"messageId\":" +
        json::stringify(
            json::Value(copy.messageId.c_str(), static_cast<unsigned>(copy.messageId.size()))) +
        ",\"copy\":\"" + (copy.keep ? "keep" : "drop") + "\",\"receivedAt\":\"" +
        at(*copy.receivedAt) + "\"}";
    rows.push_back("(" + lit(message) + "," + lit(at(copy.second)) + "," + litOrNull(copy.event) +
                   "," + lit(copy.messageId) + ",'track')");
  }
  rows.resize(99997);
  rows.push_back("('{}','2026-01-01','e'," + lit(kLongId) + ",'track')");
  rows.push_back("('{}','2026-01-01','e','','track')");
  rows.push_back("('{}','2026-01-01'," + lit(kLongId) + ",'long-event','track')");
  insertRows(source, rows);
  ASSERT_EQ(scalar("SELECT COUNT(*) FROM " + ref(source).qualified()), "100000");
  std::string expected =
      scalar("SELECT COUNT(DISTINCT CAST(messageId AS BINARY)) FROM " + ref(source).qualified() +
             " WHERE CHAR_LENGTH(messageId) BETWEEN 1 AND 255 AND "
             "CHAR_LENGTH(event) <= 255");

  MigrationResult r = migrate(source, dest);

  EXPECT_TRUE(r.destinationCreated);
  EXPECT_EQ(r.layout, SourceLayout::FiveColumns);
  EXPECT_EQ(r.sourceRows, 100000u);
  EXPECT_EQ(r.unstorableRows, 3u);
  EXPECT_GE(r.chunks.size(), 4u);  // about 20,000 rows each
  EXPECT_EQ(std::to_string(r.inserted), expected);
  std::string d = ref(dest).qualified();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d), expected);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d + " WHERE JSON_VALUE(message, '$.copy') = 'drop'"),
            "0");
  EXPECT_EQ(scalar("SELECT COUNT(DISTINCT messageId) FROM " + d), expected);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d +
                   " WHERE messageId IN ('Case-1', 'case-1', 'pad-1', 'pad-1 ')"),
            "4");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d + " WHERE event = 'long-event' OR messageId = ''"),
            "0");
  // The row read back is the earliest copy, whole: its own timestamp with it.
  EXPECT_EQ(scalar("SELECT timestamp FROM " + d + " WHERE messageId = 'm-2'"),
            at(2 - 3600) + ".000000");
  EXPECT_EQ(
      scalar("SELECT JSON_VALUE(message, '$.receivedAt') FROM " + d + " WHERE messageId = 'm-1'"),
      at(3));
}

TEST_F(MigrateTable, SegmentDataWithDuplicatesBecomesOneRowPerMessageIdTheEarliestKept) {
  std::string source = table("segment_data"), dest = table("events");
  c_.execute("CREATE TABLE " + ref(source).qualified() + " " + kElevenColumns);
  std::vector<std::string> rows;
  for (auto& copy : copies(false))
    rows.push_back("(" + lit(copy.messageId) + "," + lit(at(copy.second)) + ",'track'," +
                   litOrNull(copy.event) + ",NULL,'{\"copy\":\"" + (copy.keep ? "keep" : "drop") +
                   "\",\"n\":1}','user-1',NULL,NULL,NULL,'{\"ip\":\"10.0.0.1\"}')");
  rows.resize(99997);
  rows.push_back("(" + lit(kLongId) +
                 ",'2026-01-01','track','e',NULL,NULL,NULL,NULL,NULL,NULL,NULL)");
  rows.push_back("('','2026-01-01','track','e',NULL,NULL,NULL,NULL,NULL,NULL,NULL)");
  rows.push_back("('long-event','2026-01-01','track'," + lit(kLongId) +
                 ",NULL,NULL,NULL,NULL,NULL,NULL,NULL)");
  insertRows(source, rows);
  ASSERT_EQ(scalar("SELECT COUNT(*) FROM " + ref(source).qualified()), "100000");
  std::string expected =
      scalar("SELECT COUNT(DISTINCT CAST(messageId AS BINARY)) FROM " + ref(source).qualified() +
             " WHERE CHAR_LENGTH(messageId) BETWEEN 1 AND 255 AND "
             "CHAR_LENGTH(event) <= 255");

  MigrationResult r = migrate(source, dest);

  EXPECT_EQ(r.layout, SourceLayout::SegmentElevenColumns);
  EXPECT_EQ(r.sourceRows, 100000u);
  EXPECT_EQ(r.unstorableRows, 3u);
  ASSERT_EQ(r.unstorableByReason.size(), 2u);
  EXPECT_EQ(r.unstorableByReason[0],
            std::make_pair(std::string("messageId missing, empty or over 255 characters"),
                           std::uint64_t(2)));
  EXPECT_EQ(r.unstorableByReason[1],
            std::make_pair(std::string("event over 255 characters"), std::uint64_t(1)));
  EXPECT_EQ(std::to_string(r.inserted), expected);
  std::string d = ref(dest).qualified();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d), expected);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d +
                   " WHERE JSON_VALUE(message, '$.properties.copy') = 'drop'"),
            "0");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + d +
                   " WHERE messageId IN ('Case-1', 'case-1', 'pad-1', 'pad-1 ')"),
            "4");
  EXPECT_EQ(scalar("SELECT message FROM " + d + " WHERE messageId = 'm-10000'"),
            "{\"messageId\":\"m-10000\",\"timestamp\":\"" + iso(10000) +
                "\",\"type\":\"track\",\"event\":\"Order Completed\",\"properties\":"
                "{\"copy\":\"keep\",\"n\":1},\"userId\":\"user-1\",\"context\":{\"ip\":"
                "\"10.0.0.1\"}}");
}

// The events of every type as Segment's libraries send them, with only the fields Segment's
// eleven-column table keeps (what it drops is lost: docs/migration.md).
const char* kEvents[] = {
    R"({"type":"track","event":"Order Completed","messageId":"cmp-track","timestamp":"2026-03-01T10:00:00.123Z","userId":"u-1","anonymousId":"a-1","properties":{"revenue":19.99,"currency":"EUR","items":[{"sku":"A\"1","qty":2}],"note":null,"text":"é 😀 \\ \n tab\t"},"context":{"ip":"10.0.0.1","library":{"name":"analytics.js","version":"2.11.1"},"page":{"url":"https://example.com/?q=1&r=2"}}})",
    R"({"type":"identify","messageId":"cmp-identify","timestamp":"2026-03-01T10:00:01.000Z","userId":"u-2","traits":{"email":"a@example.com","plan":"pro","logins":3,"vip":true}})",
    R"({"type":"page","name":"Checkout","messageId":"cmp-page","timestamp":"2026-03-01T10:00:02.123456Z","anonymousId":"a-3","properties":{"path":"/checkout","title":"Pay"}})",
    R"({"type":"screen","name":"Home","messageId":"cmp-screen","timestamp":"2026-03-01T10:00:03.500Z","userId":"u-4","context":{"app":{"name":"Shop","version":"1.2"}}})",
    R"({"type":"group","groupId":"g-5","messageId":"cmp-group","timestamp":"2026-03-01T10:00:04.000Z","userId":"u-5","traits":{"name":"Acme","employees":120}})",
    R"({"type":"alias","messageId":"cmp-alias","timestamp":"2026-03-01T10:00:05.000Z","userId":"u-6"})",
    R"({"type":"track","event":"Signed In","messageId":"cmp-context-traits","timestamp":"2026-03-01T10:00:06.000Z","userId":"u-7","context":{"traits":{"email":"b@example.com"},"ip":"10.0.0.7"}})",
};

namespace {

// One row of Segment's eleven-column table for `event`, as its Send Data action fills it.
std::string segmentRow(const json::Value& e,
                       const std::function<std::string(std::string_view)>& lit) {
  auto text = [&](const char* key) -> std::string {
    auto it = e.FindMember(key);
    if (it == e.MemberEnd() || it->value.IsNull()) return "NULL";
    return lit(it->value.IsString() ? std::string(it->value.GetString())
                                    : json::stringify(it->value));
  };
  const json::Value* traits = nullptr;
  if (auto ctx = e.FindMember("context"); ctx != e.MemberEnd() && ctx->value.IsObject())
    if (auto t = ctx->value.FindMember("traits"); t != ctx->value.MemberEnd() && !t->value.IsNull())
      traits = &t->value;
  if (!traits)
    if (auto t = e.FindMember("traits"); t != e.MemberEnd()) traits = &t->value;
  // Segment's action: the ISO timestamp with "T" and "Z" taken out.
  std::string ts = e["timestamp"].GetString();
  ts[10] = ' ';
  ts.pop_back();
  return "(" + text("messageId") + "," + lit(ts) + "," + text("type") + "," + text("event") + "," +
         text("name") + "," + text("properties") + "," + text("userId") + "," +
         text("anonymousId") + "," + text("groupId") + "," +
         (traits ? lit(json::stringify(*traits)) : std::string("NULL")) + "," + text("context") +
         ")";
}

}  // namespace

TEST_F(MigrateTable, RowsOfTheElevenColumnLayoutReadLikeTheRowsSendStoresForTheSameEvents) {
  std::string segment = table("segment_data"), sent = table("sent"), migrated = table("migrated");
  c_.execute("CREATE TABLE " + ref(segment).qualified() + " " + kElevenColumns);
  std::string ndjson;
  std::vector<std::string> rows;
  for (const char* text : kEvents) {
    json::Document e;
    ASSERT_FALSE(json::parse(text, e)) << text;
    rows.push_back(segmentRow(e, [this](std::string_view v) { return lit(v); }));
    ndjson += std::string(text) + "\n";
  }
  // An identify with traits and context.traits: the table kept context.traits only.
  const char* both =
      R"({"type":"identify","messageId":"cmp-both-traits","timestamp":"2026-03-01T10:00:07.000Z","userId":"u-8","traits":{"plan":"free"},"context":{"traits":{"plan":"pro"}}})";
  {
    json::Document e;
    ASSERT_FALSE(json::parse(both, e));
    rows.push_back(segmentRow(e, [this](std::string_view v) { return lit(v); }));
    ndjson += std::string(both) + "\n";
  }
  insertRows(segment, rows);
  testenv::writeText(dir_.file("events.ndjson"), ndjson);

  auto send =
      testenv::runCli("send --settings " + settingsFile(sent) + " " + dir_.file("events.ndjson"));
  ASSERT_EQ(send.exitCode, 0) << send.err;
  MigrationResult r = migrate(segment, migrated);
  ASSERT_EQ(r.inserted, std::size(kEvents) + 1);

  std::string query =
      "SELECT s.messageId, s.message, m.message, s.timestamp = m.timestamp, "
      "s.event <=> m.event, s.type = m.type FROM " +
      ref(sent).qualified() + " AS s JOIN " + ref(migrated).qualified() +
      " AS m ON m.messageId = s.messageId ORDER BY s.messageId";
  auto pairs = c_.query(query);
  ASSERT_EQ(pairs.size(), std::size(kEvents) + 1);
  for (auto& row : pairs) {
    SCOPED_TRACE(*row[0]);
    json::Document sentMessage, migratedMessage;
    ASSERT_FALSE(json::parse(*row[1], sentMessage));
    ASSERT_FALSE(json::parse(*row[2], migratedMessage)) << *row[2];
    if (*row[0] == "cmp-both-traits") {
      // The event's own traits are not in Segment's table: all but them read back.
      sentMessage.RemoveMember("traits");
      EXPECT_TRUE(sentMessage == migratedMessage) << *row[1] << "\n" << *row[2];
    } else {
      EXPECT_TRUE(sentMessage == migratedMessage) << *row[1] << "\n" << *row[2];
    }
    EXPECT_EQ(row[3], "1");
    EXPECT_EQ(row[4], "1");
    EXPECT_EQ(row[5], "1");
  }
  // Queried the way docs/querying.md shows, the two tables answer alike.
  for (const char* path : {"$.properties.revenue", "$.properties.text", "$.traits.email",
                           "$.context.traits.email", "$.name", "$.timestamp"}) {
    std::string q = std::string("SELECT GROUP_CONCAT(JSON_VALUE(message, '") + path +
                    "') ORDER BY messageId) FROM ";
    EXPECT_EQ(scalar(q + ref(sent).qualified()), scalar(q + ref(migrated).qualified())) << path;
  }
}

TEST_F(MigrateTable, KilledHalfwayAndRunAgainGivesTheSameTable) {
  std::string source = table("segment_data"), reference = table("reference"),
              dest = table("events");
  c_.execute("CREATE TABLE " + ref(source).qualified() + " " + kElevenColumns);
  std::vector<std::string> rows;
  auto all = copies(false);
  all.resize(40000);
  for (auto& copy : all)
    rows.push_back("(" + lit(copy.messageId) + "," + lit(at(copy.second)) + ",'track'," +
                   litOrNull(copy.event) + ",NULL,'{\"copy\":\"" + (copy.keep ? "keep" : "drop") +
                   "\"}',NULL,'anon',NULL,NULL,NULL)");
  insertRows(source, rows);
  std::uint64_t total = migrate(source, reference).inserted;
  ASSERT_EQ(total, 30000u);  // 10,000 messageIds with two copies, 20,000 with one

  // A run of many small chunks, killed once some of them are stored.
  std::string settings = settingsFile(dest);
  std::string count = "SELECT COUNT(*) FROM " + ref(dest).qualified();
  std::uint64_t atKill = 0;
  {
    testenv::ChildCli run(
        {"migrate-table", "--settings", settings, "--from", source, "--chunk-rows", "1000"}, dir_);
    ASSERT_TRUE(run.started());
    auto deadline = Clock::now() + std::chrono::seconds(120);
    while (Clock::now() < deadline && run.running()) {
      try {
        if (std::stoull(scalar(count)) > 0) break;
      } catch (const db::Error&) {  // not created yet
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_TRUE(run.signal(SIGKILL)) << "the run ended before it could be killed";
    EXPECT_EQ(run.wait(std::chrono::seconds(30)), 128 + SIGKILL);
    atKill = std::stoull(scalar(count));
  }
  ASSERT_GT(atKill, 0u);
  ASSERT_LT(atKill, total) << "killed after the last chunk: nothing left to resume";

  auto again = testenv::runCli("migrate-table --settings " + settings + " --from " + source +
                               " --chunk-rows 1000");
  ASSERT_EQ(again.exitCode, 0) << again.err;
  EXPECT_EQ(scalar(count), std::to_string(total));
  // Row for row the table an uninterrupted run made.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM " + ref(dest).qualified() + " AS d JOIN " +
                   ref(reference).qualified() +
                   " AS r ON r.messageId = d.messageId AND r.message = d.message AND "
                   "r.timestamp = d.timestamp AND r.event <=> d.event AND r.type = d.type"),
            std::to_string(total));
}

TEST_F(MigrateTable, RowsTheDestinationHoldsAlreadyAreKeptAsTheyAre) {
  std::string source = table("segment_raw_data"), dest = table("events");
  c_.execute("CREATE TABLE " + ref(source).qualified() + " " + kFiveColumns);
  insertRows(source, {"('{\"from\":\"segment\"}','2026-01-01','e','kept-1','track')",
                      "('{\"from\":\"segment\"}','2026-01-01','e','new-1','track')"});
  ensureTable(c_, Dialect::MySql, ref(dest));
  c_.execute("INSERT INTO " + ref(dest).qualified() +
             " (message, timestamp, event, messageId, type) VALUES "
             "('{\"from\":\"send\"}','2026-02-01','e','kept-1','track')");

  MigrationResult dry = migrate(source, dest, 20000, true);
  EXPECT_EQ(dry.distinctMessageIds, 2u);
  EXPECT_EQ(dry.alreadyStored, 1u);
  MigrationResult r = migrate(source, dest);
  EXPECT_EQ(r.inserted, 1u);
  EXPECT_EQ(scalar("SELECT JSON_VALUE(message, '$.from') FROM " + ref(dest).qualified() +
                   " WHERE messageId = 'kept-1'"),
            "send");
  EXPECT_EQ(scalar("SELECT JSON_VALUE(message, '$.from') FROM " + ref(dest).qualified() +
                   " WHERE messageId = 'new-1'"),
            "segment");
}

TEST_F(MigrateTable, ADryRunPrintsTheStatementsAndCountsAndChangesNothing) {
  std::string source = table("segment_data"), dest = table("events");
  c_.execute("CREATE TABLE " + ref(source).qualified() + " " + kElevenColumns);
  insertRows(source, {"('a','2026-01-01','track','E',NULL,NULL,NULL,NULL,NULL,NULL,NULL)",
                      "('a','2026-01-02','track','E',NULL,NULL,NULL,NULL,NULL,NULL,NULL)",
                      "('b','2026-01-03','identify',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL)"});
  auto r = testenv::runCli("migrate-table --dry-run --settings " + settingsFile(dest) + " --from " +
                           source);
  ASSERT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(": 3 rows\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("2 distinct messageIds among 3 storable rows (1 later copies would be "
                       "left out); 0 of them already in the destination"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("would store 2 rows in 1 chunk with:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CREATE TABLE IF NOT EXISTS " + ref(dest).qualified()), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("INSERT INTO " + ref(dest).qualified()), std::string::npos) << r.out;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                   lit(settings_.dbName) + " AND TABLE_NAME = " + lit(dest)),
            "0");
}

TEST_F(MigrateTable, ASourceOrADestinationItCannotUseIsRefusedByName) {
  std::string odd = table("odd"), dest = table("events");
  c_.execute("CREATE TABLE " + ref(odd).qualified() + " (messageId TEXT, payload JSON)");
  auto missing = testenv::runCli("migrate-table --settings " + settingsFile(dest) +
                                 " --from no_such_table_here");
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("`no_such_table_here` does not exist"), std::string::npos)
      << missing.err;
  auto unknown =
      testenv::runCli("migrate-table --settings " + settingsFile(dest) + " --from " + odd);
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("cannot be migrated: it has neither the five columns"),
            std::string::npos)
      << unknown.err;
  auto itself =
      testenv::runCli("migrate-table --settings " + settingsFile(dest) + " --from " + dest);
  EXPECT_EQ(itself.exitCode, 2);
  EXPECT_NE(itself.err.find("--from names the settings' own tableName"), std::string::npos)
      << itself.err;
  // A destination send could not write to is refused by the dry run as by the run.
  std::string keyless = table("keyless");
  c_.execute("CREATE TABLE " + ref(keyless).qualified() + " " + kFiveColumns);
  c_.execute("CREATE TABLE " + ref(dest).qualified() + " " + kElevenColumns);
  auto intoKeyless = testenv::runCli("migrate-table --dry-run --settings " + settingsFile(keyless) +
                                     " --from " + dest);
  EXPECT_EQ(intoKeyless.exitCode, 2);
  EXPECT_NE(intoKeyless.err.find("has no unique key on messageId alone"), std::string::npos)
      << intoKeyless.err;
}

TEST_F(MigrateTable, TestAuthAndSendPointSegmentsTablesToMigrateTable) {
  std::string raw = table("segment_raw_data"), data = table("segment_data");
  c_.execute("CREATE TABLE " + ref(raw).qualified() + " " + kFiveColumns);
  c_.execute("CREATE TABLE " + ref(data).qualified() + " " + kElevenColumns);
  for (auto& name : {raw, data}) {
    auto r = testenv::runCli("test-auth --settings " + settingsFile(name));
    EXPECT_EQ(r.exitCode, 2) << name;
    EXPECT_NE(
        r.err.find("actions-singlestore migrate-table --settings <settings file> --from " + name),
        std::string::npos)
        << r.err;
  }
  // send meets the same check before its first delivery, and says the same.
  auto send = testenv::runCli(
      "send --settings " + settingsFile(data),
      R"({"type":"track","event":"E","messageId":"m-1","timestamp":"2026-01-01T00:00:00Z"})");
  EXPECT_EQ(send.exitCode, 2) << send.err;
  EXPECT_NE(send.err.find("migrate-table --settings <settings file> --from " + data),
            std::string::npos)
      << send.err;
  auto eleven = testenv::runCli("test-auth --settings " + settingsFile(data));
  EXPECT_NE(eleven.err.find("has the eleven columns of Segment's segment_data"), std::string::npos)
      << eleven.err;
}
