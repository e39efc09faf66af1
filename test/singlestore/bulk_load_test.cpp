// The bulk path (LOAD DATA LOCAL INFILE from memory) against the fixture's MariaDB: text that the
// load format must escape arrives unchanged, stored messageIds and rows the server would alter
// fall back to exact per-row outcomes, (A server that refuses local files: bulk_refused_test.cpp.)
#include <gtest/gtest.h>

#include <atomic>

#include "db/pool.h"
#include "singlestore/batch_writer.h"
#include "singlestore/send_data_writer.h"
#include "singlestore/table.h"
#include "writer_support.h"

using namespace actions;
using kit::Outcome;

namespace {

class BulkLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("bulk");
    admin_ = std::make_unique<db::Connection>(settings_.connectOptions());
  }
  void TearDown() override { admin_->execute("DROP TABLE IF EXISTS " + table()); }
  std::string table() const {
    return singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
  }
  long long loads() {
    return std::stoll(sstest::scalar(*admin_,
                                     "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME = 'COM_LOAD'"));
  }
  std::vector<kit::EventResult> write(const sstest::Payloads& p,
                                      singlestore::WriterOptions o = {}) {
    singlestore::SendDataWriter writer(settings_, o);
    std::vector<kit::EventResult> results(p.size());
    auto ptrs = p.pointers();
    writer.write(ptrs, results);
    return results;
  }
  std::string column(const std::string& col, const std::string& messageId) {
    std::string sql = "SELECT " + col + " FROM " + table() + " WHERE messageId = '";
    admin_->appendEscaped(messageId, sql);
    return sstest::scalar(*admin_, sql + "'");
  }

  singlestore::Settings settings_;
  std::unique_ptr<db::Connection> admin_;
};

TEST_F(BulkLoad, TextTheLoadFormatEscapesArrivesUnchanged) {
  // Tabs, newlines, backslashes, NUL, a literal \N and the word NULL in every text column.
  const std::vector<std::string> ids = {"tab\tid",  "new\nline", "back\\slash",
                                        "\\N",      "NULL",      std::string("nul\0byte", 8),
                                        "plain-id", "emoji-😀"};
  sstest::Payloads p;
  for (const auto& id : ids) p.track(id, "2026-01-01T00:00:00.000Z", "ev\t\\N\n" + id);
  p.add(R"({"messageId":"no-event","timestamp":"2026-01-01T00:00:00Z","type":"identify",)"
        R"("message":{"s":"a\tb\\c\nd\u0000e"}})");
  long long before = loads();
  auto r = write(p);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=9 ");
  EXPECT_GE(loads() - before, 1) << "the rows should have gone in with LOAD DATA";
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "9");
  for (const auto& id : ids) {
    EXPECT_EQ(column("messageId", id), id);
    EXPECT_EQ(column("event", id), "ev\t\\N\n" + id);
  }
  EXPECT_EQ(column("event", "no-event"), "NULL");  // SQL NULL, not the text
  EXPECT_EQ(column("event IS NULL", "no-event"), "1");
  EXPECT_EQ(column("message", "no-event"), R"({"s":"a\tb\\c\nd\u0000e"})");
}

TEST_F(BulkLoad, StoredMessageIdsInAChunkGetExactOutcomes) {
  sstest::Payloads first;
  for (int i = 0; i < 10; ++i)
    first.track("dup-" + std::to_string(i * 3), "2026-01-01T00:00:00Z", "First");
  EXPECT_EQ(sstest::countOutcomes(write(first)), "inserted=10 ");
  sstest::Payloads second;
  for (int i = 0; i < 30; ++i)
    second.track("dup-" + std::to_string(i), "2026-01-01T00:00:00Z", "Second");
  auto r = write(second);
  EXPECT_EQ(sstest::countOutcomes(r), "duplicate=10 inserted=20 ");
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(r[i].outcome, i % 3 == 0 ? Outcome::Duplicate : Outcome::Inserted) << i;
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "30");
  EXPECT_EQ(column("event", "dup-3"), "First");  // a stored row is never replaced
  EXPECT_EQ(column("event", "dup-4"), "Second");
}

TEST_F(BulkLoad, ARowTheServerWouldChangeIsRejectedNotChanged) {
  // A timestamp past the DATETIME range: LOAD DATA ... IGNORE would store a zero date with a
  // warning. The chunk rolls back and the INSERT path rejects that row alone.
  auto pool = db::ConnectionPool::shared([&] {
    auto o = settings_.connectOptions();
    o.localInfile = true;
    return o;
  }());
  auto ref = singlestore::makeTableRef(settings_.dbName, settings_.tableName);
  {
    auto lease = pool->acquire();
    singlestore::ensureTable(*lease, singlestore::detectDialect(*lease), ref);
  }
  std::vector<singlestore::Row> rows(5);
  for (int i = 0; i < 5; ++i) {
    rows[i].messageId = "range-" + std::to_string(i);
    rows[i].type = "track";
    rows[i].message = "{}";
    rows[i].timestampMicros = 1'700'000'000'000'000LL;
  }
  rows[2].timestampMicros = 253'402'300'800'000'000LL + 86'400'000'000LL;  // year 10000
  std::vector<const singlestore::Row*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);
  std::atomic<bool> refused{false};
  singlestore::BatchWriter writer(pool, ref, {},
                                  singlestore::BulkLoad{singlestore::Dialect::MySql, &refused});
  long long before = loads();
  auto r = writer.write(ptrs, 100);
  EXPECT_GE(loads() - before, 1);
  EXPECT_FALSE(refused.load());
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=4 rejected=1 ");
  EXPECT_EQ(r[2].outcome, Outcome::Rejected);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "4");
  EXPECT_EQ(sstest::scalar(*admin_,
                           "SELECT COUNT(*) FROM " + table() + " WHERE `timestamp` < '1971-01-01'"),
            "0");
}

}  // namespace
