// The bulk paths against the fixture's MariaDB, each in turn: array binding (MariaDB's bulk
// execution) and LOAD DATA LOCAL INFILE from memory. Text the formats could mangle arrives
// unchanged, stored messageIds and rows the server would alter or refuse fall back to exact
// per-row outcomes, and the writer really used the path under test (the session's own counters
// say so). A server that refuses local files: bulk_refused_test.cpp.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "db/pool.h"
#include "singlestore/batch_writer.h"
#include "singlestore/send_data_writer.h"
#include "singlestore/table.h"
#include "writer_support.h"

using namespace actions;
using kit::Outcome;

namespace {

// LoadData: LOAD DATA in a transaction, kept only when clean (how SingleStore's own Kafka
// connector runs it). LoadDataSettled: LOAD DATA in autocommit and settled afterwards, the
// fallback on SingleStore (bulk_store.h), here against MariaDB.
enum class Path { Arrays, LoadData, LoadDataSettled };

std::string nameOf(const ::testing::TestParamInfo<Path>& info) {
  return info.param == Path::Arrays     ? "Arrays"
         : info.param == Path::LoadData ? "LoadData"
                                        : "LoadDataSettled";
}

class BulkPath : public ::testing::TestWithParam<Path> {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("bulk");
    admin_ = std::make_unique<db::Connection>(settings_.connectOptions());
    auto options = settings_.connectOptions();
    options.localInfile = true;
    options.readTimeoutSec = 57;  // a pool of its own: one connection, whose counters we read
    db::PoolOptions one;
    one.maxOpen = one.maxIdle = 1;
    pool_ = db::ConnectionPool::shared(options, one);
    ref_ = singlestore::makeTableRef(settings_.dbName, settings_.tableName);
    auto lease = pool_->acquire();
    singlestore::ensureTable(*lease, singlestore::detectDialect(*lease), ref_);
  }
  void TearDown() override { admin_->execute("DROP TABLE IF EXISTS " + table()); }
  std::string table() const { return ref_.qualified(); }

  // What the pool's connection has run so far: array executions and LOAD DATA statements.
  struct Counters {
    long long arrays = 0, loads = 0;
  };
  Counters counters() {
    auto lease = pool_->acquire();
    auto rows = lease->query(
        "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
        "WHERE VARIABLE_NAME IN ('COM_STMT_EXECUTE', 'COM_LOAD')");
    Counters c;
    for (auto& r : rows) (*r[0] == "COM_LOAD" ? c.loads : c.arrays) = std::stoll(*r[1]);
    return c;
  }

  std::vector<kit::EventResult> write(const std::vector<singlestore::Row>& rows,
                                      std::size_t perStatement = 100) {
    std::vector<const singlestore::Row*> ptrs;
    for (auto& r : rows) ptrs.push_back(&r);
    singlestore::BulkLoad bulk{singlestore::Dialect::MySql, &flags_, GetParam() == Path::Arrays,
                               GetParam() == Path::LoadDataSettled
                                   ? singlestore::LoadMode::Settle
                                   : singlestore::LoadMode::Transaction};
    singlestore::BatchWriter writer(pool_, ref_, {}, bulk);
    Counters before = counters();
    auto results = writer.write(ptrs, perStatement);
    Counters after = counters();
    // The reading query itself is not counted: SESSION_STATUS is read before it ends.
    usedArrays_ = after.arrays - before.arrays;
    usedLoads_ = after.loads - before.loads;
    return results;
  }
  void expectThePathUnderTest() {
    EXPECT_FALSE(flags_.loadRefused.load());
    EXPECT_FALSE(flags_.arraysRefused.load());
    if (GetParam() == Path::Arrays) {
      EXPECT_GE(usedArrays_, 1) << "the rows should have gone in as arrays";
      EXPECT_EQ(usedLoads_, 0);
    } else {
      EXPECT_GE(usedLoads_, 1) << "the rows should have gone in with LOAD DATA";
      EXPECT_EQ(usedArrays_, 0);
    }
  }
  std::string column(const std::string& col, const std::string& messageId) {
    std::string sql = "SELECT " + col + " FROM " + table() + " WHERE messageId = '";
    admin_->appendEscaped(messageId, sql);
    return sstest::scalar(*admin_, sql + "'");
  }
  static singlestore::Row row(std::string messageId, std::optional<std::string> event = "Ev",
                              std::string message = "{}") {
    singlestore::Row r;
    r.messageId = std::move(messageId);
    r.type = event ? "track" : "identify";
    r.event = std::move(event);
    r.message = std::move(message);
    r.timestampMicros = 1'767'225'600'123'456LL;  // 2026-01-01 00:00:00.123456
    return r;
  }

