// The C++ public API (include/actions/) through the shared library only: this binary links
// libactions_singlestore.so and nothing internal, so every call here also proves the symbol is
// exported. No database: settings checks, subscriptions, mappings, input splitting and dry runs.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/event_reader.h>
#include <actions/json_text.h>
#include <actions/mapping/mapping.h>
#include <actions/multistatus.h>
#include <actions/sender.h>
#include <actions/settings.h>
#include <actions/subscription.h>
#include <actions/version.h>

#include <array>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_env.h"

namespace {

constexpr const char* kSettings =
    R"({"host":"127.0.0.1","username":"u","password":"Sw0rdfish-42","dbName":"analytics"})";

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

TEST(PublicApi, VersionAndDefinition) {
  EXPECT_STREQ(actions::libraryVersion(), ACTIONS_SINGLESTORE_VERSION);
  std::string d = actions::describe();
  EXPECT_TRUE(contains(d, R"("slug":"actions-singlestore")")) << d.substr(0, 200);
  EXPECT_TRUE(contains(d, R"("hasPerformBatch":true)"));
  EXPECT_EQ(actions::sendDataAction(), "send");
  EXPECT_TRUE(contains(actions::sendDataDefaultMapping(), R"("@path")"));
}

TEST(PublicApi, SettingsProblemsAreAllListedWithoutThePassword) {
  auto r = actions::validateSettings(R"({"port":"abc","password":"Sw0rdfish-42","sslMode":"x"})");
  EXPECT_FALSE(r.ok());
  std::string all;
  for (const auto& p : r.problems) all += p + "\n";
  for (const char* p : {"host is required", "username is required", "dbName is required",
                        "port must be a number between 1 and 65535", "sslMode must be one of"})
    EXPECT_TRUE(contains(all, p)) << p << "\n" << all;
  EXPECT_FALSE(contains(all, "Sw0rdfish-42"));

  auto notJson = actions::validateSettings("{");
  EXPECT_FALSE(notJson.ok());
  EXPECT_FALSE(notJson.problems.empty());
}

TEST(PublicApi, AMisspeltSettingIsRefusedWithTheOneMeant) {
  // "ssl_mode" used to be dropped silently, leaving the default (preferred) in force.
  auto r = actions::validateSettings(
      R"({"host":"h","username":"u","password":"Sw0rdfish-42","dbName":"d","ssl_mode":"required"})");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0], "unknown setting \"ssl_mode\": did you mean \"sslMode\"?");
}

TEST(PublicApi, ValidSettingsGetDefaultsAndNeverShowThePassword) {
  auto r = actions::validateSettings(kSettings);
  ASSERT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0]);
  EXPECT_EQ(r.settings->database(), "analytics");
  EXPECT_EQ(r.settings->table(), "segment_raw_data");
  std::string shown = r.settings->toJson();
  EXPECT_TRUE(contains(shown, R"("password":"********")")) << shown;
  EXPECT_TRUE(contains(shown, R"("port":3306)")) << shown;
  EXPECT_FALSE(contains(shown, "Sw0rdfish-42"));

  actions::Settings copy = *r.settings;  // copies share the same validated settings
  EXPECT_EQ(copy.toJson(), shown);
}

TEST(PublicApi, FallbackPasswordFillsAMissingOne) {
  const char* noPassword = R"({"host":"h","username":"u","dbName":"d"})";
  EXPECT_FALSE(actions::validateSettings(noPassword).ok());
  auto r = actions::validateSettings(noPassword, "from-the-environment");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(contains(r.settings->toJson(), "from-the-environment"));
}

TEST(PublicApi, SettingsFileThatCannotBeReadIsAProblem) {
  auto r = actions::loadSettingsFile("/nonexistent/settings.json");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_TRUE(contains(r.problems[0], "cannot read settings file /nonexistent/settings.json"));

  testenv::TempDir tmp;
  testenv::writeText(tmp.file("s.json"), kSettings);
  EXPECT_TRUE(actions::loadSettingsFile(tmp.file("s.json")).ok());
}

