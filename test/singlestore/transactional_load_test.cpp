// LOAD DATA in a transaction (LoadMode::Transaction: how SingleStore's Kafka connector runs it,
// and the writer's LOAD DATA path on MariaDB), against the fixture's MariaDB: a fault in the
// middle of the load leaves nothing stored, and the retry stores every row exactly once.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using namespace std::chrono_literals;

TEST(TransactionalLoad, AFaultMidLoadLeavesNothingAndTheRetryStoresEveryRowOnce) {
  auto settings = sstest::settingsWithOwnTable("txload");
  std::string table = singlestore::makeTableRef(settings.dbName, settings.tableName).qualified();
  db::Connection admin(settings.connectOptions());
  singlestore::WriterOptions o;
  o.writePath = singlestore::WritePath::LoadData;
  // The retry waits 1.5 to 3 s: time to look at the table between the fault and the retry.
  o.retry.firstDelay = 3s;
  o.retry.maxDelay = 3s;
  singlestore::SendDataWriter writer(settings, o);
  writer.prepare();
  auto loads = [&] {
    return std::stoll(sstest::scalar(admin,
                                     "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME = 'COM_LOAD'"));
  };
  long long loadsBefore = loads();

  // Another transaction holds row 150's key: the load stores rows 0..149, then waits on it.
  constexpr int kEvents = 300;
  db::Connection other(settings.connectOptions());
  other.execute("START TRANSACTION");
  other.execute("INSERT INTO " + table + " VALUES ('{}', '2020-01-01', 'Other', '" +
                settings.tableName + "-150', 'track')");
  sstest::Payloads p;
  for (int i = 0; i < kEvents; ++i) p.track(settings.tableName + "-" + std::to_string(i));
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> r(p.size());
  std::thread sender([&] { writer.write(ptrs, r); });

  // The load, blocked halfway: killed with its connection.
  std::optional<std::string> victim;
  for (int i = 0; i < 500 && !victim; ++i) {
    auto rows =
        admin.query("SELECT ID FROM information_schema.PROCESSLIST WHERE INFO LIKE 'LOAD DATA %" +
                    settings.tableName + "%' AND TIME_MS > 300");
    if (!rows.empty() && rows[0][0]) victim = *rows[0][0];
    if (!victim) std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(victim) << "the load never waited on the held key";
  // Uncommitted rows shown too: the load's first 150 rows are there, in its open transaction.
  admin.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED");
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "151");
  admin.execute("KILL CONNECTION " + *victim);
  // Once the killed session is gone (its rollback done), nothing of the load is left: only the
  // other transaction's row. The writer's retry has not started yet.
  for (int i = 0; i < 100; ++i) {
    auto open =
        admin.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " + *victim);
    if (open[0][0] == "0") break;
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "1");
  admin.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  other.execute("ROLLBACK");
  sender.join();

  EXPECT_EQ(sstest::countOutcomes(r), "inserted=300 ") << r[0].error;
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), std::to_string(kEvents));
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(DISTINCT messageId) FROM " + table),
            std::to_string(kEvents));
  // The first attempt was a LOAD DATA; its lost answer left the rows in doubt, so the retry
  // looked them up (none stored) and inserted them.
  EXPECT_GE(loads() - loadsBefore, 1) << "the rows should have gone in with LOAD DATA";
  admin.execute("DROP TABLE " + table);
}
