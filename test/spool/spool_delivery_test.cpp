// actions::SpoolDelivery into the fixture's database: records stored in order and exactly once,
// a row the server refuses written to the dead-letter file without holding up the records
// behind it, failed deliveries retried with backoff and the stall reported, records past their
// retry period dead-lettered, and a stopped delivery leaving its records for the next run.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/hooks.h>
#include <actions/settings.h>
#include <actions/spool.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "json/json.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string uniqueName(const std::string& stem) {
  static int n = 0;
  return stem + "_" + std::to_string(getpid()) + "_" +
         std::to_string(Clock::now().time_since_epoch().count() % 100000) + "_" +
         std::to_string(++n);
}

// The fixture's settings with `table` as tableName (JSON text).
std::string settingsText(const std::string& table) {
  std::string s = testenv::readText(testenv::settingsPath());
  s.insert(s.rfind('}'), ",\"tableName\":\"" + table + "\"");
  return s;
}

actions::Settings settingsFor(const std::string& table) {
  auto r = actions::validateSettings(settingsText(table));
  if (!r.ok()) throw std::runtime_error("the test server's settings are invalid");
  return *r.settings;
}

actions::db::Connection connect(const std::string& table) {
  auto s = actions::singlestore::parseSettings(settingsText(table), nullptr);
  return actions::db::Connection(s.settings->connectOptions());
}

long scalar(const std::string& table, const std::string& sql) {
  auto c = connect(table);
  return std::stol(*c.query(sql).at(0).at(0));
}

std::string event(const std::string& id, const std::string& name = "Order Completed") {
  return R"({"messageId":")" + id + R"(","type":"track","event":")" + name +
         R"(","timestamp":"2026-01-01T00:00:00.000Z","properties":{"n":1}})";
}

// Resolves `events` and appends the valid payloads (all of them, here) to the spool.
void spoolEvents(actions::Destination& dest, actions::Spool& spool,
                 const std::vector<std::string>& events) {
  std::vector<std::string_view> views(events.begin(), events.end());
  auto resolved = dest.resolve(views);
  std::vector<std::string_view> payloads;
  for (const auto& r : resolved) {
    ASSERT_EQ(r.result.outcome, actions::Outcome::Validated) << r.result.error;
    payloads.push_back(r.payloadJson);
  }
  auto appended = spool.append(payloads);
  ASSERT_TRUE(appended.ok()) << appended.error;
}

struct Notices {
  std::mutex m;
  std::vector<actions::SpoolNotice> all;
  actions::SpoolDelivery::Notify sink() {
    return [this](const actions::SpoolNotice& n) {
      std::lock_guard lk(m);
      all.push_back(n);
    };
  }
  std::vector<actions::SpoolNotice> of(actions::SpoolNotice::Kind kind) {
    std::lock_guard lk(m);
    std::vector<actions::SpoolNotice> out;
    for (const auto& n : all)
      if (n.kind == kind) out.push_back(n);
    return out;
  }
};

// A host's logger and metrics (SendOptions::hooks), kept for the test to read.
struct HostLog {
  std::mutex m;
  std::vector<std::pair<actions::LogLevel, std::string>> lines;
  std::map<std::string, double> counters;
  actions::SendOptions options() {
    actions::SendOptions o;
    o.hooks.log = [this](actions::LogLevel level, std::string_view message) {
      std::lock_guard lk(m);
      lines.emplace_back(level, std::string(message));
    };
    o.hooks.metric = [this](const actions::Metric& metric) {
      std::lock_guard lk(m);
      if (metric.kind == actions::Metric::Kind::Counter)
        counters[std::string(metric.name)] += metric.value;
    };
    return o;
  }
  bool logged(actions::LogLevel level, const std::string& part) {
    std::lock_guard lk(m);
    for (const auto& [l, text] : lines)
      if (l == level && text.find(part) != std::string::npos) return true;
    return false;
  }
  double counted(const std::string& name) {
    std::lock_guard lk(m);
    auto it = counters.find(name);
    return it == counters.end() ? 0 : it->second;
  }
};