TEST(PublicApi, UnreachableServerIsAReportNotAnException) {
  auto r = actions::validateSettings(
      R"({"host":"127.0.0.1","port":1,"username":"u","password":"Sw0rdfish-42","dbName":"d"})");
  ASSERT_TRUE(r.ok());
  auto report = actions::testAuthentication(*r.settings);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.status, 503);
  EXPECT_EQ(report.errorType, "RETRYABLE_ERROR");
  EXPECT_TRUE(contains(report.error, "cannot connect to 127.0.0.1:1")) << report.error;
  EXPECT_FALSE(contains(report.error, "Sw0rdfish-42"));

  auto choices = actions::dynamicFieldChoices("database", *r.settings);
  EXPECT_FALSE(choices.ok());
  EXPECT_TRUE(choices.choices.empty());
}

TEST(PublicApi, UnknownDynamicFieldIs404) {
  auto r = actions::validateSettings(kSettings);
  ASSERT_TRUE(r.ok());
  auto choices = actions::dynamicFieldChoices("colour", *r.settings);
  EXPECT_EQ(choices.errorCode, "404");
  EXPECT_EQ(choices.error, "No dynamic field named colour found.");
}

TEST(PublicApi, Subscriptions) {
  auto s = actions::Subscription::parse(R"(type = "track" and properties.revenue > 5)");
  EXPECT_TRUE(s.evaluate(R"({"type":"track","properties":{"revenue":10}})").match);
  auto page = s.evaluate(R"({"type":"page"})");
  EXPECT_TRUE(page.ok);
  EXPECT_FALSE(page.match);
  auto broken = s.evaluate("{not json");
  EXPECT_FALSE(broken.ok);
  EXPECT_FALSE(broken.error.empty());

  try {
    actions::Subscription::parse(R"(type = "track)");
    ADD_FAILURE() << "an unterminated string parsed";
  } catch (const actions::InvalidSubscription& e) {
    EXPECT_TRUE(contains(e.what(), "column")) << e.what();
  }
}

TEST(PublicApi, MappingsAndTheirErrors) {
  auto m = actions::mapping::Mapping::fromJson(R"({"id":{"@path":"$.userId"}})");
  auto t = m.apply(R"({"userId":"u1"})");
  ASSERT_TRUE(t.ok) << t.error;
  EXPECT_EQ(t.output, R"({"id":"u1"})");
  EXPECT_THROW(actions::mapping::Mapping::fromJson(R"({"a":{"@path":42}})"),
               actions::mapping::InvalidMapping);
}

TEST(PublicApi, JsonStringsAreWrittenAsJsonStringifyDoes) {
  std::string out = "x";
  actions::appendJsonString("a\"b\\c\n\x01\xc3\xa9", out);
  EXPECT_EQ(out, "x\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
}

TEST(PublicApi, EventReaderNumbersEveryEventAcrossInputs) {
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("a.ndjson"), "{\"n\":0}\n\n not json\n{\"n\":2}\n");
  testenv::writeText(tmp.file("b.json"), "[{\"n\":3}, {\"n\":[4,\"]\"]}]");
  testenv::writeText(tmp.file("c.json"), "[{\"n\":5}, {\"n\":");
  actions::EventReader reader({tmp.file("a.ndjson"), tmp.file("b.json"), tmp.file("c.json")});
  actions::RawEvent e;
  std::vector<std::string> texts;
  std::vector<std::size_t> indices;
  std::string lastError;
  while (reader.next(e)) {
    texts.push_back(e.text);
    indices.push_back(e.index);
    if (!e.error.empty()) lastError = e.error;
  }
  ASSERT_GE(texts.size(), 6u);
  EXPECT_EQ(texts[0], "{\"n\":0}");
  EXPECT_EQ(texts[1], " not json");
  EXPECT_EQ(texts[4], "{\"n\":[4,\"]\"]}");
  for (std::size_t i = 0; i < indices.size(); ++i) EXPECT_EQ(indices[i], i);
  EXPECT_TRUE(contains(lastError, "unterminated JSON array")) << lastError;

  EXPECT_THROW(actions::EventReader({tmp.file("absent")}), std::runtime_error);
}

struct Collected {
  std::size_t index;
  actions::Outcome outcome;
  int status;
  std::string error, errorType, messageId, payload;
  bool valid;
};

