// Execution in Segment's multi-status terms: one result per event, in order; bad events never
// stop the others; the error taxonomy decides each result. Each test runs Segment's executeBatch
// as the front-ends do: every event resolved, the valid payloads delivered in one call.
#include <gtest/gtest.h>

#include "kit/errors.h"
#include "kit/executor.h"
#include "test_data.h"

namespace {

using namespace actions;
using kit::FieldType;
using kit::Outcome;

struct Recorder {
  std::vector<std::string> payloads;
  int calls = 0;
};

kit::ActionDefinition action(Recorder& rec) {
  kit::ActionDefinition a;
  a.title = "Test";
  a.defaultSubscription = "type = \"track\"";
  kit::InputField id = kittest::field("ID", FieldType::String);
  id.required = true;
  id.defaultJson = R"({"@path":"$.messageId"})";
  a.fields.push_back({"id", id});
  kit::InputField n = kittest::field("N", FieldType::Number);
  n.defaultJson = R"({"@path":"$.n"})";
  a.fields.push_back({"n", n});
  a.performBatch = [&rec](const kit::BatchRequest& req, std::span<kit::EventResult> results) {
    ++rec.calls;
    for (std::size_t i = 0; i < req.payloads.size(); ++i) {
      rec.payloads.push_back(json::stringify(*req.payloads[i]));
      results[i] = kittest::inserted();
      if ((*req.payloads[i])["id"] == "dup") results[i].outcome = Outcome::Duplicate;
    }
  };
  return a;
}

struct Batch {
  std::vector<json::Document> docs;
  std::vector<const json::Value*> ptrs;
  explicit Batch(std::initializer_list<const char*> events) {
    for (const char* e : events) docs.push_back(kittest::parseOrDie(e));
    for (auto& d : docs) ptrs.push_back(&d);
  }
};

json::Document noSettings() {
  return kittest::parseOrDie("{}");
}

// Segment's executeBatch over the executor: resolution, then one delivery of the valid payloads.
// `sent`, when given, receives each event's payload (null for events that were not valid).
std::vector<kit::EventResult> executeBatch(kit::ActionExecutor& ex,
                                           const std::vector<const json::Value*>& events,
                                           json::Allocator& alloc,
                                           std::vector<json::Value>* sent = nullptr) {
  std::vector<kit::EventResult> results(events.size());
  std::vector<json::Value> payloads(events.size());
  std::vector<const json::Value*> valid;
  std::vector<std::size_t> at;
  for (std::size_t i = 0; i < events.size(); ++i) {
    kit::Resolution r = ex.resolve(*events[i], payloads[i], alloc, true);
    if (!r.valid()) {
      results[i] = r.result();
      payloads[i].SetNull();
      continue;
    }
    valid.push_back(&payloads[i]);
    at.push_back(i);
  }
  std::vector<kit::EventResult> delivered(valid.size());
  if (!valid.empty()) ex.deliver(valid, delivered);
  for (std::size_t k = 0; k < valid.size(); ++k) results[at[k]] = std::move(delivered[k]);
  if (sent) *sent = std::move(payloads);
  return results;
}

// Segment's execute: one event, resolved as a single event is (empty strings dropped).
kit::EventResult execute(kit::ActionExecutor& ex, const json::Value& event,
                         json::Allocator& alloc) {
  json::Value payload;
  kit::Resolution r = ex.resolve(event, payload, alloc, false);
  if (!r.valid()) return r.result();
  kit::EventResult result;
  const json::Value* one[] = {&payload};
  ex.deliver(one, std::span<kit::EventResult>(&result, 1));
  return result;
}

TEST(Executor, OneResultPerEventInOrder) {
  Recorder rec;
  auto def = action(rec);
  kit::ActionExecutor ex(def, noSettings(), {});
  Batch b({R"({"type":"track","messageId":"a","n":"5"})", R"({"type":"track","n":1})", "[1]",
           R"({"type":"page","messageId":"p"})", R"({"type":"track","messageId":"dup"})"});
  json::Allocator alloc;
  std::vector<json::Value> sent;
  auto results = executeBatch(ex, b.ptrs, alloc, &sent);
  ASSERT_EQ(results.size(), 5u);
  EXPECT_EQ(results[0].status, 200);
  EXPECT_EQ(results[0].outcome, Outcome::Inserted);
  EXPECT_EQ(results[1].status, 400);
  EXPECT_EQ(results[1].errorType, "PAYLOAD_VALIDATION_FAILED");
  EXPECT_EQ(results[1].error, "The root value is missing the required field 'id'.");
  EXPECT_EQ(results[2].outcome, Outcome::Rejected);
  EXPECT_EQ(results[2].error, "The event must be a JSON object but it was an array.");
  EXPECT_EQ(results[3].outcome, Outcome::Skipped);
  EXPECT_NE(results[3].error.find("does not match the subscription"), std::string::npos);
  EXPECT_EQ(results[4].outcome, Outcome::Duplicate);
  // Only valid payloads reach performBatch, once, coerced, in order.
  EXPECT_EQ(rec.calls, 1);
  EXPECT_EQ(rec.payloads, (std::vector<std::string>{R"({"id":"a","n":5})", R"({"id":"dup"})"}));
  EXPECT_EQ(json::stringify(sent[0]), R"({"id":"a","n":5})");
  EXPECT_TRUE(sent[1].IsNull());
}

TEST(Executor, ErrorTaxonomyFailsTheWholeBatchButNotTheRejectedEvents) {
  struct Case {
    std::function<void()> raise;
    int status;
    Outcome outcome;
    const char* type;
  };
  std::vector<Case> cases = {
      {[] { throw kit::RetryableError("server restarting", 503); }, 503, Outcome::Failed,
       "RETRYABLE_ERROR"},
      {[] { throw kit::RetryableError("slow down", 429); }, 429, Outcome::Failed,
       "RETRYABLE_ERROR"},
      {[] { throw kit::InvalidAuthenticationError("access denied"); }, 401, Outcome::Failed,
       "INVALID_AUTHENTICATION"},
      {[] { throw kit::PayloadValidationError("bad"); }, 400, Outcome::Rejected,
       "PAYLOAD_VALIDATION_FAILED"},
      {[] { throw kit::IntegrationError("gone", "NOT_FOUND", 404); }, 404, Outcome::Rejected,
       "NOT_FOUND"},
      {[] { throw std::runtime_error("boom"); }, 500, Outcome::Failed, "UNKNOWN_ERROR"},
  };
  for (const auto& c : cases) {
    Recorder rec;
    auto def = action(rec);
    def.performBatch = [&c](const kit::BatchRequest&, std::span<kit::EventResult>) { c.raise(); };
    kit::ActionExecutor ex(def, noSettings(), {});
    Batch b({R"({"type":"track","messageId":"a"})", R"({"type":"track"})",
             R"({"type":"track","messageId":"b"})"});
    json::Allocator alloc;
    auto r = executeBatch(ex, b.ptrs, alloc);
    EXPECT_EQ(r[0].status, c.status);
    EXPECT_EQ(r[0].outcome, c.outcome);
    EXPECT_EQ(r[0].errorType, c.type);
    EXPECT_EQ(r[2].status, c.status);
    EXPECT_EQ(r[1].status, 400);  // its own validation error, untouched
  }
}

TEST(Executor, PayloadsWithoutAResultAreNeverReportedDelivered) {
  Recorder rec;
  auto def = action(rec);
  def.performBatch = [](const kit::BatchRequest&, std::span<kit::EventResult> results) {
    results[0] = kittest::inserted();
  };
  kit::ActionExecutor ex(def, noSettings(), {});
  Batch b({R"({"type":"track","messageId":"a"})", R"({"type":"track","messageId":"b"})"});
  json::Allocator alloc;
  auto r = executeBatch(ex, b.ptrs, alloc);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].outcome, Outcome::Failed);
  EXPECT_EQ(r[1].status, 500);
}