  singlestore::Settings settings_;
  std::unique_ptr<db::Connection> admin_;
  std::shared_ptr<db::ConnectionPool> pool_;
  singlestore::TableRef ref_;
  singlestore::BulkFlags flags_;
  long long usedArrays_ = 0, usedLoads_ = 0;
};

TEST_P(BulkPath, TextTheFormatsCouldMangleArrivesUnchanged) {
  // Tabs, newlines, backslashes, quotes, NUL, a literal \N and the word NULL in every text column.
  const std::vector<std::string> ids = {"tab\tid",    "new\nline", "back\\slash",
                                        "\\N",        "NULL",      std::string("nul\0byte", 8),
                                        "it's \"q\"", "emoji-😀"};
  std::vector<singlestore::Row> rows;
  for (const auto& id : ids) rows.push_back(row(id, "ev\t\\N\n" + id));
  rows.push_back(row("no-event", std::nullopt, R"({"s":"a\tb\\c\nd\u0000e"})"));
  auto r = write(rows);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=9 ");
  expectThePathUnderTest();
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "9");
  for (const auto& id : ids) {
    EXPECT_EQ(column("messageId", id), id);
    EXPECT_EQ(column("event", id), "ev\t\\N\n" + id);
    EXPECT_EQ(column("`timestamp`", id), "2026-01-01 00:00:00.123456");
  }
  EXPECT_EQ(column("event", "no-event"), "NULL");  // SQL NULL, not the text
  EXPECT_EQ(column("event IS NULL", "no-event"), "1");
  EXPECT_EQ(column("type", "no-event"), "identify");
  EXPECT_EQ(column("message", "no-event"), R"({"s":"a\tb\\c\nd\u0000e"})");
}

TEST_P(BulkPath, StoredMessageIdsInAChunkGetExactOutcomes) {
  std::vector<singlestore::Row> first;
  for (int i = 0; i < 10; ++i) first.push_back(row("dup-" + std::to_string(i * 3), "First"));
  EXPECT_EQ(sstest::countOutcomes(write(first)), "inserted=10 ");
  expectThePathUnderTest();
  std::vector<singlestore::Row> second;
  for (int i = 0; i < 30; ++i) second.push_back(row("dup-" + std::to_string(i), "Second"));
  auto r = write(second);
  EXPECT_EQ(sstest::countOutcomes(r), "duplicate=10 inserted=20 ");
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(r[i].outcome, i % 3 == 0 ? Outcome::Duplicate : Outcome::Inserted) << i;
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "30");
  EXPECT_EQ(column("event", "dup-3"), "First");  // a stored row is never replaced
  EXPECT_EQ(column("event", "dup-4"), "Second");
}

TEST_P(BulkPath, ARowTheServerWouldChangeIsRejectedNotChanged) {
  // A timestamp past the DATETIME range: LOAD DATA ... IGNORE would store a zero date with a
  // warning; the array INSERT fails under strict mode. Either way the chunk rolls back and the
  // INSERT path rejects that row alone.
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 5; ++i) rows.push_back(row("range-" + std::to_string(i)));
  rows[2].timestampMicros = 253'402'300'800'000'000LL + 86'400'000'000LL;  // year 10000
  auto r = write(rows);
  expectThePathUnderTest();
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=4 rejected=1 ");
  EXPECT_EQ(r[2].outcome, Outcome::Rejected);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "4");
  EXPECT_EQ(sstest::scalar(*admin_,
                           "SELECT COUNT(*) FROM " + table() + " WHERE `timestamp` < '1971-01-01'"),
            "0");
}

