// Each payload keeps its own deadline inside one write: while the table refuses writes for a
// while (a trigger raising a transient error), the rows whose deadline passes are answered 503
// at the next retry point and never written later; the rows with time left are retried until
// the refusals stop, and stored.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(RowDeadlines, EachRowIsRetriedUntilItsOwnDeadlineAndNoLonger) {
  auto settings = sstest::settingsWithOwnTable("rowdeadline");
  std::string table = singlestore::makeTableRef(settings.dbName, settings.tableName).qualified();
  std::string window =
      singlestore::makeTableRef(settings.dbName, settings.tableName + "_window").qualified();
  db::Connection admin(settings.connectOptions());
  singlestore::WriterOptions o;
  o.retry.firstDelay = 50ms;
  o.retry.maxDelay = 200ms;
  singlestore::SendDataWriter writer(settings, o);
  writer.prepare();
  // Every write fails with a lock wait timeout for the next 2.5 s.
  admin.execute("CREATE TABLE " + window + " (until_at DATETIME(6) NOT NULL) ENGINE=Aria");
  admin.execute("INSERT INTO " + window + " VALUES (NOW(6) + INTERVAL 2500000 MICROSECOND)");
  admin.execute("CREATE TRIGGER " + settings.tableName + "_busy BEFORE INSERT ON " + table +
                " FOR EACH ROW BEGIN IF NOW(6) < (SELECT until_at FROM " + window +
                ") THEN SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = 1205, MESSAGE_TEXT = 'Lock "
                "wait timeout exceeded'; END IF; END");

  // Even rows: a deadline 1 s away (inside the window); odd rows: 15 s away.
  sstest::Payloads p;
  for (int i = 0; i < 40; ++i) p.track(settings.tableName + "-" + std::to_string(i));
  auto start = Clock::now();
  std::vector<Clock::time_point> deadlines;
  for (int i = 0; i < 40; ++i) deadlines.push_back(start + (i % 2 == 0 ? 1s : 15s));
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> r(p.size());
  writer.write(ptrs, r, deadlines);
  double took = std::chrono::duration<double>(Clock::now() - start).count();

  EXPECT_GE(took, 2.0) << "the odd rows should have waited the refusals out";
  EXPECT_LT(took, 10.0);
  for (int i = 0; i < 40; ++i) {
    if (i % 2 == 0) {
      EXPECT_EQ(r[i].outcome, kit::Outcome::Failed) << i;
      EXPECT_EQ(r[i].status, 503) << i;
      EXPECT_NE(r[i].error.find("deadline"), std::string::npos) << r[i].error;
      EXPECT_NE(r[i].error.find("Lock wait timeout"), std::string::npos) << r[i].error;
    } else {
      EXPECT_EQ(r[i].outcome, kit::Outcome::Inserted) << i << " " << r[i].error;
    }
  }
  // Never written later: only the odd rows are stored, now and after a while.
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "20");
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table +
                                      " WHERE CAST(SUBSTRING_INDEX(messageId, '-', -1) AS "
                                      "UNSIGNED) % 2 = 0"),
            "0");
  admin.execute("DROP TABLE " + table);
  admin.execute("DROP TABLE " + window);
}

TEST(RowDeadlines, OnePerPayloadOrNone) {
  auto settings = sstest::settingsWithOwnTable("rowdeadline");
  singlestore::SendDataWriter writer(settings);
  sstest::Payloads p;
  p.track("a");
  p.track("b");
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> r(p.size());
  std::vector<Clock::time_point> one{Clock::now() + 5s};
  EXPECT_THROW(writer.write(ptrs, r, one), std::invalid_argument);
}
