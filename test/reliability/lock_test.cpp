// Lock conflicts with a concurrent transaction, end to end through `send`: a row or a gap locked
// past the server's lock wait timeout (error 1205), and a deadlock in which the server picks the
// send's statement as the victim (error 1213). The send retries, delivers every event exactly
// once and exits 0; the server's own counters prove the waits and the deadlock happened.
#include <gtest/gtest.h>

#include <optional>
#include <set>

#include "reliability_support.h"

using namespace actions;
using namespace std::chrono_literals;

namespace {

class LockConflicts : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.known()) << "ACTIONS_TEST_DB_REL_DIR is not set (run through ctest)";
    ASSERT_TRUE(server_.ensureRunning());
    settings_ = server_.settings(rel::uniqueTable("lock"));
    table_ = rel::qualified(settings_);
    ballast_ =
        singlestore::makeTableRef(settings_.dbName, settings_.tableName + "_ballast").qualified();
    admin_.emplace(settings_.connectOptions());
  }
  void TearDown() override {
    server_.setGlobal("innodb_lock_wait_timeout", "50");
    if (admin_) {
      admin_->execute("DROP TABLE IF EXISTS " + table_);
      admin_->execute("DROP TABLE IF EXISTS " + ballast_);
    }
  }

  // The table, created the way `send` creates it: by sending one event.
  void createTableWithOneEvent() {
    auto r = testenv::runCli("send --settings " + server_.settingsFile(tmp_, settings_.tableName),
                             rel::eventLine("warm"));
    ASSERT_EQ(r.exitCode, 0) << r.err;
  }

  // Starts `send` on `events` lines (a file), with a report.
  std::unique_ptr<rel::CliProcess> startSend(const std::string& events,
                                             const std::vector<std::string>& extra = {}) {
    testenv::writeText(tmp_.file("in.ndjson"), events);
    std::vector<std::string> args = {"send", "--settings",
                                     server_.settingsFile(tmp_, settings_.tableName), "--report",
                                     tmp_.file("report.ndjson")};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back(tmp_.file("in.ndjson"));
    auto p = std::make_unique<rel::CliProcess>(args, tmp_);
    p->closeInput();
    return p;
  }

  // True once some statement waits for a row lock (the send, blocked by the holder): the
  // server's count of current row lock waits (this server runs nothing else). INNODB_TRX does
  // not list a LOAD DATA's transaction while it waits, so it cannot tell.
  bool someoneWaitsForALock(std::chrono::seconds within) {
    db::Connection watcher(settings_.connectOptions());
    auto until = rel::Clock::now() + within;
    while (rel::Clock::now() < until) {
      if (rel::globalStatus(watcher, "Innodb_row_lock_current_waits") > 0) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  // What the server is doing, for a failure message.
  std::string processList() {
    std::string out = "the server's threads:\n";
    for (auto& row : admin_->query("SELECT ID, COMMAND, STATE, LEFT(INFO, 80) FROM "
                                   "information_schema.PROCESSLIST WHERE COMMAND <> 'Sleep'")) {
      for (auto& v : row) out += (v ? *v : "NULL") + " | ";
      out += "\n";
    }
    return out;
  }

  // A row as another writer would store it, inside the caller's transaction.
  void insertRow(db::Connection& c, const std::string& messageId) {
    c.execute("INSERT INTO " + table_ +
              " (message, timestamp, event, messageId, type) VALUES ('{\"holder\":true}', "
              "'2020-01-01', 'Holder', '" +
              messageId + "', 'track')");
  }

  // The report says inserted for each of `n` events named prefix0..prefix(n-1), in input order;
  // the table holds each of them once, plus the warm-up event, and none of the holder's rows.
  void expectEveryEventStoredOnce(const std::string& prefix, int n) {
    auto report = rel::readReport(tmp_.file("report.ndjson"));
    ASSERT_EQ(report.size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(report[i].i, i);
      EXPECT_EQ(report[i].messageId, prefix + std::to_string(i));
      EXPECT_EQ(report[i].outcome, "inserted") << "event " << i << ": " << report[i].error;
      EXPECT_EQ(report[i].status, 200) << "event " << i;
    }
    auto ids = rel::storedIds(*admin_, table_);
    std::set<std::string> distinct(ids.begin(), ids.end());
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(n) + 1);
    EXPECT_EQ(distinct.size(), ids.size()) << "a messageId is stored twice";
    for (int i = 0; i < n; ++i)
      EXPECT_TRUE(distinct.count(prefix + std::to_string(i))) << prefix << i << " is missing";
    EXPECT_EQ(rel::scalar(*admin_, "SELECT COUNT(*) FROM " + table_ + " WHERE event = 'Holder'"),
              "0");
  }

  // Sends 300 events (prefix0 .. prefix299) while `holder` keeps a lock they need; 3 s after the
  // send is seen waiting, the holder rolls back. The send must have waited, retried after a
  // lock wait timeout, and stored every event once.
  void sendWhileHeldFor3s(db::Connection& holder, const std::string& prefix, const char* what) {
    long long waitsBefore = rel::globalStatus(*admin_, "Innodb_row_lock_waits");
    auto send = startSend(rel::eventLines(prefix, 0, 300));
    ASSERT_TRUE(send->started());
    ASSERT_TRUE(someoneWaitsForALock(30s))
        << "the send never waited for the locked " << what << "\n"
        << processList() << "send running: " << send->running() << "\n"
        << send->err();
    auto blockedAt = rel::Clock::now();
    std::this_thread::sleep_for(3s);
    holder.execute("ROLLBACK");
    auto exit = send->wait(50s);

    ASSERT_TRUE(exit) << "send did not finish within 50 s";
    EXPECT_EQ(*exit, 0) << send->err();
    EXPECT_GE(rel::secondsSince(blockedAt), 3.0);
    // One wait per attempt on the lock: two or more means a timed-out attempt was retried.
    long long waits = rel::globalStatus(*admin_, "Innodb_row_lock_waits") - waitsBefore;
    EXPECT_GE(waits, 2) << "the send's INSERT was not retried after a lock wait timeout";
    expectEveryEventStoredOnce(prefix, 300);
  }

  rel::PrivateServer server_;
  testenv::TempDir tmp_;
  singlestore::Settings settings_;
  std::string table_, ballast_;
  std::optional<db::Connection> admin_;
};

}  // namespace

