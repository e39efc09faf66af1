// Transient faults in the middle of a write, provoked on the fixture's server: the write is
// retried on a fresh connection and every event ends up stored exactly once, with the right
// outcome.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using namespace std::chrono_literals;
using kit::Outcome;

namespace {

class Faults : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("fault");
    table_ = singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
  }
  void TearDown() override {
    admin_.execute("UNLOCK TABLES");
    admin_.execute("DROP TABLE IF EXISTS " + table_);
  }

  // The id of a connection blocked writing into this test's table (an INSERT, or the LOAD DATA
  // of the bulk path), once there is one.
  std::optional<unsigned long> blockedInsert(std::chrono::seconds within) {
    db::Connection watcher(settings_.connectOptions());
    auto until = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < until) {
      auto rows = watcher.query(
          "SELECT ID FROM information_schema.PROCESSLIST WHERE (INFO LIKE 'INSERT INTO %" +
          settings_.tableName + "%' OR INFO LIKE 'LOAD DATA %" + settings_.tableName +
          "%') AND ID <> CONNECTION_ID() ORDER BY TIME DESC");
      if (!rows.empty() && rows[0][0]) return std::stoul(*rows[0][0]);
      std::this_thread::sleep_for(20ms);
    }
    return std::nullopt;
  }

  sstest::Payloads events(int n) {
    sstest::Payloads p;
    for (int i = 0; i < n; ++i) p.track(settings_.tableName + "-" + std::to_string(i));
    return p;
  }

  singlestore::Settings settings_;
  std::string table_;
  db::Connection admin_{sstest::fixtureSettings().connectOptions()};
};

}  // namespace

TEST_F(Faults, AConnectionKilledMidBatchIsRetriedWithoutLossOrDuplication) {
  singlestore::WriterOptions o;
  o.batchSize = 100;
  singlestore::SendDataWriter writer(settings_, o);
  writer.prepare();
  auto p = events(300);
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(p.size());

  admin_.execute("LOCK TABLES " + table_ + " READ");  // INSERTs wait; lookups go through
  std::thread sender([&] { writer.write(ptrs, results); });
  auto victim = blockedInsert(20s);
  ASSERT_TRUE(victim) << "the writer never reached its INSERT";
  db::Connection killer(settings_.connectOptions());
  killer.execute("KILL CONNECTION " + std::to_string(*victim));
  std::this_thread::sleep_for(200ms);
  admin_.execute("UNLOCK TABLES");
  sender.join();

  EXPECT_EQ(sstest::countOutcomes(results), "inserted=300 ");
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "300");
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(DISTINCT messageId) FROM " + table_), "300");
}

TEST_F(Faults, ARowStoredByAStatementWhoseAnswerWasLostIsNeverClaimedInserted) {
  // A trigger makes the write take 2.5 s on the server; the writer gives up waiting after 1 s
  // and retries, while the server finishes the first attempt anyway. The write is a LOAD DATA
  // in autocommit (the settled path, SingleStore's fallback), so the abandoned attempt commits.
  // The retry finds the rows stored — by its own lost statement, or by another sender in that
  // window: nothing tells which, so none of them may be claimed inserted. Nothing is stored twice.
  singlestore::WriterOptions o;
  o.readTimeoutSec = 1;
  o.retry.firstDelay = 100ms;
  o.retry.maxDelay = 300ms;
  o.writePath = singlestore::WritePath::LoadDataSettled;
  singlestore::SendDataWriter writer(settings_, o);
  writer.prepare();
  admin_.execute("CREATE TRIGGER " + settings_.tableName + "_slow BEFORE INSERT ON " + table_ +
                 " FOR EACH ROW BEGIN IF NEW.messageId = '" + settings_.tableName +
                 "-0' THEN DO SLEEP(2.5); END IF; END");
  auto p = events(200);
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(p.size());
  writer.write(ptrs, results);

  EXPECT_EQ(sstest::countOutcomes(results), "duplicate=200 ") << results[0].error;
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "200");
}

TEST_F(Faults, AnInsertAbandonedAtItsDeadlineIsRolledBackNotCommittedLater) {
  // The INSERT path runs in a transaction: a statement the writer stops waiting for at the rows'
  // deadline is rolled back when its connection closes, even though the server goes on running
  // it — so rows answered 503 are never written after their answer.
  singlestore::WriterOptions o;
  o.bulkLoad = false;
  singlestore::SendDataWriter writer(settings_, o);
  writer.prepare();
  admin_.execute("CREATE TRIGGER " + settings_.tableName + "_slow BEFORE INSERT ON " + table_ +
                 " FOR EACH ROW BEGIN IF NEW.messageId = '" + settings_.tableName +
                 "-0' THEN DO SLEEP(2); END IF; END");
  auto p = events(50);
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(p.size());
  auto start = std::chrono::steady_clock::now();
  std::vector<std::chrono::steady_clock::time_point> deadlines(p.size(), start + 1s);
  writer.write(ptrs, results, deadlines);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  EXPECT_LT(took, 1.5) << "the write outlasted its rows' deadline";
  EXPECT_EQ(sstest::countOutcomes(results), "failed=50 ");
  EXPECT_EQ(results[0].status, 503);
  // The server finishes the abandoned statement about 2 s after it began, then rolls it back.
  std::this_thread::sleep_for(2500ms);
  auto sleeping = [&] {
    return sstest::scalar(admin_,
                          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE "
                          "'INSERT INTO %" +
                              settings_.tableName + "%' AND ID <> CONNECTION_ID()");
  };
  for (int i = 0; i < 100 && sleeping() != "0"; ++i) std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sleeping(), "0");
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "0");
}

