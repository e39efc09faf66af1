// A string cut inside an emoji, as JavaScript's JSON.stringify writes it ("\ud83d"), costs at
// most its own event: through Destination::performBatch and through `send`, against the fixture's
// MariaDB. The other events of the batch are stored, and what is stored reads back as sent.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/settings.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "db/connection.h"
#include "json/json.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

namespace {

std::string settingsText() {
  return testenv::readText(testenv::settingsPath());
}

std::string runId() {
  static const std::string id =
      std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return id;
}

// Twenty events as analytics-node batches them; the eighth has a title cut inside an emoji.
constexpr std::size_t kCut = 7;
std::vector<std::string> batch(const std::string& prefix) {
  std::vector<std::string> events;
  for (std::size_t i = 0; i < 20; ++i) {
    std::string title =
        i == kCut ? R"(Grinning \ud83d)" : "Title " + std::to_string(i) + R"( \ud83d\ude00)";
    events.push_back(R"({"messageId":")" + prefix + "-" + std::to_string(i) +
                     R"(","type":"track","event":"Viewed","timestamp":"2024-05-01T10:00:00Z",)"
                     R"("properties":{"title":")" +
                     title + R"(","hangul":"\ud7ff","i":)" + std::to_string(i) + "}}");
  }
  return events;
}

// The stored message of each of the batch's messageIds, parsed ("" where none is stored).
std::vector<std::string> storedMessages(const std::string& prefix, std::size_t n) {
  auto s = actions::singlestore::parseSettings(settingsText(), nullptr);
  actions::db::Connection c(s.settings->connectOptions());
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n; ++i) {
    std::string sql = "SELECT message FROM `" + s.settings->dbName + "`.`" + s.settings->tableName +
                      "` WHERE messageId = '";
    c.appendEscaped(prefix + "-" + std::to_string(i), sql);
    sql += "'";
    auto rows = c.query(sql);
    out.push_back(rows.empty() ? "" : *rows.at(0).at(0));
  }
  return out;
}

// The event as JSON.parse reads it, written back as JSON.stringify writes it.
std::string canonical(const std::string& jsonText) {
  actions::json::Document d;
  EXPECT_FALSE(actions::json::parse(jsonText, d)) << jsonText;
  return actions::json::stringify(d);
}

void expectOnlyTheCutEventRejected(const std::string& prefix,
                                   const std::vector<std::string>& events) {
  auto stored = storedMessages(prefix, events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (i == kCut) {
      EXPECT_EQ(stored[i], "") << "the cut event is not stored";
      continue;
    }
    ASSERT_NE(stored[i], "") << i;
    // Characters beyond U+FFFF (a surrogate pair in the JSON text) and U+D7FF come back whole.
    EXPECT_EQ(canonical(stored[i]), canonical(events[i])) << i;
  }
}

const char* const kWhy =
    "Message holds half of a character (the lone surrogate \\ud83d in properties.title): the "
    "table's JSON column cannot store it.";

TEST(LoneSurrogateDelivery, PerformBatchRejectsOnlyTheCutEvent) {
  auto settings = actions::validateSettings(settingsText());
  ASSERT_TRUE(settings.ok());
  actions::Destination destination(*settings.settings);
  std::string prefix = "lone-batch-" + runId();
  auto events = batch(prefix);
  std::vector<std::string_view> views(events.begin(), events.end());
  auto results = destination.performBatch(views);
  ASSERT_EQ(results.size(), events.size());
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i == kCut) {
      EXPECT_EQ(results[i].outcome, actions::Outcome::Rejected);
      EXPECT_EQ(results[i].status, 400);
      EXPECT_NE(results[i].error.find(kWhy), std::string::npos) << results[i].error;
      EXPECT_EQ(results[i].messageId, prefix + "-7");
    } else {
      EXPECT_EQ(results[i].outcome, actions::Outcome::Inserted) << i << " " << results[i].error;
    }
  }
  expectOnlyTheCutEventRejected(prefix, events);
}

TEST(LoneSurrogateDelivery, SendRejectsOnlyTheCutEvent) {
  testenv::TempDir tmp;
  std::string prefix = "lone-send-" + runId();
  auto events = batch(prefix);
  std::string lines;
  for (const auto& e : events) lines += e + "\n";
  testenv::writeText(tmp.file("events.ndjson"), lines);
  std::string report = tmp.file("report.ndjson");
  auto r = testenv::runCli("send --settings " + testenv::settingsPath() + " --report " + report +
                           " " + tmp.file("events.ndjson"));
  EXPECT_EQ(r.exitCode, 1) << r.err;  // one rejected, every other one stored
  auto rep = testenv::nonEmptyLines(testenv::readText(report));
  ASSERT_EQ(rep.size(), events.size());
  for (std::size_t i = 0; i < rep.size(); ++i) {
    if (i == kCut) {
      EXPECT_NE(rep[i].find(R"("outcome":"rejected")"), std::string::npos) << rep[i];
      // The report is JSON: the escape of the message is escaped once more.
      EXPECT_NE(rep[i].find("lone surrogate \\\\ud83d in properties.title"), std::string::npos)
          << rep[i];
    } else {
      EXPECT_NE(rep[i].find(R"("outcome":"inserted")"), std::string::npos) << rep[i];
    }
  }
  EXPECT_NE(r.err.find("19 inserted"), std::string::npos) << r.err;
  expectOnlyTheCutEventRejected(prefix, events);

  // The dry run answers the same before anything is written.
  auto dry = testenv::runCli("send --dry-run " + tmp.file("events.ndjson"));
  auto out = testenv::nonEmptyLines(dry.out);
  ASSERT_EQ(out.size(), events.size()) << dry.err;
  EXPECT_NE(out[kCut].find(R"("ok":false)"), std::string::npos) << out[kCut];
  EXPECT_NE(out[kCut].find("lone surrogate"), std::string::npos) << out[kCut];
}

// What the library writes as text keeps a lone surrogate as JSON.stringify does, so a host that
// reads it with JSON.parse gets the string it sent.
TEST(LoneSurrogateDelivery, TransformWritesTheEscapeBack) {
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("mapping.json"),
                     R"({"t":{"@path":"$.title"},"half":{"@path":"$.grin.0"}})");
  testenv::writeText(tmp.file("in.ndjson"), R"({"title":"cut \ud83d","grin":"\ud83d\ude00"})"
                                            "\n");
  auto r = testenv::runCli("transform --mapping " + tmp.file("mapping.json") + " " +
                           tmp.file("in.ndjson"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find(R"({"t":"cut \ud83d","half":"\ud83d"})"), std::string::npos) << r.out;
}

}  // namespace
