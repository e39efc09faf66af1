// actions::Destination (the live destination) and the Sender's linger and flush, against the
// throwaway server. Rows are counted with a connection of the test's own.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/hooks.h>
#include <actions/multistatus.h>
#include <actions/sender.h>
#include <actions/settings.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::string settingsText() {
  return testenv::readText(testenv::settingsPath());
}

actions::Settings serverSettings() {
  auto r = actions::validateSettings(settingsText());
  if (!r.ok()) throw std::runtime_error("the test server's settings are invalid");
  return *r.settings;
}

std::string uniqueId(const std::string& name) {
  static const std::string run =
      std::to_string(getpid()) + "-" + std::to_string(Clock::now().time_since_epoch().count());
  return "dest-" + run + "-" + name;
}

std::string trackEvent(const std::string& id, const std::string& name = "Order Completed") {
  return R"({"messageId":")" + id + R"(","type":"track","event":")" + name +
         R"(","timestamp":"2024-05-01T10:00:00.123456Z","properties":{"n":1}})";
}

// Rows stored under `messageId` in the settings' table.
long rowsWithId(const std::string& messageId) {
  auto s = actions::singlestore::parseSettings(settingsText(), nullptr);
  actions::db::Connection c(s.settings->connectOptions());
  std::string sql = "SELECT COUNT(*) FROM `" + s.settings->dbName + "`.`" + s.settings->tableName +
                    "` WHERE messageId = '";
  c.appendEscaped(messageId, sql);
  sql += "'";
  auto rows = c.query(sql);
  return std::stol(*rows.at(0).at(0));
}

TEST(Destination, PerformStoresOnceAndAnswersRepeatsDuplicate) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("perform");
  actions::EventResult first = dest.perform(trackEvent(id));
  EXPECT_EQ(first.outcome, actions::Outcome::Inserted) << first.error;
  EXPECT_EQ(first.status, 200);
  ASSERT_TRUE(first.messageId);
  EXPECT_EQ(*first.messageId, id);
  actions::EventResult again = dest.perform(trackEvent(id));
  EXPECT_EQ(again.outcome, actions::Outcome::Duplicate);
  EXPECT_EQ(rowsWithId(id), 1);
}

TEST(Destination, PerformBatchAnswersEveryEventInOrder) {
  actions::SendOptions options;
  options.subscription = "type = \"track\"";
  actions::Destination dest(serverSettings(), options);
  std::string ok = uniqueId("batch-ok"), dup = uniqueId("batch-dup");
  std::vector<std::string> texts = {
      trackEvent(ok),
      "{not json",
      R"({"messageId":")" + uniqueId("batch-noevent") +
          R"(","type":"track","timestamp":"2024-05-01T10:00:00Z"})",
      R"({"messageId":")" + uniqueId("batch-identify") +
          R"(","type":"identify","timestamp":"2024-05-01T10:00:00Z"})",
      trackEvent(dup),
      trackEvent(dup),
  };
  std::vector<std::string_view> views(texts.begin(), texts.end());
  auto r = dest.performBatch(views);
  ASSERT_EQ(r.size(), texts.size());
  EXPECT_EQ(r[0].outcome, actions::Outcome::Inserted) << r[0].error;
  EXPECT_EQ(r[1].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(r[1].status, 400);
  EXPECT_NE(r[1].error.find("JSON"), std::string::npos) << r[1].error;
  EXPECT_EQ(r[2].outcome, actions::Outcome::Rejected);
  EXPECT_NE(r[2].error.find("event"), std::string::npos) << r[2].error;
  EXPECT_EQ(r[3].outcome, actions::Outcome::Skipped);
  EXPECT_EQ(r[4].outcome, actions::Outcome::Inserted) << r[4].error;
  EXPECT_EQ(r[5].outcome, actions::Outcome::Duplicate);
  EXPECT_EQ(rowsWithId(dup), 1);
}