TEST_F(Faults, ConcurrentSendersWithLostAnswersClaimEachRowInsertedAtMostOnce) {
  // Four senders write the same events at once while statements outlast the read timeout for a
  // while (a trigger sleeps on some rows until its allowance of 3 s is spent): every event is
  // stored once, and across all four reports no messageId is inserted twice. Half the senders
  // use the bulk path, half INSERT; every abandoned statement leaves its rows in doubt. (The
  // settled LOAD DATA path is left out: racing an identical copy it may claim it too, as
  // docs/singlestore.md says.)
  singlestore::SendDataWriter(settings_).prepare();
  const std::string allowance =
      singlestore::makeTableRef(settings_.dbName, settings_.tableName + "_sleeps").qualified();
  admin_.execute("CREATE TABLE " + allowance + " (left_ms INT NOT NULL) ENGINE=Aria");
  admin_.execute("INSERT INTO " + allowance + " VALUES (3000)");
  admin_.execute("CREATE TRIGGER " + settings_.tableName + "_slow BEFORE INSERT ON " + table_ +
                 " FOR EACH ROW BEGIN IF NEW.messageId LIKE '%-1_' AND (SELECT left_ms FROM " +
                 allowance + ") > 0 THEN UPDATE " + allowance +
                 " SET left_ms = left_ms - 150; DO SLEEP(0.15); END IF; END");
  constexpr int kSenders = 4, kEvents = 120;
  auto p = events(kEvents);
  auto ptrs = p.pointers();
  std::vector<std::vector<kit::EventResult>> results(kSenders,
                                                     std::vector<kit::EventResult>(kEvents));
  std::vector<std::thread> senders;
  for (int s = 0; s < kSenders; ++s)
    senders.emplace_back([&, s] {
      singlestore::WriterOptions o;
      o.readTimeoutSec = 1;
      o.batchSize = 40;
      o.retry.firstDelay = 50ms;
      o.retry.maxDelay = 200ms;
      o.writePath = s % 2 == 0 ? singlestore::WritePath::Auto : singlestore::WritePath::Insert;
      singlestore::SendDataWriter writer(settings_, o);
      writer.write(ptrs, results[s]);
    });
  for (auto& t : senders) t.join();
  admin_.execute("DROP TABLE " + allowance);

  for (int i = 0; i < kEvents; ++i) {
    int inserted = 0;
    for (int s = 0; s < kSenders; ++s) {
      EXPECT_TRUE(results[s][i].delivered()) << s << " " << i << " " << results[s][i].error;
      inserted += results[s][i].outcome == Outcome::Inserted;
    }
    EXPECT_LE(inserted, 1) << "event " << i << " reported inserted by " << inserted << " senders";
  }
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), std::to_string(kEvents));
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(DISTINCT messageId) FROM " + table_),
            std::to_string(kEvents));
}

TEST_F(Faults, AStoredCopyFromSomeoneElseIsADuplicateEvenAfterALostAnswer) {
  // Another writer's different copy of event 7 is inserted but not yet committed: the writer's
  // INSERT waits on that key, its answer times out (in doubt), and its retries wait too. Then
  // the other copy commits. Event 7 is stored by someone else (a duplicate); every other event
  // is the writer's own (inserted), although all of them were in doubt.
  singlestore::WriterOptions o;
  o.readTimeoutSec = 1;
  o.retry.firstDelay = 100ms;
  o.retry.maxDelay = 300ms;
  singlestore::SendDataWriter writer(settings_, o);
  writer.prepare();
  auto p = events(50);
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(p.size());

  db::Connection other(settings_.connectOptions());
  other.execute("START TRANSACTION");
  other.execute("INSERT INTO " + table_ + " VALUES ('{\"other\":true}', '2020-01-01', 'Other', '" +
                settings_.tableName + "-7', 'track')");
  std::thread sender([&] { writer.write(ptrs, results); });
  ASSERT_TRUE(blockedInsert(20s));
  std::this_thread::sleep_for(2500ms);
  other.execute("COMMIT");
  sender.join();

  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "50");
  EXPECT_EQ(sstest::scalar(admin_, "SELECT event FROM " + table_ + " WHERE messageId = '" +
                                       settings_.tableName + "-7'"),
            "Other");
  EXPECT_EQ(results[7].outcome, Outcome::Duplicate);
  for (int i = 0; i < 50; ++i)
    if (i != 7) {
      EXPECT_EQ(results[i].outcome, Outcome::Inserted) << i << " " << results[i].error;
    }
}