TEST(Executor, PerformAloneDeliversEventByEvent) {
  kit::ActionDefinition def;
  kit::InputField id = kittest::field("ID", FieldType::String);
  id.required = true;
  id.defaultJson = R"({"@path":"$.messageId"})";
  def.fields.push_back({"id", id});
  def.perform = [](const kit::PerformRequest& req, kit::EventResult&) {
    if (req.payload["id"] == "bad") throw kit::RetryableError("later");
  };
  kit::ActionExecutor ex(def, noSettings(), {});
  Batch b({R"({"messageId":"a"})", R"({"messageId":"bad"})", R"({"messageId":"c"})"});
  json::Allocator alloc;
  auto r = executeBatch(ex, b.ptrs, alloc);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].status, 500);
  EXPECT_EQ(r[1].errorType, "RETRYABLE_ERROR");
  EXPECT_EQ(r[2].outcome, Outcome::Inserted);
}

TEST(Executor, AnActionThatCannotDeliverSays501) {
  kit::ActionDefinition def;
  kit::ActionExecutor ex(def, noSettings(), {});
  EXPECT_FALSE(ex.canDeliver());
  Batch b({R"({"x":1})"});
  json::Allocator alloc;
  auto r = executeBatch(ex, b.ptrs, alloc);
  EXPECT_EQ(r[0].status, 501);
  EXPECT_EQ(r[0].errorType, "NotImplemented");
}