TEST(Destination, ConcurrentCallsShareDeliveriesAndConnections) {
  actions::SendOptions options;
  options.parallel = 2;
  actions::Destination dest(serverSettings(), options);
  constexpr int kThreads = 8, kCalls = 40;
  std::atomic<int> inserted{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c) {
        auto r = dest.perform(
            trackEvent(uniqueId("conc-" + std::to_string(t) + "-" + std::to_string(c))));
        (r.outcome == actions::Outcome::Inserted ? inserted : other)++;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(inserted, kThreads * kCalls);
  EXPECT_EQ(other, 0);
  actions::DestinationStats s = dest.stats();
  EXPECT_EQ(s.events, static_cast<std::uint64_t>(kThreads * kCalls));
  EXPECT_EQ(s.inserted, static_cast<std::uint64_t>(kThreads * kCalls));
  // Calls that arrived while a connection was writing went out together.
  EXPECT_LT(s.deliveries, static_cast<std::uint64_t>(kThreads * kCalls));
  EXPECT_LE(s.connectionsOpened, 2u);
  EXPECT_EQ(s.queued, 0u);
}

TEST(Destination, CopiesOfOneMessageIdFromManyThreadsAreStoredOnce) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("race");
  std::atomic<int> inserted{0}, duplicate{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      auto r = dest.perform(trackEvent(id));
      if (r.outcome == actions::Outcome::Inserted) ++inserted;
      if (r.outcome == actions::Outcome::Duplicate) ++duplicate;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(inserted, 1);
  EXPECT_EQ(duplicate, 5);
  EXPECT_EQ(rowsWithId(id), 1);
}

TEST(Destination, PerformPayloadsDeliversPayloadsAsGiven) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("payload");
  std::string payload = R"({"messageId":")" + id +
                        R"(","timestamp":"2024-05-01T10:00:00Z","type":"track","event":"E",)"
                        R"("message":{"custom":"shape"}})";
  std::string tooLong = R"({"messageId":")" + std::string(300, 'x') +
                        R"(","timestamp":"2024-05-01T10:00:00Z","type":"track","event":"E",)"
                        R"("message":{}})";
  std::vector<std::string_view> views{payload, tooLong, "[1]"};
  auto r = dest.performPayloads(views);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].outcome, actions::Outcome::Inserted) << r[0].error;
  EXPECT_EQ(r[1].outcome, actions::Outcome::Rejected);
  EXPECT_NE(r[1].error.find("255"), std::string::npos) << r[1].error;
  EXPECT_EQ(r[2].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(rowsWithId(id), 1);
}

TEST(Destination, ResolveHandsBackPayloadsThatPerformPayloadsDelivers) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("resolve");
  std::string notSubscribed = R"({"messageId":"x","type":"bogus"})";
  std::string invalid = R"({"type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"})";
  std::string first = trackEvent(id);
  std::vector<std::string_view> events{first, notSubscribed, invalid, "nope"};
  auto resolved = dest.resolve(events);
  ASSERT_EQ(resolved.size(), 4u);
  EXPECT_EQ(resolved[0].result.outcome, actions::Outcome::Validated) << resolved[0].result.error;
  EXPECT_EQ(resolved[0].result.messageId.value_or(""), id);
  EXPECT_NE(resolved[0].payloadJson.find("\"messageId\":\"" + id + "\""), std::string::npos)
      << resolved[0].payloadJson;
  EXPECT_EQ(resolved[1].result.outcome, actions::Outcome::Skipped);
  EXPECT_EQ(resolved[2].result.outcome, actions::Outcome::Rejected);
  EXPECT_EQ(resolved[3].result.outcome, actions::Outcome::Rejected);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_TRUE(resolved[i].payloadJson.empty());
  // Nothing was delivered or counted by resolve().
  EXPECT_EQ(rowsWithId(id), 0);
  EXPECT_EQ(dest.stats().events, 0u);

  std::vector<std::string_view> payloads{resolved[0].payloadJson};
  auto r = dest.performPayloads(payloads);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].outcome, actions::Outcome::Inserted) << r[0].error;
  EXPECT_EQ(rowsWithId(id), 1);
}

TEST(Destination, AnUnreachableServerIsAnsweredWithinRetryFor) {
  std::string text = settingsText();
  auto s = actions::singlestore::parseSettings(text, nullptr);
  std::string changed = R"({"host":"127.0.0.1","port":)" + std::to_string(testenv::closedPort()) +
                        R"(,"username":"u","password":"p","dbName":"d"})";
  auto check = actions::validateSettings(changed);
  ASSERT_TRUE(check.ok());
  actions::SendOptions options;
  options.retryFor = 1500ms;
  actions::Destination dest(*check.settings, options);
  auto start = Clock::now();
  auto r = dest.perform(trackEvent(uniqueId("unreachable")));
  double took = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(r.outcome, actions::Outcome::Failed);
  EXPECT_EQ(r.status, 503) << r.error;
  EXPECT_GE(took, 1.0);  // it did retry
  EXPECT_LT(took, 8.0);
  EXPECT_GT(dest.stats().retries, 0u);
  EXPECT_FALSE(dest.checkConnection().empty());
}