TEST(SpoolDelivery, StoresEveryRecordOnceAndEmptiesTheSpool) {
  const std::string table = uniqueName("spool_once");
  actions::Destination dest(settingsFor(table));
  testenv::TempDir tmp;
  std::vector<std::string> events;
  for (int i = 0; i < 300; ++i) events.push_back(event(table + "-" + std::to_string(i)));
  {
    actions::Spool spool(tmp.file("spool"));
    for (int part = 0; part < 3; ++part)
      spoolEvents(
          dest, spool,
          std::vector<std::string>(events.begin() + part * 100, events.begin() + (part + 1) * 100));
    actions::SpoolDelivery delivery(spool, dest);
    ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
    EXPECT_EQ(delivery.stats().inserted, 300u);
    EXPECT_EQ(spool.stats().recordsWaiting, 0u);
  }
  EXPECT_EQ(scalar(table, "SELECT COUNT(DISTINCT messageId) FROM `" + table + "`"), 300);
  // The same records spooled again (a redelivery after a crash): duplicates, no second row.
  actions::Spool again(tmp.file("again"));
  spoolEvents(dest, again, events);
  actions::SpoolDelivery delivery(again, dest);
  ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
  EXPECT_EQ(delivery.stats().duplicate, 300u);
  EXPECT_EQ(delivery.stats().inserted, 0u);
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "`"), 300);
}

// Several delivery threads read batches one after another; each hands its batch to the
// Destination before the next thread reads, so a messageId spooled twice keeps its first copy
// however the threads are scheduled afterwards.
TEST(SpoolDelivery, TheFirstCopyOfAMessageIdIsStoredWhateverTheThreads) {
  const std::string table = uniqueName("spool_first_copy");
  actions::Destination dest(settingsFor(table));
  testenv::TempDir tmp;
  actions::Spool spool(tmp.file("spool"));
  for (int k = 0; k < 30; ++k) {
    for (const char* copy : {"copy 1", "copy 2"}) {
      std::vector<std::string> events;
      for (int i = 0; i < 5; ++i)
        events.push_back(event(table + "-" + std::to_string(k * 5 + i), copy));
      spoolEvents(dest, spool, events);
    }
  }
  actions::SpoolDeliveryOptions options;
  options.batchSize = 5;  // each read is one copy of five messageIds
  options.concurrency = 4;
  actions::SpoolDelivery delivery(spool, dest, options);
  ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
  EXPECT_EQ(delivery.stats().inserted, 150u);
  EXPECT_EQ(delivery.stats().duplicate, 150u);
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "` WHERE event = 'copy 1'"), 150);
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "`"), 150);
}

