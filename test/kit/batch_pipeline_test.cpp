// Streaming events through an action in batches: records in input order, batches of the asked
// size, nothing lost when delivery stops.
#include <gtest/gtest.h>

#include "kit/batch_pipeline.h"
#include "kit/errors.h"
#include "test_data.h"

namespace {

using namespace actions;
using kit::Outcome;

kit::ActionDefinition idAction(std::vector<std::size_t>& batchSizes) {
  kit::ActionDefinition a;
  kit::InputField id = kittest::field("ID", kit::FieldType::String);
  id.required = true;
  id.defaultJson = R"({"@path":"$.messageId"})";
  a.fields.push_back({"messageId", id});
  a.performBatch = [&batchSizes](const kit::BatchRequest& req,
                                 std::span<kit::EventResult> results) {
    batchSizes.push_back(req.payloads.size());
    for (auto& r : results) r = {};
  };
  return a;
}

TEST(BatchPipeline, RecordsComeInInputOrderAndBatchesAreFull) {
  std::vector<std::size_t> sizes;
  auto def = idAction(sizes);
  json::Document settings = kittest::parseOrDie("{}");
  kit::ActionExecutor ex(def, settings, {});
  std::vector<std::size_t> order;
  std::vector<Outcome> outcomes;
  std::vector<std::string> ids;
  kit::BatchPipeline p(ex, 2, false, [&](const kit::EventRecord& r) {
    order.push_back(r.index);
    outcomes.push_back(r.result.outcome);
    ids.push_back(r.messageId.value_or("-"));
  });
  // The report names each event by its messageId, the payload's when it has one.
  const char* events[] = {R"({"messageId":"a"})", "{oops",
                          R"({"messageId":"b"})", R"({"x":1,"messageId":["m"]})",
                          R"({"messageId":"c"})", R"({"messageId":"d"})"};
  for (std::size_t i = 0; i < 6; ++i) p.add(i, events[i]);
  p.add(6, "", "unterminated JSON array: the input ended inside it");
  p.finish();
  EXPECT_EQ(order, (std::vector<std::size_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(outcomes, (std::vector<Outcome>{Outcome::Inserted, Outcome::Rejected, Outcome::Inserted,
                                            Outcome::Inserted, Outcome::Inserted, Outcome::Inserted,
                                            Outcome::Rejected}));
  EXPECT_EQ(ids,
            (std::vector<std::string>{"a", "-", "b", "m", "c", "d", "-"}));  // ["m"] became "m"
  EXPECT_EQ(sizes, (std::vector<std::size_t>{2, 2, 1}));
}

TEST(BatchPipeline, DryRunDeliversNothingAndShowsPayloads) {
  std::vector<std::size_t> sizes;
  auto def = idAction(sizes);
  json::Document settings = kittest::parseOrDie("{}");
  kit::ActionExecutor ex(def, settings, {});
  std::vector<std::string> payloads;
  kit::BatchPipeline p(ex, 100, true, [&](const kit::EventRecord& r) {
    payloads.push_back(r.valid ? json::stringify(*r.payload) : "error: " + r.result.error);
  });
  p.add(0, R"({"messageId":7})");
  p.add(1, R"({"nope":1})");
  p.finish();
  EXPECT_TRUE(sizes.empty());
  EXPECT_EQ(payloads, (std::vector<std::string>{
                          R"({"messageId":"7"})",
                          "error: The root value is missing the required field 'messageId'."}));
}

TEST(BatchPipeline, AuthenticationFailureStopsLaterBatchesWithoutDroppingEvents) {
  kit::ActionDefinition def;
  int calls = 0;
  def.performBatch = [&calls](const kit::BatchRequest&, std::span<kit::EventResult>) {
    ++calls;
    throw kit::InvalidAuthenticationError("access denied for user");
  };
  json::Document settings = kittest::parseOrDie("{}");
  kit::ActionExecutor ex(def, settings, {});
  std::vector<kit::EventResult> results;
  kit::BatchPipeline p(ex, 1, false,
                       [&](const kit::EventRecord& r) { results.push_back(r.result); });
  for (std::size_t i = 0; i < 3; ++i) p.add(i, "{}");
  p.finish();
  EXPECT_EQ(calls, 1);
  ASSERT_EQ(results.size(), 3u);
  for (const auto& r : results) {
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.outcome, Outcome::Failed);
  }
  EXPECT_NE(results[2].error.find("not attempted"), std::string::npos);
  EXPECT_TRUE(p.stopped());
}

}  // namespace