TEST(Destination, ChecksTheConnection) {
  actions::Destination dest(serverSettings());
  EXPECT_EQ(dest.checkConnection(), "");
}

TEST(Destination, DryRunValidatesWithoutDelivering) {
  actions::SendOptions options;
  options.dryRun = true;
  actions::Destination dest(serverSettings(), options);
  std::string id = uniqueId("dry");
  auto r = dest.perform(trackEvent(id));
  EXPECT_EQ(r.outcome, actions::Outcome::Validated);
  EXPECT_EQ(rowsWithId(id), 0);
}

TEST(SenderLinger, ATrickleIsStoredWithoutWaitingForABatchOrTheEnd) {
  actions::Settings settings = serverSettings();
  actions::SendOptions options;
  options.linger = 100ms;
  std::atomic<int> records{0};
  actions::Sender sender(&settings, options, [&](const actions::EventRecord&) { ++records; });
  std::string id = uniqueId("linger");
  std::string text = trackEvent(id);
  sender.add(0, text);
  auto start = Clock::now();
  while (rowsWithId(id) == 0 && Clock::now() - start < 5s) std::this_thread::sleep_for(20ms);
  double took = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(rowsWithId(id), 1);
  EXPECT_LT(took, 3.0);  // neither a batch of 1000 nor the end of input was waited for
  sender.finish();
  EXPECT_EQ(records, 1);
  EXPECT_THROW(sender.add(1, text), std::logic_error);
  EXPECT_THROW(sender.flush(), std::logic_error);
}

TEST(SenderFlush, FlushDeliversAndRecordsEverythingSoFar) {
  actions::Settings settings = serverSettings();
  actions::SendOptions options;
  options.linger = std::chrono::hours(1);
  std::vector<actions::Outcome> outcomes;
  actions::Sender sender(&settings, options,
                         [&](const actions::EventRecord& r) { outcomes.push_back(r.outcome); });
  std::vector<std::string> ids = {uniqueId("flush-1"), uniqueId("flush-2"), uniqueId("flush-3")};
  for (std::size_t i = 0; i < ids.size(); ++i) sender.add(i, trackEvent(ids[i]));
  sender.flush();
  ASSERT_EQ(outcomes.size(), 3u);
  for (auto o : outcomes) EXPECT_EQ(o, actions::Outcome::Inserted);
  for (const auto& id : ids) EXPECT_EQ(rowsWithId(id), 1);
  sender.add(3, trackEvent(ids[0]));
  sender.finish();
  ASSERT_EQ(outcomes.size(), 4u);
  EXPECT_EQ(outcomes[3], actions::Outcome::Duplicate);
}

TEST(Destination, EachDestinationHasItsOwnPoolAndFigures) {
  // One with a single connection, made first; one with four, made second and kept busy. Each
  // opens its own connections and counts only its own.
  actions::SendOptions one, four;
  one.parallel = 1;
  four.parallel = 4;
  actions::Destination narrow(serverSettings(), one);
  ASSERT_EQ(narrow.perform(trackEvent(uniqueId("narrow"))).outcome, actions::Outcome::Inserted);
  actions::Destination wide(serverSettings(), four);
  constexpr int kThreads = 8, kCalls = 15, kEvents = 40;
  std::atomic<std::uint64_t> mostOpen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int c = 0; c < kCalls; ++c) {
        std::vector<std::string> events;
        for (int e = 0; e < kEvents; ++e)
          events.push_back(trackEvent(uniqueId("wide-" + std::to_string(t) + "-" +
                                               std::to_string(c) + "-" + std::to_string(e))));
        for (const auto& r : wide.performBatch(events))
          EXPECT_EQ(r.outcome, actions::Outcome::Inserted) << r.error;
        std::uint64_t open = wide.stats().connectionsOpen, seen = mostOpen.load();
        while (open > seen && !mostOpen.compare_exchange_weak(seen, open)) {
        }
      }
    });
  for (auto& t : threads) t.join();
  actions::DestinationStats w = wide.stats(), n = narrow.stats();
  EXPECT_GT(w.connectionsOpened, 1u);  // not held to the first Destination's one connection
  EXPECT_LE(w.connectionsOpened, 4u);
  EXPECT_LE(mostOpen.load(), 4u);
  EXPECT_EQ(w.events, static_cast<std::uint64_t>(kThreads * kCalls * kEvents));
  EXPECT_EQ(n.connectionsOpened, 1u);  // its own, untouched by the other's work
  EXPECT_EQ(n.connectionsOpen, 1u);
  EXPECT_EQ(n.events, 1u);
  EXPECT_EQ(n.deliveries, 1u);
}