TEST(BulkSettled, ARowALoadStoredAlteredIsDeletedAgainThenRejected) {
  // LOAD DATA ... IGNORE stores an out-of-range timestamp as a zero date with a warning; in
  // autocommit nothing rolls it back, so the settlement must find it, delete it and let the
  // INSERT path reject it. The session's own counters show the DELETE happened.
  auto settings = sstest::settingsWithOwnTable("settled");
  auto options = settings.connectOptions();
  options.localInfile = true;
  options.readTimeoutSec = 58;  // a pool of its own
  db::PoolOptions one;
  one.maxOpen = one.maxIdle = 1;
  auto pool = db::ConnectionPool::shared(options, one);
  auto ref = singlestore::makeTableRef(settings.dbName, settings.tableName);
  {
    auto lease = pool->acquire();
    singlestore::ensureTable(*lease, singlestore::Dialect::MySql, ref);
  }
  auto deletes = [&] {
    auto lease = pool->acquire();
    return std::stoll(sstest::scalar(*lease,
                                     "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS "
                                     "WHERE VARIABLE_NAME = 'COM_DELETE'"));
  };
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 6; ++i) {
    singlestore::Row r;
    r.messageId = "altered-" + std::to_string(i);
    r.type = "track";
    r.event = "Ev";
    r.message = "{}";
    r.timestampMicros = 1'767'225'600'123'456LL;
    rows.push_back(r);
  }
  rows[4].timestampMicros = 253'402'300'800'000'000LL + 86'400'000'000LL;  // year 10000
  std::vector<const singlestore::Row*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  singlestore::BulkFlags flags;
  singlestore::BatchWriter writer(pool, ref, {},
                                  singlestore::BulkLoad{singlestore::Dialect::MySql, &flags, false,
                                                        singlestore::LoadMode::Settle});
  long long before = deletes();
  auto results = writer.write(ptrs, 100);
  EXPECT_GE(deletes() - before, 1) << "the altered row should have been deleted again";
  EXPECT_EQ(sstest::countOutcomes(results), "inserted=5 rejected=1 ");
  EXPECT_EQ(results[4].outcome, Outcome::Rejected);
  db::Connection admin(settings.connectOptions());
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + ref.qualified()), "5");
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + ref.qualified() +
                                      " WHERE messageId = 'altered-4'"),
            "0");
  EXPECT_FALSE(flags.loadRefused.load());
  admin.execute("DROP TABLE " + ref.qualified());
}

