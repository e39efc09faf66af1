// Retries give up at their deadline: the server is killed in the middle of a `send` run and
// not brought back. With --retry-for 5 the send exits 3 about 5 s later; the report has every
// event once, in input order; what it calls inserted really is stored; everything else is
// failed with an error — and sending the same input again once the server is back stores each
// event exactly once, so nothing was lost.
#include <gtest/gtest.h>

#include <set>

#include "reliability_support.h"

using namespace actions;
using namespace std::chrono_literals;

namespace {

constexpr int kEvents = 2000;
constexpr double kRetryFor = 5.0;

long long rowCount(const singlestore::Settings& s) {
  try {
    db::Connection c(s.connectOptions());
    return std::stoll(rel::scalar(c, "SELECT COUNT(*) FROM " + rel::qualified(s)));
  } catch (const std::exception&) {
    return -1;  // the table does not exist yet
  }
}

}  // namespace

TEST(RetryDeadline, AServerThatStaysDownEndsTheSendWithExit3AndEveryUndeliveredEventFailed) {
  rel::PrivateServer server;
  ASSERT_TRUE(server.known()) << "ACTIONS_TEST_DB_REL_DIR is not set (run through ctest)";
  ASSERT_TRUE(server.ensureRunning());
  auto settings = server.settings(rel::uniqueTable("deadline"));
  testenv::TempDir tmp;
  std::string settingsFile = server.settingsFile(tmp, settings.tableName);

  rel::CliProcess send({"send", "--settings", settingsFile, "--report", tmp.file("report.ndjson"),
                        "--batch-size", "100", "--retry-for", "5"},
                       tmp);
  ASSERT_TRUE(send.started());
  // The first half goes in while the server is up; the server dies once some of it is stored.
  ASSERT_TRUE(send.write(rel::eventLines("dd-", 0, kEvents / 2)));
  auto until = rel::Clock::now() + 30s;
  while (rowCount(settings) < 300 && rel::Clock::now() < until) std::this_thread::sleep_for(5ms);
  ASSERT_GE(rowCount(settings), 300) << "the send stored nothing within 30 s";
  // The deadline counts from the first fault, which can come as soon as the kill: a statement in
  // flight fails then, while the dying server may take a second or two to be gone (crash()
  // waits for that). So the time is taken before the kill.
  auto crashedAt = rel::Clock::now();
  ASSERT_TRUE(server.crash());
  send.write(rel::eventLines("dd-", kEvents / 2, kEvents));
  send.closeInput();
  auto exit = send.wait(60s);
  double afterCrash = rel::secondsSince(crashedAt);
  std::cout << "[ figures  ] send ended " << afterCrash << " s after the crash\n";

  ASSERT_TRUE(exit) << "send still running 60 s after the crash";
  EXPECT_EQ(*exit, 3) << send.err();
  EXPECT_GE(afterCrash, kRetryFor) << "gave up before its deadline";
  EXPECT_LE(afterCrash, kRetryFor + 8.0) << "kept going long after its deadline";

  auto report = rel::readReport(tmp.file("report.ndjson"));
  ASSERT_EQ(report.size(), static_cast<std::size_t>(kEvents));
  std::set<std::string> inserted, failed;
  for (int i = 0; i < kEvents; ++i) {
    const auto& r = report[i];
    EXPECT_EQ(r.i, i);
    EXPECT_EQ(r.messageId, "dd-" + std::to_string(i));
    if (r.outcome == "inserted") {
      inserted.insert(r.messageId);
    } else {
      EXPECT_EQ(r.outcome, "failed") << "event " << i;
      EXPECT_EQ(r.status, 503) << "event " << i << ": " << r.error;
      EXPECT_FALSE(r.error.empty()) << "event " << i << " failed without an error";
      failed.insert(r.messageId);
    }
  }
  EXPECT_GE(inserted.size(), 300u);
  EXPECT_GE(failed.size(), static_cast<std::size_t>(kEvents / 2)) << "events after the crash";

  // Back up: what the report called inserted is stored. A failed event may be stored too (its
  // statement reached the server, the answer never came back) — but at most the batches in
  // flight at the crash (2 lanes of 100).
  ASSERT_TRUE(server.restart());
  db::Connection check(settings.connectOptions());
  std::string table = rel::qualified(settings);
  auto ids = rel::storedIds(check, table);
  std::set<std::string> stored(ids.begin(), ids.end());
  EXPECT_EQ(stored.size(), ids.size()) << "a messageId is stored twice";
  for (auto& id : inserted) EXPECT_TRUE(stored.count(id)) << id << " reported inserted, not stored";
  std::size_t inDoubt = 0;
  for (auto& id : stored) {
    EXPECT_TRUE(inserted.count(id) || failed.count(id)) << id;
    inDoubt += failed.count(id);
  }
  EXPECT_LE(inDoubt, 200u);

  // The same input again: every event ends up stored exactly once.
  auto again =
      testenv::runCli("send --settings " + settingsFile + " --report " + tmp.file("again.ndjson"),
                      rel::eventLines("dd-", 0, kEvents));
  EXPECT_EQ(again.exitCode, 0) << again.err;
  auto second = rel::readReport(tmp.file("again.ndjson"));
  ASSERT_EQ(second.size(), static_cast<std::size_t>(kEvents));
  for (int i = 0; i < kEvents; ++i) {
    bool wasStored = stored.count(second[i].messageId) > 0;
    EXPECT_EQ(second[i].outcome, wasStored ? "duplicate" : "inserted") << "event " << i;
  }
  EXPECT_EQ(rel::scalar(check, "SELECT COUNT(*) FROM " + table), std::to_string(kEvents));
  EXPECT_EQ(rel::scalar(check, "SELECT COUNT(DISTINCT messageId) FROM " + table),
            std::to_string(kEvents));
  check.execute("DROP TABLE " + table);
}