TEST(SpoolDelivery, ARowTheServerRefusesGoesToTheDeadLetterFileWithoutHoldingUpTheRest) {
  const std::string table = uniqueName("spool_dead");
  actions::Settings settings = settingsFor(table);
  ASSERT_TRUE(actions::testAuthentication(settings).ok);  // creates the table
  connect(table).execute("ALTER TABLE `" + table +
                         "` ADD CONSTRAINT spool_no_poison CHECK (event <> 'Poison')");
  HostLog host;
  actions::Destination dest(settings, host.options());
  testenv::TempDir tmp;
  std::vector<std::string> events;
  for (int i = 0; i < 20; ++i)
    events.push_back(event(table + "-" + std::to_string(i), i == 7 ? "Poison" : "Fine"));
  actions::Spool spool(tmp.file("spool"));
  spoolEvents(dest, spool, events);
  Notices notices;
  actions::SpoolDelivery delivery(spool, dest, {}, notices.sink());
  ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
  EXPECT_EQ(delivery.stats().inserted, 19u);
  EXPECT_EQ(delivery.stats().deadLettered, 1u);
  EXPECT_EQ(spool.stats().recordsWaiting, 0u);
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "`"), 19);
  EXPECT_EQ(
      scalar(table, "SELECT COUNT(*) FROM `" + table + "` WHERE messageId = '" + table + "-19'"),
      1);

  auto lines = testenv::nonEmptyLines(testenv::readText(tmp.file("spool/dead-letters.ndjson")));
  ASSERT_EQ(lines.size(), 1u);
  actions::json::Document d;
  ASSERT_FALSE(actions::json::parse(lines[0], d)) << lines[0];
  EXPECT_EQ(std::string(d["messageId"].GetString()), table + "-7");
  EXPECT_EQ(d["status"].GetInt(), 400);
  EXPECT_NE(std::string(d["error"].GetString()).find("refused"), std::string::npos) << lines[0];
  EXPECT_NE(std::string(d["payload"].GetString()).find("Poison"), std::string::npos);
  EXPECT_TRUE(d.HasMember("acceptedAt") && d.HasMember("time") && d.HasMember("sequence"));
  auto dead = notices.of(actions::SpoolNotice::Kind::DeadLettered);
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_EQ(dead[0].events, 1u);
  EXPECT_EQ(dead[0].path, tmp.file("spool") + "/dead-letters.ndjson");
  EXPECT_TRUE(notices.of(actions::SpoolNotice::Kind::Stalled).empty());
  // The host's hooks heard of it too: an error line naming the file, and the counter.
  EXPECT_TRUE(host.logged(actions::LogLevel::Error, "dead-letter file " + dead[0].path));
  EXPECT_EQ(host.counted("actions_singlestore.spool.dead_lettered"), 1);
  EXPECT_EQ(host.counted("actions_singlestore.spool.stalls"), 0);
}

TEST(SpoolDelivery, AStallReachesTheDestinationsHooksWithoutANotifyFunction) {
  // A Destination whose server refuses connections: the delivery fails, keeps its records, and
  // says so through the host's logger and metrics.
  unsigned port = testenv::closedPort();
  auto settings =
      actions::validateSettings(R"({"host":"127.0.0.1","port":)" + std::to_string(port) +
                                R"(,"username":"u","password":"pw","dbName":"d"})");
  ASSERT_TRUE(settings.ok());
  HostLog host;
  actions::SendOptions options = host.options();
  options.retryFor = std::chrono::milliseconds(100);
  actions::Destination dest(*settings.settings, options);
  actions::Destination resolver(settingsFor(uniqueName("spool_stall")));
  testenv::TempDir tmp;
  actions::Spool spool(tmp.file("spool"));
  spoolEvents(resolver, spool, {event("stall-0"), event("stall-1")});
  {
    actions::SpoolDelivery delivery(spool, dest);
    const auto until = Clock::now() + 30s;
    while (!host.logged(actions::LogLevel::Warn, "spool delivery stalled with 2 events waiting") &&
           Clock::now() < until)
      std::this_thread::sleep_for(20ms);
    EXPECT_TRUE(
        host.logged(actions::LogLevel::Warn, "spool delivery stalled with 2 events waiting"));
    EXPECT_GE(host.counted("actions_singlestore.spool.stalls"), 1);
    EXPECT_TRUE(delivery.stats().stalled);
  }
  EXPECT_EQ(spool.stats().recordsWaiting, 2u);  // kept for the next run
}

