// actions::Destination (the live destination) and the Sender's linger and flush, against the
// throwaway server. Rows are counted with a connection of the test's own.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/sender.h>
#include <actions/settings.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
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

// A loopback port nothing listens on.
unsigned closedPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
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
  std::string changed = R"({"host":"127.0.0.1","port":)" + std::to_string(closedPort()) +
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

}  // namespace