std::vector<Collected> dryRun(const actions::SendOptions& options,
                              const std::vector<std::string>& events,
                              std::size_t* batchSize = nullptr) {
  std::vector<Collected> got;
  actions::SendOptions o = options;
  o.dryRun = true;
  actions::Sender sender(nullptr, o, [&](const actions::EventRecord& r) {
    got.push_back({r.index, r.outcome, r.status, std::string(r.error), std::string(r.errorType),
                   r.messageId ? std::string(*r.messageId) : "(none)", std::string(r.payloadJson),
                   r.valid});
  });
  for (std::size_t i = 0; i < events.size(); ++i) sender.add(i * 10, events[i]);
  sender.add(events.size() * 10, "", "unterminated JSON array: the input ended inside it");
  sender.finish();
  if (batchSize) *batchSize = sender.batchSize();
  return got;
}

TEST(PublicApi, DryRunGivesOneRecordPerEventInOrder) {
  std::vector<std::string> events = {
      R"({"messageId":"m1","type":"track","event":"Order Completed","timestamp":"2024-05-01T10:00:00Z"})",
      R"({"messageId":"m2","type":"track","timestamp":"2024-05-01T10:00:01Z"})",
      R"({"messageId":"m3","type":"custom","timestamp":"2024-05-01T10:00:02Z"})",
      R"({"messageId":)",
  };
  auto got = dryRun({}, events);
  ASSERT_EQ(got.size(), 5u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].index, i * 10);

  EXPECT_EQ(got[0].outcome, actions::Outcome::Validated);
  EXPECT_TRUE(got[0].valid);
  EXPECT_EQ(got[0].messageId, "m1");
  EXPECT_TRUE(contains(got[0].payload, R"("event":"Order Completed")")) << got[0].payload;
  EXPECT_TRUE(contains(got[0].payload, R"("max_batch_size":1000)")) << got[0].payload;
  EXPECT_TRUE(got[0].error.empty());

  EXPECT_EQ(got[1].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(got[1].status, 400);
  EXPECT_EQ(got[1].errorType, "PAYLOAD_VALIDATION_FAILED");
  EXPECT_TRUE(contains(got[1].error, "'event'")) << got[1].error;
  EXPECT_TRUE(got[1].payload.empty());

  EXPECT_EQ(got[2].outcome, actions::Outcome::Skipped);
  EXPECT_TRUE(contains(got[2].error, "subscription")) << got[2].error;
  EXPECT_EQ(got[2].messageId, "m3");

  EXPECT_EQ(got[3].outcome, actions::Outcome::Rejected);  // not JSON
  EXPECT_EQ(got[4].outcome, actions::Outcome::Rejected);  // the input could not be split
  EXPECT_TRUE(contains(got[4].error, "unterminated JSON array")) << got[4].error;
  EXPECT_STREQ(actions::toString(got[4].outcome), "rejected");
}

TEST(PublicApi, BatchSizeComesFromTheMappingOrOverridesIt) {
  std::vector<std::string> one = {
      R"({"messageId":"m1","type":"identify","timestamp":"2024-05-01T10:00:00Z"})"};
  std::size_t size = 0;
  actions::SendOptions o;
  o.batchSize = 7;
  auto got = dryRun(o, one, &size);
  EXPECT_EQ(size, 7u);
  EXPECT_TRUE(contains(got[0].payload, R"("max_batch_size":7)")) << got[0].payload;

  actions::SendOptions unbatched;
  unbatched.mappingJson =
      R"({"messageId":{"@path":"$.messageId"},"timestamp":{"@path":"$.timestamp"},)"
      R"("type":{"@path":"$.type"},"message":{"@path":"$."},"max_batch_size":50,)"
      R"("enable_batching":false})";
  dryRun(unbatched, one, &size);
  EXPECT_EQ(size, 1u);
  unbatched.mappingJson->replace(unbatched.mappingJson->find("false"), 5, "true");
  dryRun(unbatched, one, &size);
  EXPECT_EQ(size, 50u);
}

TEST(PublicApi, EveryEventPassesWithAnEmptySubscription) {
  actions::SendOptions o;
  o.subscription = "";
  auto got = dryRun(o, {R"({"messageId":"m","type":"custom","timestamp":"2024-05-01T10:00:00Z"})"});
  // Not skipped: it reaches validation, which refuses the type.
  EXPECT_EQ(got[0].outcome, actions::Outcome::Rejected);
  EXPECT_TRUE(contains(got[0].error, "must be one of")) << got[0].error;
}

