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

// messageId, event and type are text columns that hold only whole characters: an event with
// half of one there is refused by the Destination itself, naming the field, before any row is
// tried (the database would refuse the row, and a spool would dead-letter it). The others go on.
std::vector<std::string> columnEvents(const std::string& prefix) {
  auto e = [&](const std::string& id, const std::string& type, const std::string& name,
               const std::string& title) {
    return R"({"messageId":")" + id + R"(","type":")" + type + R"(","event":")" + name +
           R"(","timestamp":"2024-05-01T10:00:00Z","properties":{"title":")" + title + R"("}})";
  };
  return {e(prefix + "-0", "track", "Viewed", "ok \\ud83d\\ude00"),
          e(prefix + "-1\\ud83d", "track", "Viewed", "ok"),
          e(prefix + "-2", "track", "Viewed \\ud83d", "ok"),
          e(prefix + "-3", "track\\udc00", "Viewed", "ok"),
          e(prefix + "-4", "track", "Viewed", "cut \\ud83d"),
          e(prefix + "-5", "track", "Viewed", "ok")};
}

void expectColumnRefusals(const std::vector<actions::EventResult>& r, actions::Outcome good,
                          std::size_t prefixUnits) {
  ASSERT_EQ(r.size(), 6u);
  for (std::size_t i : {0u, 5u}) EXPECT_EQ(r[i].outcome, good) << i << " " << r[i].error;
  // A type that is not one of Segment's six does not pass the default subscription.
  EXPECT_EQ(r[3].outcome, actions::Outcome::Skipped) << r[3].error;
  const std::string at = std::to_string(prefixUnits + 2);
  const std::pair<std::size_t, std::string> refused[] = {
      {1, "Message ID holds half of a character (the lone surrogate \\ud83d at UTF-16 position " +
              at + "): its text column stores only whole characters."},
      {2,
       "Event holds half of a character (the lone surrogate \\ud83d at UTF-16 position 7): "
       "its text column stores only whole characters."},
      {4,
       "Message holds half of a character (the lone surrogate \\ud83d in properties.title): "
       "the table's JSON column cannot store it."}};
  for (const auto& [i, why] : refused) {
    SCOPED_TRACE(i);
    EXPECT_EQ(r[i].outcome, actions::Outcome::Rejected);
    EXPECT_EQ(r[i].status, 400);
    EXPECT_EQ(r[i].errorType, "PAYLOAD_VALIDATION_FAILED");
    EXPECT_EQ(r[i].error, why);
  }
}

TEST(LoneSurrogateDelivery, ResolveAndPerformRefuseHalfACharacterInATextColumnByName) {
  auto settings = actions::validateSettings(settingsText());
  ASSERT_TRUE(settings.ok());
  actions::Destination destination(*settings.settings);
  std::string prefix = "lone-col-" + runId();
  auto events = columnEvents(prefix);
  std::vector<std::string_view> views(events.begin(), events.end());

  // resolve (serve --ack spool, before anything is spooled): refused there, not later.
  auto resolved = destination.resolve(views);
  std::vector<actions::EventResult> answers;
  for (const auto& r : resolved) answers.push_back(r.result);
  expectColumnRefusals(answers, actions::Outcome::Validated, prefix.size());
  EXPECT_EQ(resolved[1].result.messageId, prefix + "-1\xED\xA0\xBD");
  for (std::size_t i = 1; i <= 4; ++i) EXPECT_EQ(resolved[i].payloadJson, "") << i;

  // A payload that reaches performPayloads anyway (a spool written elsewhere) is refused by the
  // same rule, named, as its own answer: no database error, so nothing to dead-letter.
  auto replaced = [](std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
      text.replace(at, from.size(), to);
    return text;
  };
  const std::string& whole = resolved[0].payloadJson;
  std::string strayId = replaced(whole, prefix + "-0", prefix + "-9\\ud83d");
  std::string strayType = replaced(whole, R"("track")", R"("track\udc00")");
  ASSERT_NE(strayId, whole);
  ASSERT_NE(strayType, whole);
  auto delivered =
      destination.performPayloads({whole, strayId, strayType, resolved[5].payloadJson});
  ASSERT_EQ(delivered.size(), 4u);
  EXPECT_EQ(delivered[0].outcome, actions::Outcome::Inserted) << delivered[0].error;
  EXPECT_EQ(delivered[1].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(delivered[1].error.rfind("Message ID holds half of a character", 0), 0u)
      << delivered[1].error;
  EXPECT_EQ(delivered[2].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(delivered[2].error,
            "Type holds half of a character (the lone surrogate \\udc00 at UTF-16 position 5): "
            "its text column stores only whole characters.");
  EXPECT_EQ(delivered[3].outcome, actions::Outcome::Inserted) << delivered[3].error;

  // performBatch answers the same events the same way, and stores the two whole ones.
  auto again = columnEvents(prefix + "b");
  std::vector<std::string_view> againViews(again.begin(), again.end());
  expectColumnRefusals(destination.performBatch(againViews), actions::Outcome::Inserted,
                       prefix.size() + 1);
  auto stored = storedMessages(prefix + "b", 6);
  EXPECT_EQ(canonical(stored[0]), canonical(again[0]));
  EXPECT_EQ(canonical(stored[5]), canonical(again[5]));
  for (std::size_t i = 1; i <= 4; ++i) EXPECT_EQ(stored[i], "") << i;
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