TEST(BulkSettled, ACopyAnotherWriterStoresDuringTheLoadIsADuplicate) {
  // Another writer's different copy of one messageId is inserted but not committed when the
  // settled path looks up what is stored: it is not there yet, so the row is sent. The load waits
  // on that key; the other copy commits; the load skips the row. The settlement must tell it is
  // the other writer's (duplicate), not ours altered — and must not delete it.
  auto settings = sstest::settingsWithOwnTable("race");
  auto options = settings.connectOptions();
  options.localInfile = true;
  options.readTimeoutSec = 59;  // a pool of its own
  auto pool = db::ConnectionPool::shared(options);
  auto ref = singlestore::makeTableRef(settings.dbName, settings.tableName);
  {
    auto lease = pool->acquire();
    singlestore::ensureTable(*lease, singlestore::Dialect::MySql, ref);
  }
  std::vector<singlestore::Row> rows(10);
  std::vector<const singlestore::Row*> ptrs;
  for (int i = 0; i < 10; ++i) {
    rows[i].messageId = settings.tableName + "-" + std::to_string(i);
    rows[i].type = "track";
    rows[i].event = "Ours";
    rows[i].message = "{}";
    rows[i].timestampMicros = 1'767'225'600'000'000LL;
    ptrs.push_back(&rows[i]);
  }
  db::Connection other(settings.connectOptions());
  other.execute("START TRANSACTION");
  other.execute("INSERT INTO " + ref.qualified() + " VALUES ('{\"other\":true}', '2020-01-01', " +
                "'Other', '" + settings.tableName + "-3', 'track')");
  singlestore::BulkFlags flags;
  singlestore::BatchWriter writer(pool, ref, {},
                                  singlestore::BulkLoad{singlestore::Dialect::MySql, &flags, false,
                                                        singlestore::LoadMode::Settle});
  std::vector<kit::EventResult> results;
  std::thread sender([&] { results = writer.write(ptrs, 100); });
  db::Connection watcher(settings.connectOptions());
  bool loading = false;
  for (int i = 0; i < 500 && !loading; ++i) {
    loading = sstest::scalar(watcher,
                             "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
                             "'LOAD DATA %" +
                                 settings.tableName + "%'") != "0";
    if (!loading) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  other.execute("COMMIT");
  sender.join();
  ASSERT_TRUE(loading) << "the load never waited on the other writer's key";
  ASSERT_EQ(results.size(), 10u);
  EXPECT_EQ(results[3].outcome, Outcome::Duplicate) << results[3].error;
  EXPECT_EQ(sstest::countOutcomes(results), "duplicate=1 inserted=9 ");
  EXPECT_EQ(sstest::scalar(watcher, "SELECT event FROM " + ref.qualified() +
                                        " WHERE messageId = '" + settings.tableName + "-3'"),
            "Other");
  EXPECT_EQ(sstest::scalar(watcher, "SELECT COUNT(*) FROM " + ref.qualified()), "10");
  watcher.execute("DROP TABLE " + ref.qualified());
}

TEST_P(BulkPath, JsonTheServerRefusesCostsOnlyItsRow) {
  // Not JSON at all: MariaDB's JSON column checks json_valid() and refuses it.
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 8; ++i) rows.push_back(row("json-" + std::to_string(i)));
  rows[5].message = "{\"unterminated\":";
  auto r = write(rows);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=7 rejected=1 ");
  EXPECT_EQ(r[5].outcome, Outcome::Rejected);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "7");
  EXPECT_EQ(column("COUNT(*)", "json-5"), "0");
}

TEST_P(BulkPath, ManyStatementsInOneWrite) {
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 1000; ++i)
    rows.push_back(row("many-" + std::to_string(i), "Ev", "{\"i\":" + std::to_string(i) + "}"));
  auto r = write(rows, 64);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=1000 ");
  expectThePathUnderTest();
  if (GetParam() == Path::Arrays)
    EXPECT_EQ(usedArrays_, 16);  // ceil(1000 / 64): one execution per chunk
  else
    EXPECT_EQ(usedLoads_, 16);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT SUM(JSON_VALUE(message, '$.i')) FROM " + table()),
            "499500");
}

TEST_P(BulkPath, SendingTheSameRowsAgainGivesDuplicates) {
  // Identical copies stored by an earlier run are duplicates, not "inserted" (the settled path
  // must not take them for rows its own load stored).
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 20; ++i) rows.push_back(row("again-" + std::to_string(i)));
  EXPECT_EQ(sstest::countOutcomes(write(rows)), "inserted=20 ");
  expectThePathUnderTest();
  rows.push_back(row("again-new"));
  auto r = write(rows);
  EXPECT_EQ(sstest::countOutcomes(r), "duplicate=20 inserted=1 ");
  EXPECT_EQ(r.back().outcome, Outcome::Inserted);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "21");
}

