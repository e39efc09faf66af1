// A stalled database (SIGSTOP: the port still accepts connections and statements, nothing
// answers) must cost a caller its own budget and no more: the network read timeout (60 s) and
// the connect timeout (10 s) are far longer, so every wait — a free connection, connecting, an
// answer — follows the time left (db/io_deadline.h). And what was answered failed is never
// written once the server resumes: the writes run in transactions that die with their
// connection. The readiness check has a short bound of its own.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/sender.h>
#include <actions/settings.h>

#include "reliability_support.h"
#include "singlestore/send_data_writer.h"

using namespace actions;
using namespace std::chrono_literals;

namespace {

constexpr double kBudget = 3.0;
constexpr double kMargin = 0.6;  // scheduling on a busy machine; the deadline itself is exact

std::string trackEvent(const std::string& id) {
  return R"({"messageId":")" + id +
         R"(","type":"track","event":"Stalled","timestamp":"2026-01-01T00:00:00Z"})";
}

long long storedWithId(const singlestore::Settings& s, const std::string& id) {
  db::Connection c(s.connectOptions());
  return std::stoll(rel::scalar(
      c, "SELECT COUNT(*) FROM " + rel::qualified(s) + " WHERE messageId = '" + id + "'"));
}

class StalledServer : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.known()) << "ACTIONS_TEST_DB_REL_DIR is not set (run through ctest)";
    ASSERT_TRUE(server_.ensureRunning());
    settings_ = server_.settings(rel::uniqueTable("stall"));
    singlestore::SendDataWriter(settings_).prepare();
    auto check = actions::loadSettingsFile(server_.settingsFile(tmp_, settings_.tableName));
    ASSERT_TRUE(check.ok()) << (check.problems.empty() ? "" : check.problems[0]);
    publicSettings_.emplace(*check.settings);
  }
  void TearDown() override {
    db::Connection c(settings_.connectOptions());
    c.execute("DROP TABLE IF EXISTS " + rel::qualified(settings_));
  }

  actions::SendOptions options() const {
    actions::SendOptions o;
    o.retryFor = std::chrono::milliseconds(static_cast<int>(kBudget * 1000));
    return o;
  }

  // After the server resumed: `id` stays unwritten (polled for a second: a statement the server
  // had taken in would run now).
  void expectNeverWritten(const std::string& id) {
    for (int i = 0; i < 10; ++i) {
      ASSERT_EQ(storedWithId(settings_, id), 0) << id << " written after its answer";
      std::this_thread::sleep_for(100ms);
    }
  }

  rel::PrivateServer server_;
  testenv::TempDir tmp_;
  singlestore::Settings settings_;
  std::optional<actions::Settings> publicSettings_;
};

}  // namespace

TEST_F(StalledServer, APerformOnAnOpenConnectionAnswersWithinItsBudget) {
  actions::Destination dest(*publicSettings_, options());
  // A connection is open and idle: the next statement goes straight into the stalled server.
  ASSERT_EQ(dest.perform(trackEvent(settings_.tableName + "-warm")).outcome,
            actions::Outcome::Inserted);
  std::string id = settings_.tableName + "-stalled";
  rel::Stalled stall(server_);
  ASSERT_TRUE(stall.stopped());
  auto start = rel::Clock::now();
  actions::EventResult r = dest.perform(trackEvent(id));
  double took = rel::secondsSince(start);
  std::cout << "[ figures  ] perform answered " << took << " s into a stall, budget " << kBudget
            << " s\n";
  EXPECT_LT(took, kBudget + kMargin) << "the stall cost more than the budget";
  EXPECT_EQ(r.outcome, actions::Outcome::Failed);
  EXPECT_EQ(r.status, 503) << r.error;
  stall.resume();
  expectNeverWritten(id);
  // The destination recovers: the same event is stored once.
  EXPECT_EQ(dest.perform(trackEvent(id)).outcome, actions::Outcome::Inserted);
}

TEST_F(StalledServer, APerformThatMustConnectAnswersWithinItsBudget) {
  std::string id = settings_.tableName + "-cold";
  rel::Stalled stall(server_);
  ASSERT_TRUE(stall.stopped());
  // A new destination: its first call connects, and the handshake never comes.
  actions::Destination dest(*publicSettings_, options());
  auto start = rel::Clock::now();
  actions::EventResult r = dest.perform(trackEvent(id));
  double took = rel::secondsSince(start);
  std::cout << "[ figures  ] perform (connecting) answered " << took << " s into a stall\n";
  EXPECT_LT(took, kBudget + kMargin);
  EXPECT_EQ(r.status, 503) << r.error;
  stall.resume();
  expectNeverWritten(id);
}

TEST_F(StalledServer, AWriterWithoutDeadlinesStopsWaitingAtItsRetryBudget) {
  // As `send --retry-for 3` drives it: no caller deadline, only the retry budget — a wait that
  // long is itself the fault that uses the budget up.
  singlestore::WriterOptions o;
  o.retry.retryFor = 3s;
  singlestore::SendDataWriter writer(settings_, o);
  writer.prepare();
  json::Document payload;
  std::string id = settings_.tableName + "-writer";
  ASSERT_FALSE(json::parse(R"({"messageId":")" + id +
                               R"(","timestamp":"2026-01-01T00:00:00Z","type":"track",)"
                               R"("event":"Stalled","message":{},"max_batch_size":100})",
                           payload));
  const json::Value* payloads[] = {&payload};
  kit::EventResult results[1];
  rel::Stalled stall(server_);
  ASSERT_TRUE(stall.stopped());
  auto start = rel::Clock::now();
  writer.write(payloads, results);
  double took = rel::secondsSince(start);
  EXPECT_LT(took, kBudget + kMargin);
  EXPECT_EQ(results[0].status, 503) << results[0].error;
  stall.resume();
  expectNeverWritten(id);
}

TEST_F(StalledServer, TheReadinessCheckAnswersWithinItsBoundNamingNoAddressOrUser) {
  singlestore::SendDataWriter writer(settings_);
  rel::Stalled stall(server_);
  ASSERT_TRUE(stall.stopped());
  auto start = rel::Clock::now();
  singlestore::ConnectionCheck c = writer.check(2s);
  double took = rel::secondsSince(start);
  EXPECT_LT(took, 2.0 + kMargin);
  EXPECT_FALSE(c.ready());
  EXPECT_EQ(c.reason.find(settings_.host), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find(std::to_string(settings_.port)), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find(settings_.username), std::string::npos) << c.reason;
  EXPECT_FALSE(c.detail.empty());
  // Through the public API, with its default bound.
  actions::Destination dest(*publicSettings_, options());
  start = rel::Clock::now();
  EXPECT_FALSE(dest.checkConnection().empty());
  EXPECT_LT(rel::secondsSince(start), 2.0 + kMargin);
  stall.resume();
  EXPECT_TRUE(writer.check(2s).ready());
}