TEST(PublicApi, SenderRefusesWhatCannotRun) {
  auto sink = [](const actions::EventRecord&) {};
  actions::SendOptions o;
  EXPECT_THROW(actions::Sender(nullptr, o, sink), std::invalid_argument);  // no settings

  o.dryRun = true;
  o.mappingJson = "{not json";
  EXPECT_THROW(actions::Sender(nullptr, o, sink), actions::mapping::InvalidMapping);
  o.mappingJson = R"({"messageId":{"@path":42}})";
  try {
    actions::Sender(nullptr, o, sink);
    ADD_FAILURE() << "an invalid mapping was accepted";
  } catch (const actions::mapping::InvalidMapping& e) {
    ASSERT_FALSE(e.problems().empty());
    EXPECT_TRUE(contains(e.problems()[0], "/messageId")) << e.problems()[0];
  }

  o.mappingJson.reset();
  o.subscription = R"(type = "track)";
  EXPECT_THROW(actions::Sender(nullptr, o, sink), actions::InvalidSubscription);

  o.subscription.reset();
  o.batchSize = 10001;
  EXPECT_THROW(actions::Sender(nullptr, o, sink), std::invalid_argument);
}

TEST(PublicApi, MultiStatusEntriesHaveSegmentsShapes) {
  actions::EventResult inserted;
  inserted.outcome = actions::Outcome::Inserted;
  inserted.status = 200;
  inserted.payloadJson = R"({"id":"a"})";
  std::string out;
  actions::appendMultiStatusEntry(inserted, out);
  EXPECT_EQ(out, R"({"status":200,"body":{"outcome":"inserted"},"sent":{"id":"a"}})");

  actions::EventResult skipped;
  skipped.outcome = actions::Outcome::Skipped;
  skipped.status = 200;
  skipped.error = "not subscribed";
  out.clear();
  actions::appendMultiStatusEntry(skipped, out);
  EXPECT_EQ(out, R"({"status":200,"body":{"outcome":"skipped","reason":"not subscribed"}})");

  actions::EventResult rejected;
  rejected.outcome = actions::Outcome::Rejected;
  rejected.status = 400;
  rejected.error = "The root value is missing the required field 'id'.";
  rejected.errorType = "PAYLOAD_VALIDATION_FAILED";
  out.clear();
  actions::appendMultiStatusEntry(rejected, out);
  EXPECT_EQ(
      out,
      R"({"status":400,"errortype":"PAYLOAD_VALIDATION_FAILED","errormessage":"The root value is missing the required field 'id'.","errorreporter":"INTEGRATIONS","outcome":"rejected"})");

  actions::EventResult unanswered;  // nobody filled it in: a failure, never a success
  out.clear();
  actions::appendMultiStatusEntry(unanswered, out);
  EXPECT_EQ(
      out,
      R"({"status":500,"errortype":"UNKNOWN_ERROR","errormessage":"","errorreporter":"DESTINATION","outcome":"failed"})");
}

TEST(PublicApi, EventTextsViewWhatTheHostHolds) {
  std::vector<std::string> owned{"a", "bb"};
  std::array<std::string_view, 3> views{"x", "yy", "zzz"};
  actions::EventTexts fromOwned(owned), fromArray(views), fromList{"p", "q"};
  ASSERT_EQ(fromOwned.size(), 2u);
  EXPECT_EQ(fromOwned[1], "bb");
  EXPECT_EQ(fromOwned[1].data(), owned[1].data());  // a view, not a copy
  ASSERT_EQ(fromArray.size(), 3u);
  EXPECT_EQ(fromArray[2], "zzz");
  EXPECT_EQ(fromList.size(), 2u);
  EXPECT_TRUE(actions::EventTexts(views.data(), 0).empty());
}

TEST(PublicApi, DryRunDestinationAnswersAtOnceAndAsynchronously) {
  auto check = actions::validateSettings(kSettings);
  ASSERT_TRUE(check.ok());
  actions::SendOptions options;
  options.dryRun = true;
  actions::Destination dest(*check.settings, options);
  std::string event =
      R"({"messageId":"d1","type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"})";
  auto future = dest.performBatchAsync({event, "[1]"});
  ASSERT_EQ(future.wait_for(std::chrono::seconds(0)), std::future_status::ready);
  auto results = future.get();
  EXPECT_EQ(results[0].outcome, actions::Outcome::Validated);
  EXPECT_EQ(results[1].outcome, actions::Outcome::Rejected);
  dest.close();
  EXPECT_THROW(dest.performBatchAsync({event}), std::logic_error);
  EXPECT_THROW(dest.perform(event), std::logic_error);
}

}  // namespace