TEST_P(BulkPath, AFatalErrorFailsItsRowsButLeavesBulkLoadingOn) {
  // The table answers "no such table" for a while (a trigger): the rows fail, as any statement
  // would have failed them — but the server did not refuse the bulk statement as such, so the
  // next write uses the bulk path again.
  admin_->execute("CREATE TRIGGER " + settings_.tableName + "_fatal BEFORE INSERT ON " + table() +
                  " FOR EACH ROW SIGNAL SQLSTATE '42S02' SET MYSQL_ERRNO = 1146, "
                  "MESSAGE_TEXT = 'Table is not there right now'");
  std::vector<singlestore::Row> rows;
  for (int i = 0; i < 10; ++i) rows.push_back(row("fatal-" + std::to_string(i)));
  auto r = write(rows);
  EXPECT_EQ(sstest::countOutcomes(r), "failed=10 ");
  EXPECT_NE(r[0].error.find("Table is not there right now"), std::string::npos) << r[0].error;
  EXPECT_FALSE(flags_.loadRefused.load());
  EXPECT_FALSE(flags_.arraysRefused.load());
  admin_->execute("DROP TRIGGER " + settings_.dbName + "." + settings_.tableName + "_fatal");
  EXPECT_EQ(sstest::countOutcomes(write(rows)), "inserted=10 ");
  expectThePathUnderTest();
}

INSTANTIATE_TEST_SUITE_P(Paths, BulkPath,
                         ::testing::Values(Path::Arrays, Path::LoadData, Path::LoadDataSettled),
                         nameOf);

TEST(BulkFallback,
     AServerThatKnowsNeitherLoadWithErrorsHandleNorSkipDuplicateKeyErrorsGetsInserts) {
  // SingleStore's load, sent to MariaDB: ERRORS HANDLE is refused (a parse error), so the load
  // runs in its transaction without it; SKIP DUPLICATE KEY ERRORS is refused too, so LOAD DATA is
  // off and the rows go in with INSERT — each refusal remembered, no row lost.
  auto settings = sstest::settingsWithOwnTable("fallback");
  auto options = settings.connectOptions();
  options.localInfile = true;
  options.readTimeoutSec = 58;  // a pool of its own
  auto pool = db::ConnectionPool::shared(options);
  auto ref = singlestore::makeTableRef(settings.dbName, settings.tableName);
  {
    auto lease = pool->acquire();
    singlestore::ensureTable(*lease, singlestore::Dialect::MySql, ref);
  }
  std::vector<singlestore::Row> rows(30);
  std::vector<const singlestore::Row*> ptrs;
  for (int i = 0; i < 30; ++i) {
    rows[i].messageId = settings.tableName + "-" + std::to_string(i);
    rows[i].type = "track";
    rows[i].event = "Ev";
    rows[i].message = "{}";
    rows[i].timestampMicros = 1'767'225'600'000'000LL;
    ptrs.push_back(&rows[i]);
  }
  singlestore::BulkFlags flags;
  singlestore::BatchWriter writer(
      pool, ref, {},
      singlestore::BulkLoad{singlestore::Dialect::SingleStore, &flags, false,
                            singlestore::LoadMode::ErrorsHandle});
  auto results = writer.write(ptrs, 10);
  EXPECT_EQ(sstest::countOutcomes(results), "inserted=30 ") << results[0].error;
  EXPECT_TRUE(flags.errorsHandleRefused.load());
  EXPECT_TRUE(flags.loadRefused.load());
  EXPECT_FALSE(flags.loadCommitsItself.load());
  db::Connection admin(settings.connectOptions());
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + ref.qualified()), "30");
  admin.execute("DROP TABLE " + ref.qualified());
}

TEST(BulkDefault, TheWriterUsesArraysOnMariaDB) {
  // What send uses: SendDataWriter's default options pick the array path on this server.
  auto settings = sstest::settingsWithOwnTable("bulkdefault");
  db::Connection admin(settings.connectOptions());
  auto executions = [&] {
    return std::stoll(sstest::scalar(admin,
                                     "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME = 'COM_STMT_EXECUTE'"));
  };
  sstest::Payloads p;
  for (int i = 0; i < 50; ++i) p.track("default-" + std::to_string(i));
  long long before = executions();
  singlestore::SendDataWriter writer(settings);
  std::vector<kit::EventResult> results(p.size());
  auto ptrs = p.pointers();
  writer.write(ptrs, results);
  EXPECT_EQ(sstest::countOutcomes(results), "inserted=50 ");
  EXPECT_GE(executions() - before, 1);
  std::string table = singlestore::makeTableRef(settings.dbName, settings.tableName).qualified();
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "50");
  admin.execute("DROP TABLE " + table);
}

}  // namespace
