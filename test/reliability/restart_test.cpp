// The server SIGKILLed and restarted several times during ONE `send` run of 30,000 events:
// the send exits 0, every event is stored exactly once, and the report says inserted for each —
// duplicate only where the input itself repeats a messageId.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "reliability_support.h"

using namespace actions;
using namespace std::chrono_literals;

namespace {

constexpr int kEvents = 30000;
constexpr int kCrashes = 3;

// Input line k: event "cr-<k - repeats so far>", except every 3,000th line, which repeats the
// messageId of an event 1,000 earlier with other content (it must come out as a duplicate and
// must not replace the stored first copy).
struct Input {
  std::vector<std::string> lines;
  std::vector<std::string> ids;  // messageId of each line
  std::vector<bool> repeat;      // the line repeats an earlier messageId
};

Input makeInput() {
  Input in;
  std::string pad(600, 'p');
  int next = 0;
  for (int k = 0; next < kEvents; ++k) {
    bool rep = k % 3000 == 2999;
    std::string id = "cr-" + std::to_string(rep ? next - 1000 : next++);
    std::string line = R"({"type":"track","event":")" + std::string(rep ? "Repeat" : "Original") +
                       R"(","messageId":")" + id +
                       R"(","timestamp":"2026-01-01T00:00:00Z","properties":{"pad":")" + pad +
                       "\"}}\n";
    in.lines.push_back(std::move(line));
    in.ids.push_back(id);
    in.repeat.push_back(rep);
  }
  return in;
}

// Waits until the server is running an INSERT or a LOAD DATA into `table` (so the crash hits a
// statement in flight), for up to `within`. False when none was seen.
bool insertInFlight(const singlestore::Settings& s, std::chrono::seconds within) {
  auto until = rel::Clock::now() + within;
  try {
    db::Connection watcher(s.connectOptions());
    while (rel::Clock::now() < until) {
      // INSERT INTO `db`.`table` or LOAD DATA ... INTO TABLE `db`.`table`, not this query.
      auto rows = watcher.query(
          "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND "
          "COMMAND = 'Query' AND INFO LIKE '%INTO %" +
          s.tableName + "%'");
      if (!rows.empty() && rows[0][0] && *rows[0][0] != "0") return true;
      std::this_thread::sleep_for(2ms);
    }
  } catch (const db::Error&) {
  }
  return false;
}

}  // namespace

TEST(ServerCrashes, SeveralCrashesAndRestartsDuringOneSendLoseAndDuplicateNothing) {
  rel::PrivateServer server;
  ASSERT_TRUE(server.known()) << "ACTIONS_TEST_DB_REL_DIR is not set (run through ctest)";
  ASSERT_TRUE(server.ensureRunning());
  auto settings = server.settings(rel::uniqueTable("crash"));
  testenv::TempDir tmp;
  Input in = makeInput();

  auto start = rel::Clock::now();
  rel::CliProcess send(
      {"send", "--settings", server.settingsFile(tmp, settings.tableName), "--report",
       tmp.file("report.ndjson"), "--batch-size", "500", "--retry-for", "60"},
      tmp);
  ASSERT_TRUE(send.started());

  // The feeder paces the input (about 2,500 events a second) so the run lasts through every
  // crash, and holds back the last lines until the crashes are over: the send cannot finish
  // before them.
  std::atomic<bool> crashesDone{false};
  std::thread feeder([&] {
    const std::size_t last = in.lines.size() - 200;
    for (std::size_t k = 0; k < in.lines.size(); ++k) {
      if (k == last)
        while (!crashesDone) std::this_thread::sleep_for(10ms);
      if (!send.write(in.lines[k])) return;
      if (k % 250 == 249) std::this_thread::sleep_for(100ms);
    }
    send.closeInput();
  });

  int crashes = 0, midInsert = 0;
  for (int c = 0; c < kCrashes; ++c) {
    std::this_thread::sleep_for(1500ms);  // let some batches land since the last restart
    if (insertInFlight(settings, 10s)) ++midInsert;
    EXPECT_TRUE(send.running()) << "send ended before crash " << c + 1;
    if (!server.crash()) {
      ADD_FAILURE() << "could not crash the server (crash " << c + 1 << ")";
      break;
    }
    ++crashes;
    std::this_thread::sleep_for(700ms);
    if (!server.restart()) {
      ADD_FAILURE() << "the server did not come back after crash " << c + 1;
      break;
    }
  }
  crashesDone = true;
  feeder.join();
  auto exit = send.wait(120s);
  double seconds = rel::secondsSince(start);
  std::cout << "[ figures  ] " << crashes << " crashes (" << midInsert
            << " with a write in flight), " << in.lines.size() << " input lines, " << seconds
            << " s\n";

  ASSERT_TRUE(server.ensureRunning());
  EXPECT_EQ(crashes, kCrashes);
  ASSERT_TRUE(exit) << "send did not finish within 120 s";
  EXPECT_EQ(*exit, 0) << send.err();

  auto report = rel::readReport(tmp.file("report.ndjson"));
  ASSERT_EQ(report.size(), in.lines.size());
  int badOutcomes = 0;
  for (std::size_t k = 0; k < report.size(); ++k) {
    EXPECT_EQ(report[k].i, static_cast<long long>(k));
    EXPECT_EQ(report[k].messageId, in.ids[k]) << "line " << k;
    const char* expected = in.repeat[k] ? "duplicate" : "inserted";
    if (report[k].outcome != expected && ++badOutcomes <= 10)
      ADD_FAILURE() << "line " << k << " (" << in.ids[k] << "): " << report[k].outcome
                    << ", expected " << expected << " " << report[k].error;
  }
  EXPECT_EQ(badOutcomes, 0);

  db::Connection check(settings.connectOptions());
  std::string table = rel::qualified(settings);
  auto ids = rel::storedIds(check, table);
  std::set<std::string> distinct(ids.begin(), ids.end());
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(distinct.size(), static_cast<std::size_t>(kEvents));
  EXPECT_EQ(distinct, std::set<std::string>(in.ids.begin(), in.ids.end()));
  EXPECT_EQ(rel::scalar(check, "SELECT COUNT(*) FROM " + table + " WHERE event = 'Repeat'"), "0")
      << "a repeated messageId replaced its first copy";
  check.execute("DROP TABLE " + table);
}