TEST_F(LockConflicts, ARowLockedPastTheLockWaitTimeoutIsRetriedUntilReleased) {
  // Every session opened from now on gives up a lock wait after 1 s. The holder keeps one of the
  // send's messageIds locked (an uncommitted insert) for 3 s, then rolls back: the send's INSERT
  // times out at least twice, is retried each time, and lands once the lock is gone.
  server_.setGlobal("innodb_lock_wait_timeout", "1");
  createTableWithOneEvent();
  db::Connection holder(settings_.connectOptions());
  holder.execute("START TRANSACTION");
  insertRow(holder, "lw-150");
  sendWhileHeldFor3s(holder, "lw-", "row");
}

TEST_F(LockConflicts, AGapLockedPastTheLockWaitTimeoutIsRetriedUntilReleased) {
  // The holder locks the empty key range the send's messageIds fall into (a locking read under
  // REPEATABLE READ takes the gap) for 3 s: every INSERT into that gap times out until it lets go.
  server_.setGlobal("innodb_lock_wait_timeout", "1");
  createTableWithOneEvent();
  db::Connection holder(settings_.connectOptions());
  holder.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  holder.execute("START TRANSACTION");
  EXPECT_EQ(rel::scalar(holder, "SELECT COUNT(*) FROM " + table_ +
                                    " WHERE messageId >= 'gap-' AND messageId < 'gap.' FOR UPDATE"),
            "0");
  sendWhileHeldFor3s(holder, "gap-", "gap");
}

TEST_F(LockConflicts, TheSendChosenAsDeadlockVictimRetriesAndDeliversEverything) {
  // Opposite lock order: the holder inserts dl-19 first; the send's one INSERT (dl-0 .. dl-19,
  // in that order) stores dl-0 .. dl-18 and waits for dl-19; then the holder inserts dl-0 and
  // closes the cycle. InnoDB rolls back the lighter transaction: the holder has written 2,000
  // ballast rows first, so the victim is the send's statement (error 1213). The holder's insert
  // then goes through, the holder rolls back, and the send's retry stores all 20.
  createTableWithOneEvent();
  admin_->execute("CREATE TABLE " + ballast_ + " (id INT PRIMARY KEY, pad VARCHAR(64))");
  db::Connection holder(settings_.connectOptions());
  holder.execute("START TRANSACTION");
  std::string ballast = "INSERT INTO " + ballast_ + " VALUES ";
  for (int i = 0; i < 2000; ++i)
    ballast += (i ? ",(" : "(") + std::to_string(i) + ",'ballast ballast ballast')";
  holder.execute(ballast);
  insertRow(holder, "dl-19");
  long long deadlocksBefore = rel::globalStatus(*admin_, "Innodb_deadlocks");

  auto send = startSend(rel::eventLines("dl-", 0, 20), {"--batch-size", "20", "--parallel", "1"});
  ASSERT_TRUE(send->started());
  ASSERT_TRUE(someoneWaitsForALock(30s))
      << "the send never waited for dl-19\n"
      << processList() << "send running: " << send->running() << "\n"
      << send->err();
  std::optional<std::string> holderError;
  try {
    insertRow(holder, "dl-0");  // waits for the send's dl-0 until the server breaks the cycle
  } catch (const db::Error& e) {
    holderError = e.what();
  }
  EXPECT_FALSE(holderError) << "the server chose the holder as the victim: " << *holderError;
  EXPECT_EQ(rel::globalStatus(*admin_, "Innodb_deadlocks") - deadlocksBefore, 1);
  std::this_thread::sleep_for(500ms);
  holder.execute("ROLLBACK");
  auto exit = send->wait(50s);

  ASSERT_TRUE(exit) << "send did not finish within 50 s";
  EXPECT_EQ(*exit, 0) << send->err();
  expectEveryEventStoredOnce("dl-", 20);
}