TEST(Destination, PerformBatchTakesTheTextsAsTheHostHoldsThem) {
  actions::Destination dest(serverSettings());
  std::vector<std::string> owned = {trackEvent(uniqueId("owned-1")), "{bad"};
  auto fromOwned = dest.performBatch(owned);
  ASSERT_EQ(fromOwned.size(), 2u);
  EXPECT_EQ(fromOwned[0].outcome, actions::Outcome::Inserted) << fromOwned[0].error;
  EXPECT_EQ(fromOwned[1].outcome, actions::Outcome::Rejected);

  std::string a = trackEvent(uniqueId("array-1")), b = trackEvent(uniqueId("array-2"));
  std::array<std::string_view, 2> views{a, b};
  auto fromArray = dest.performBatch(views);
  ASSERT_EQ(fromArray.size(), 2u);
  EXPECT_EQ(fromArray[1].messageId.value_or(""), uniqueId("array-2"));

  auto fromPointer = dest.performBatch(actions::EventTexts(views.data(), 1));
  ASSERT_EQ(fromPointer.size(), 1u);
  EXPECT_EQ(fromPointer[0].outcome, actions::Outcome::Duplicate);

  auto fromList = dest.performBatch({a, b, trackEvent(uniqueId("list-3"))});
  ASSERT_EQ(fromList.size(), 3u);
  EXPECT_EQ(fromList[2].outcome, actions::Outcome::Inserted);
  EXPECT_EQ(rowsWithId(uniqueId("list-3")), 1);
}

TEST(Destination, ACallCanAskForThePayloadsItDelivered) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("with-payloads");
  actions::CallOptions call;
  call.withPayloads = true;
  auto r = dest.performBatch({trackEvent(id), R"({"type":"track"})"}, call);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_NE(r[0].payloadJson.find("\"messageId\":\"" + id + "\""), std::string::npos)
      << r[0].payloadJson;
  EXPECT_TRUE(r[1].payloadJson.empty());
  std::string entry;
  actions::appendMultiStatusEntry(r[0], entry);
  EXPECT_EQ(entry.rfind(R"({"status":200,"body":{"outcome":"inserted"},"sent":{)", 0), 0u) << entry;
  EXPECT_TRUE(dest.perform(trackEvent(uniqueId("without"))).payloadJson.empty());
}