TEST(Executor, SingleExecuteDropsEmptyTopLevelStrings) {
  Recorder rec;
  auto def = action(rec);
  kit::ActionExecutor ex(def, noSettings(), {});
  json::Allocator alloc;
  auto one = kittest::parseOrDie(R"({"type":"track","messageId":""})");
  EXPECT_EQ(execute(ex, one, alloc).error, "The root value is missing the required field 'id'.");
  Batch b({R"({"type":"track","messageId":""})"});
  EXPECT_EQ(executeBatch(ex, b.ptrs, alloc)[0].outcome,
            Outcome::Inserted);  // batches keep it, as Segment does
}

TEST(Executor, DestinationRulesRejectAfterValidation) {
  Recorder rec;
  auto def = action(rec);
  def.checkPayload = [](const kit::PerformRequest& req) -> std::string {
    return req.payload["id"].GetStringLength() > 3 ? "ID is too long for its column." : "";
  };
  kit::ActionExecutor ex(def, noSettings(), {});
  Batch b({R"({"type":"track","messageId":"abcd"})", R"({"type":"track","messageId":"abc"})"});
  json::Allocator alloc;
  auto r = executeBatch(ex, b.ptrs, alloc);
  EXPECT_EQ(r[0].error, "ID is too long for its column.");
  EXPECT_EQ(r[0].status, 400);
  EXPECT_EQ(r[1].outcome, Outcome::Inserted);
}

TEST(Executor, RunStateLivesAcrossBatches) {
  kit::ActionDefinition def;
  int created = 0;
  def.performBatch = [&created](const kit::BatchRequest& req, std::span<kit::EventResult> results) {
    if (!req.state.has_value()) {
      req.state = std::make_shared<int>(0);
      ++created;
    }
    for (auto& r : results) r = kittest::inserted();
  };
  kit::ActionExecutor ex(def, noSettings(), {});
  json::Allocator alloc;
  for (int i = 0; i < 3; ++i) {
    Batch b({R"({"a":1})"});
    executeBatch(ex, b.ptrs, alloc);
  }
  EXPECT_EQ(created, 1);
}

TEST(Executor, CustomMappingAndSubscription) {
  Recorder rec;
  auto def = action(rec);
  auto mapping = kittest::parseOrDie(R"({"id":{"@path":"$.userId"}})");
  kit::ActionOptions options;
  options.mapping = &mapping;
  options.subscription = "";  // every event
  kit::ActionExecutor ex(def, noSettings(), options);
  Batch b({R"({"type":"page","userId":"u1"})"});
  json::Allocator alloc;
  EXPECT_EQ(executeBatch(ex, b.ptrs, alloc)[0].outcome, Outcome::Inserted);
  EXPECT_EQ(rec.payloads, std::vector<std::string>{R"({"id":"u1"})"});
}

TEST(Executor, InvalidMappingOrSubscriptionIsRefusedUpFront) {
  Recorder rec;
  auto def = action(rec);
  auto mapping = kittest::parseOrDie(R"({"id":{"@path":5}})");
  kit::ActionOptions bad;
  bad.mapping = &mapping;
  EXPECT_THROW(kit::ActionExecutor(def, noSettings(), bad), mapping::MappingError);
  kit::ActionOptions badSub;
  badSub.subscription = "type";  // a field without a comparison
  EXPECT_THROW(kit::ActionExecutor(def, noSettings(), badSub), subscription::SubscriptionError);
}

TEST(Executor, AResultNobodyFilledInReadsAsAFailure) {
  kit::EventResult r;
  EXPECT_EQ(r.outcome, Outcome::Failed);
  EXPECT_EQ(r.status, 500);
  EXPECT_FALSE(r.delivered());
}

TEST(Executor, EachPayloadsDeadlineReachesTheAction) {
  kit::ActionDefinition def;
  std::vector<std::chrono::steady_clock::time_point> seen;
  def.performBatch = [&seen](const kit::BatchRequest& req, std::span<kit::EventResult> results) {
    seen.assign(req.deadlines.begin(), req.deadlines.end());
    for (auto& r : results) r = kittest::inserted();
  };
  kit::ActionExecutor ex(def, noSettings(), {});
  auto a = kittest::parseOrDie("{}"), b = kittest::parseOrDie("{}");
  const json::Value* payloads[] = {&a, &b};
  auto now = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point deadlines[] = {now + std::chrono::seconds(1),
                                                       now + std::chrono::seconds(9)};
  std::vector<kit::EventResult> results(2);
  ex.deliver(payloads, results, deadlines);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], deadlines[0]);
  EXPECT_EQ(seen[1], deadlines[1]);
  EXPECT_TRUE(results[1].delivered());
}

}  // namespace
