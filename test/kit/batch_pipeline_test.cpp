// Streaming events through an action in batches: records in input order, batches of the asked
// size, nothing lost when delivery stops.
#include <gtest/gtest.h>

#include <map>
#include <mutex>

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
    for (auto& r : results) r = kittest::inserted();
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
    ids.push_back(std::string(r.messageId.value_or("-")));
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

// Many blocks, several resolver threads and lanes: every record once, in input order; no batch
// over the batch size; copies of one messageId delivered by one lane in input order (so the
// first copy in the input is the first one written). A lane that has caught up with the input
// may deliver a short batch rather than wait, so batch sizes below the limit are not checked.
TEST(BatchPipeline, LanesKeepInputOrderPerMessageIdAndRecordsInOrder) {
  std::mutex m;
  std::vector<std::vector<std::string>> batches;
  kit::ActionDefinition def;
  kit::InputField id = kittest::field("ID", kit::FieldType::String);
  id.required = true;
  id.defaultJson = R"({"@path":"$.messageId"})";
  def.fields.push_back({"messageId", id});
  kit::InputField n = kittest::field("N", kit::FieldType::Integer);
  n.defaultJson = R"({"@path":"$.n"})";
  def.fields.push_back({"n", n});
  def.performBatch = [&](const kit::BatchRequest& req, std::span<kit::EventResult> results) {
    std::vector<std::string> ids;
    for (const auto* p : req.payloads)
      ids.push_back(std::string((*p)["messageId"].GetString()) + "#" +
                    std::to_string((*p)["n"].GetInt()));
    std::lock_guard lock(m);
    batches.push_back(std::move(ids));
    for (auto& r : results) r = kittest::inserted();
  };
  json::Document settings = kittest::parseOrDie("{}");
  kit::ActionExecutor ex(def, settings, {});
  kit::PipelineOptions o;
  o.batchSize = 50;
  o.lanes = 3;
  o.resolvers = 2;
  std::vector<std::size_t> order;
  std::size_t delivered = 0;
  {
    kit::BatchPipeline p(ex, o, [&](const kit::EventRecord& r) {
      order.push_back(r.index);
      delivered += r.valid && r.result.outcome == Outcome::Inserted;
    });
    for (std::size_t i = 0; i < 5000; ++i) {
      std::string event = i % 97 == 0 ? "{broken"
                                      : R"({"messageId":"id)" + std::to_string(i % 700) +
                                            R"(","n":)" + std::to_string(i) + "}";
      p.add(i, event);
    }
    p.finish();
  }
  ASSERT_EQ(order.size(), 5000u);
  for (std::size_t i = 0; i < order.size(); ++i) ASSERT_EQ(order[i], i);
  std::size_t broken = (5000 + 96) / 97;
  EXPECT_EQ(delivered, 5000u - broken);
  std::size_t total = 0;
  std::map<std::string, int> lastN;  // per messageId, the copies must come in input order
  for (const auto& b : batches) {
    total += b.size();
    EXPECT_LE(b.size(), 50u);
    for (const auto& entry : b) {
      auto hash = entry.find('#');
      std::string id = entry.substr(0, hash);
      int nValue = std::stoi(entry.substr(hash + 1));
      auto [it, fresh] = lastN.emplace(id, nValue);
      if (!fresh) {
        EXPECT_GT(nValue, it->second) << id;
        it->second = nValue;
      }
    }
  }
  EXPECT_EQ(total, 5000u - broken);
}

TEST(BatchPipeline, PayloadTextIsThePayloadAsJson) {
  std::vector<std::size_t> sizes;
  auto def = idAction(sizes);
  json::Document settings = kittest::parseOrDie("{}");
  kit::ActionExecutor ex(def, settings, {});
  kit::PipelineOptions o;
  o.dryRun = true;
  o.payloadText = true;
  o.resolvers = 3;
  std::vector<std::string> texts;
  kit::BatchPipeline p(ex, o, [&](const kit::EventRecord& r) {
    texts.push_back(r.valid ? std::string(r.payloadJson) : "-");
  });
  for (std::size_t i = 0; i < 600; ++i)
    p.add(i, i == 300 ? std::string("{}") : R"({"messageId":")" + std::to_string(i) + R"("})");
  p.finish();
  ASSERT_EQ(texts.size(), 600u);
  EXPECT_EQ(texts[0], R"({"messageId":"0"})");
  EXPECT_EQ(texts[300], "-");
  EXPECT_EQ(texts[599], R"({"messageId":"599"})");
  EXPECT_TRUE(sizes.empty());
}

}  // namespace