TEST(Destination, AnEventOverTheSizeLimitIsRefusedWithItsMessageId) {
  actions::SendOptions options;
  options.maxEventBytes = 300;
  actions::Destination dest(serverSettings(), options);
  std::string id = uniqueId("too-large");
  std::string big = R"({"type":"track","event":"E","properties":{"blob":")" +
                    std::string(400, 'x') + R"("},"messageId":")" + id + R"("})";
  auto r = dest.performBatch({big, trackEvent(uniqueId("small"))});
  EXPECT_EQ(r[0].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(r[0].status, 413);
  EXPECT_EQ(r[0].errorType, "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(r[0].messageId.value_or("(none)"), id);
  EXPECT_EQ(r[1].outcome, actions::Outcome::Inserted);
  EXPECT_EQ(rowsWithId(id), 0);
}

// What a host's hooks were told.
struct Recorded {
  std::mutex m;
  std::vector<std::pair<actions::LogLevel, std::string>> logs;
  std::map<std::string, double> counters;  // name[:tag=value] -> sum
  std::map<std::string, int> histograms;   // name -> samples
  actions::Hooks hooks() {
    actions::Hooks h;
    h.log = [this](actions::LogLevel level, std::string_view message) {
      std::lock_guard lock(m);
      logs.emplace_back(level, std::string(message));
    };
    h.metric = [this](const actions::Metric& metric) {
      std::lock_guard lock(m);
      std::string key(metric.name);
      for (std::size_t i = 0; i < metric.tagCount; ++i)
        key += ":" + std::string(metric.tags[i].name) + "=" + std::string(metric.tags[i].value);
      if (metric.kind == actions::Metric::Kind::Counter)
        counters[key] += metric.value;
      else
        ++histograms[key];
    };
    return h;
  }
};

TEST(Destination, TheHostsHooksHearOfDeliveriesAndOutcomes) {
  Recorded seen;
  actions::SendOptions options;
  options.hooks = seen.hooks();
  actions::Destination dest(serverSettings(), options);
  auto r = dest.performBatch(
      {trackEvent(uniqueId("hooks-1")), trackEvent(uniqueId("hooks-2")), R"({"type":"track"})"});
  ASSERT_EQ(r[0].outcome, actions::Outcome::Inserted);
  std::lock_guard lock(seen.m);
  EXPECT_EQ(seen.counters["actions_singlestore.events:outcome=inserted"], 2);
  EXPECT_EQ(seen.counters["actions_singlestore.events:outcome=rejected"], 1);
  // One sample per delivery (the two payloads may go to two connections).
  auto deliveries = static_cast<int>(dest.stats().deliveries);
  EXPECT_GE(deliveries, 1);
  EXPECT_EQ(seen.histograms["actions_singlestore.delivery.payloads"], deliveries);
  EXPECT_EQ(seen.histograms["actions_singlestore.delivery.duration_ms"], deliveries);
  EXPECT_TRUE(seen.logs.empty());  // nothing went wrong: nothing to say
}

TEST(Destination, TheHostsLoggerHearsOfFaultsRetriedAndFailures) {
  Recorded seen;
  auto check = actions::validateSettings(R"({"host":"127.0.0.1","port":)" +
                                         std::to_string(testenv::closedPort()) +
                                         R"(,"username":"u","password":"p","dbName":"d"})");
  ASSERT_TRUE(check.ok());
  actions::SendOptions options;
  options.retryFor = 400ms;
  options.hooks = seen.hooks();
  actions::Destination dest(*check.settings, options);
  auto r = dest.perform(trackEvent(uniqueId("hooks-down")));
  EXPECT_EQ(r.outcome, actions::Outcome::Failed);
  std::lock_guard lock(seen.m);
  EXPECT_GT(seen.counters["actions_singlestore.retries"], 0);
  EXPECT_EQ(seen.counters["actions_singlestore.events:outcome=failed"], 1);
  bool warned = false, retried = false;
  for (const auto& [level, message] : seen.logs) {
    warned =
        warned || (level == actions::LogLevel::Warn && message.find("failed") != std::string::npos);
    retried = retried ||
              (level == actions::LogLevel::Info && message.find("retried") != std::string::npos);
    EXPECT_EQ(message.find("\"p\""), std::string::npos);
  }
  EXPECT_TRUE(warned);
  EXPECT_TRUE(retried);
}

TEST(Destination, AsynchronousPayloadsAndTheFutureForm) {
  actions::Destination dest(serverSettings());
  std::string id = uniqueId("async-payload");
  std::string payload = R"({"messageId":")" + id +
                        R"(","timestamp":"2024-05-01T10:00:00Z","type":"track","event":"E",)"
                        R"("message":{"k":1}})";
  auto future = dest.performPayloadsAsync(std::vector<std::string>{payload, "[1]"});
  auto results = future.get();
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].outcome, actions::Outcome::Inserted) << results[0].error;
  EXPECT_EQ(results[1].outcome, actions::Outcome::Rejected);
  // A call that needs no database is answered on the calling thread before it returns.
  bool answered = false;
  dest.performBatchAsync({"{not json"}, [&](std::vector<actions::EventResult> r) {
    answered = r.at(0).outcome == actions::Outcome::Rejected;
  });
  EXPECT_TRUE(answered);
  EXPECT_EQ(rowsWithId(id), 1);
}

TEST(SenderLimits, AnEventOverTheSizeLimitIsRejectedWithItsMessageId) {
  actions::SendOptions options;
  options.dryRun = true;
  options.maxEventBytes = 180;
  std::vector<std::pair<int, std::string>> seen;
  actions::Sender sender(nullptr, options, [&](const actions::EventRecord& r) {
    seen.emplace_back(r.status, std::string(r.messageId.value_or("(none)")));
  });
  sender.add(0, R"({"messageId":"big","type":"track","event":")" + std::string(200, 'e') + R"("})");
  sender.add(1, trackEvent("fits"));
  sender.finish();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], (std::pair<int, std::string>{413, "big"}));
  EXPECT_EQ(seen[1].first, 200);
}

}  // namespace