TEST(SpoolDelivery, FailedDeliveriesAreRetriedWithBackoffAndTheStallAndRecoveryReported) {
  const std::string table = uniqueName("spool_retry");
  actions::Destination dest(settingsFor(table));
  testenv::TempDir tmp;
  actions::Spool spool(tmp.file("spool"));
  std::vector<std::string> events;
  for (int i = 0; i < 50; ++i) events.push_back(event(table + "-" + std::to_string(i)));
  spoolEvents(dest, spool, events);
  // The database "away" for the first three calls, as performPayloads answers then.
  std::atomic<int> calls{0};
  auto deliver = [&](const std::vector<std::string_view>& payloads) {
    if (calls.fetch_add(1) < 3) {
      std::vector<actions::EventResult> failed(payloads.size());
      for (auto& r : failed) {
        r.outcome = actions::Outcome::Failed;
        r.status = 503;
        r.errorType = "RETRYABLE_ERROR";
        r.error = "the database is away (test)";
      }
      return failed;
    }
    return dest.performPayloads(payloads);
  };
  actions::SpoolDeliveryOptions options;
  options.firstBackoff = 10ms;
  options.concurrency = 1;
  Notices notices;
  actions::SpoolDelivery delivery(spool, deliver, options, notices.sink());
  ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
  EXPECT_EQ(delivery.stats().retries, 3u);
  EXPECT_EQ(delivery.stats().inserted, 50u);
  EXPECT_FALSE(delivery.stats().stalled);
  EXPECT_EQ(delivery.stats().lastError, "the database is away (test)");
  auto stalled = notices.of(actions::SpoolNotice::Kind::Stalled);
  auto recovered = notices.of(actions::SpoolNotice::Kind::Recovered);
  ASSERT_EQ(stalled.size(), 1u);
  EXPECT_EQ(stalled[0].error, "the database is away (test)");
  EXPECT_EQ(stalled[0].events, 50u);
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_EQ(recovered[0].retries, 3u);
  EXPECT_GT(recovered[0].seconds, 0.0);
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "`"), 50);
}

TEST(SpoolDelivery, RecordsPastTheirRetryPeriodAreDeadLetteredNotDropped) {
  testenv::TempDir tmp;
  actions::Spool spool(tmp.file("spool"));
  std::vector<std::string> payloads = {R"({"messageId":"a"})", R"({"messageId":"b"})"};
  ASSERT_TRUE(spool.append({payloads[0], payloads[1]}).ok());
  auto deliver = [](const std::vector<std::string_view>& p) {
    std::vector<actions::EventResult> out(p.size());
    for (auto& r : out) {
      r.status = 503;
      r.error = "cannot connect";
    }
    return out;
  };
  actions::SpoolDeliveryOptions options;
  options.retryFor = 0ms;
  actions::SpoolDelivery delivery(spool, deliver, options);
  ASSERT_TRUE(delivery.drain(Clock::now() + 30s));
  EXPECT_EQ(delivery.stats().deadLettered, 2u);
  auto lines = testenv::nonEmptyLines(testenv::readText(tmp.file("spool/dead-letters.ndjson")));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_NE(lines[0].find("not delivered within the retry period (0 s): cannot connect"),
            std::string::npos)
      << lines[0];
  EXPECT_NE(lines[1].find(R"(\"messageId\":\"b\")"), std::string::npos) << lines[1];
}

TEST(SpoolDelivery, AStoppedDeliveryLeavesItsRecordsForTheNextRun) {
  const std::string table = uniqueName("spool_resume");
  actions::Destination dest(settingsFor(table));
  testenv::TempDir tmp;
  std::vector<std::string> events;
  for (int i = 0; i < 100; ++i) events.push_back(event(table + "-" + std::to_string(i)));
  {
    actions::Spool spool(tmp.file("spool"));
    spoolEvents(dest, spool, events);
    std::atomic<int> calls{0};
    auto down = [&](const std::vector<std::string_view>& p) {
      ++calls;
      std::vector<actions::EventResult> out(p.size());
      for (auto& r : out) r.error = "down";
      return out;
    };
    actions::SpoolDelivery delivery(spool, down);
    while (calls.load() == 0) std::this_thread::sleep_for(1ms);
    EXPECT_FALSE(delivery.drain(Clock::now() + 10ms));
    delivery.stop();
    EXPECT_EQ(spool.stats().recordsWaiting, 100u);
  }
  actions::Spool spool(tmp.file("spool"));
  EXPECT_EQ(spool.recovery().recordsWaiting, 100u);
  actions::SpoolDelivery delivery(spool, dest);
  ASSERT_TRUE(delivery.drain(Clock::now() + 60s));
  EXPECT_EQ(scalar(table, "SELECT COUNT(*) FROM `" + table + "`"), 100);
}

}  // namespace
