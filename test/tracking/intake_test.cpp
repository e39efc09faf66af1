// A request's body read into its events (include/actions/tracking.h): the shapes Segment's
// sources post, Segment's limits, and every event that is not handed on named with its reason.
#include <gtest/gtest.h>

#include "json/json.h"
#include "tracking_support.h"

namespace {

using namespace tracking_test;

Intake read(std::string_view path, std::string_view body) {
  static TrackingApi api(options());
  return api.read(request(path, body, basic(kKey)));
}

TEST(Intake, BatchObjectOfServerLibraries) {
  auto in = read("/v1/batch", R"({"batch":[{"type":"track","event":"a","messageId":"m0"},
                                           {"type":"identify","userId":"u","messageId":"m1"}]})");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.events, 2u);
  ASSERT_EQ(in.accepted.size(), 2u);
  EXPECT_EQ(in.acceptedIndex, (std::vector<std::size_t>{0, 1}));
  EXPECT_EQ(str(parsed(in.accepted[1]), "messageId"), "m1");
  EXPECT_TRUE(in.refused.empty());
}

TEST(Intake, ImportIsTheBatchPath) {
  auto in = read("/v1/import", R"({"batch":[{"type":"page","name":"Home"}]})");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.accepted.size(), 1u);
}

TEST(Intake, BareArrayOfAWebhookBatch) {
  auto in = read("/v1/batch", R"([{"type":"track","event":"a"},{"type":"alias","userId":"u"}])");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.accepted.size(), 2u);
}

TEST(Intake, BareEventWithItsTypeOnAnyEventPath) {
  for (const char* path : {"/v1/batch", "/v1/b", "/v1/import", "/v1/track", "/v1/p"}) {
    auto in = read(path, R"({"type":"identify","userId":"u","traits":{"a":1}})");
    ASSERT_EQ(in.status, 200) << path << ": " << in.error;
    ASSERT_EQ(in.accepted.size(), 1u) << path;
    EXPECT_EQ(str(parsed(in.accepted[0]), "type"), "identify") << path;
  }
}

TEST(Intake, SingleEventPathGivesItsTypeToAnEventWithout) {
  auto in = read("/v1/s", R"({"name":"Home","userId":"u"})");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(str(parsed(in.accepted[0]), "type"), "screen");
  auto nullType = read("/v1/group", R"({"type":null,"groupId":"g"})");
  EXPECT_EQ(str(parsed(nullType.accepted.at(0)), "type"), "group");
}

TEST(Intake, TheLastOfTwoBatchMembersIsTheBatchAndEveryEventIsAnswered) {
  // As JSON.parse reads it: the second "batch" is the batch.
  auto in = read("/v1/batch", R"({"batch":[{"type":"track","messageId":"A"}],
                                  "batch":[{"type":"track","messageId":"B"},5]})");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.events, 2u);
  ASSERT_EQ(in.accepted.size(), 1u);
  EXPECT_EQ(str(parsed(in.accepted[0]), "messageId"), "B");
  ASSERT_EQ(in.refused.size(), 1u);
  EXPECT_EQ(in.refused[0].index, 1u);
}

TEST(Intake, AnEventWithoutTypeOrWithAnUnknownTypeIsRejectedAndListed) {
  auto in = read("/v1/batch", R"({"batch":[{"event":"a","messageId":"n0"},
                                           {"type":"Track","messageId":"n1"},
                                           {"type":7,"messageId":"n2"},
                                           {"type":"track","messageId":"n3"}]})");
  ASSERT_EQ(in.status, 200) << in.error;
  ASSERT_EQ(in.refused.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(in.refused[i].index, i);
    EXPECT_EQ(in.refused[i].outcome, actions::Outcome::Rejected);
    EXPECT_EQ(in.refused[i].reason, "type");
    EXPECT_EQ(*in.refused[i].messageId, "n" + std::to_string(i));
  }
  EXPECT_NE(in.refused[0].error.find("has no \"type\""), std::string::npos);
  EXPECT_NE(in.refused[1].error.find("\"Track\""), std::string::npos);
  EXPECT_NE(in.refused[1].error.find("lower case"), std::string::npos);
  EXPECT_NE(in.refused[2].error.find("not a number"), std::string::npos);
  EXPECT_EQ(in.acceptedIndex, (std::vector<std::size_t>{3}));
}

TEST(Intake, NonObjectsAreRejectedOneByOne) {
  auto in = read("/v1/batch", R"({"batch":[1,"x",null,[],{"type":"track"}]})");
  ASSERT_EQ(in.status, 200);
  ASSERT_EQ(in.refused.size(), 4u);
  EXPECT_EQ(in.refused[0].reason, "not_an_object");
  EXPECT_NE(in.refused[1].error.find("not a JSON object but a string"), std::string::npos);
  EXPECT_EQ(in.refused[2].text, "null");
  EXPECT_EQ(in.accepted.size(), 1u);
}

TEST(Intake, BodyErrorsAre400WithWhatIsWrong) {
  struct Case {
    const char* path;
    const char* body;
    const char* expected;
  } cases[] = {
      {"/v1/batch", R"({"batch":[{"type":"track")", "not JSON"},
      {"/v1/batch", "", "not JSON"},
      {"/v1/batch", R"({"batch":[]} {})", "not JSON"},
      {"/v1/batch", R"({"events":[]})", "has no \"batch\""},
      {"/v1/batch", R"({"batch":{"type":"track"}})", "\"batch\" must be an array"},
      {"/v1/batch", "5", "must be a JSON object or array"},
      {"/v1/track", R"([{"type":"track"}])", "single-event path takes one event"},
  };
  for (const auto& c : cases) {
    auto in = read(c.path, c.body);
    EXPECT_EQ(in.status, 400) << c.body;
    EXPECT_NE(in.error.find(c.expected), std::string::npos) << c.body << " -> " << in.error;
    EXPECT_TRUE(in.accepted.empty());
  }
}

TEST(Intake, SegmentsLimits) {
  std::string pad(33000, 'x');
  // A single-event body over 32 KB: the request is refused (Segment answers 400).
  auto single = read("/v1/track", R"({"event":"a","properties":{"p":")" + pad + R"("}})");
  EXPECT_EQ(single.status, 400);
  EXPECT_NE(single.error.find("limit of 32768 bytes"), std::string::npos) << single.error;
  // In a batch, an event over 32 KB refuses the request whole, naming the event.
  auto batch =
      read("/v1/batch", R"({"batch":[{"type":"track"},{"type":"track","p":")" + pad + R"("}]})");
  EXPECT_EQ(batch.status, 400);
  EXPECT_NE(batch.error.find("event 1 is 33"), std::string::npos) << batch.error;
  EXPECT_NE(batch.error.find("limit of 32768 bytes an event"), std::string::npos) << batch.error;
  EXPECT_TRUE(batch.accepted.empty());
  EXPECT_TRUE(batch.refused.empty());
  // An event of exactly 32 KB is within the limit.
  std::string exact = R"({"type":"track","p":"")"
                      "}";
  exact.insert(exact.size() - 2, std::string(32 * 1024 - exact.size(), 'z'));
  ASSERT_EQ(exact.size(), 32u * 1024);
  auto within = read("/v1/batch", "[" + exact + R"(,{"type":"track"}])");
  ASSERT_EQ(within.status, 200) << within.error;
  EXPECT_EQ(within.accepted.size(), 2u);
  // A batch body over 500 KB is refused whole.
  std::string big = R"({"batch":[)";
  for (int i = 0; i < 20; ++i)
    big +=
        (i ? "," : "") + std::string(R"({"type":"track","p":")") + std::string(30000, 'y') + "\"}";
  big += "]}";
  auto tooBig = read("/v1/batch", big);
  EXPECT_EQ(tooBig.status, 400);
  EXPECT_NE(tooBig.error.find("limit of 512000 bytes"), std::string::npos) << tooBig.error;
  // 2,500 events a batch are taken; 2,501 refuse the request whole.
  auto events = [](int n) {
    std::string body = "[";
    for (int i = 0; i < n; ++i) body += (i ? "," : "") + std::string(R"({"type":"track"})");
    return body + "]";
  };
  auto full = read("/v1/batch", events(2500));
  ASSERT_EQ(full.status, 200) << full.error;
  EXPECT_EQ(full.accepted.size(), 2500u);
  auto over = read("/v1/batch", events(2501));
  EXPECT_EQ(over.status, 400);
  EXPECT_NE(over.error.find("2501 events, over Segment's limit of 2500 events a batch"),
            std::string::npos)
      << over.error;
  EXPECT_TRUE(over.accepted.empty());
}

TEST(Intake, ABodyOfManyTinyEventsIsRefusedBeforeAnyIsRead) {
  // 250,000 non-objects in 500 KB: refused as a whole for their number, nothing read one by one.
  std::string body = "[1";
  for (int i = 1; i < 250000; ++i) body += ",1";
  body += "]";
  auto in = read("/v1/batch", body);
  EXPECT_EQ(in.status, 400);
  EXPECT_NE(in.error.find("250000 events"), std::string::npos) << in.error;
  EXPECT_TRUE(in.refused.empty());
}

TEST(Intake, RejectedEventsKeepTheirTextForTheRejectsFileWithoutTheirKey) {
  auto in = read("/v1/batch", R"({"batch":[{"type":"Track","writeKey":"wk_1",
                                             "properties":{"a":[1,2]}}]})");
  ASSERT_EQ(in.refused.size(), 1u);
  EXPECT_EQ(in.refused[0].text, R"({"type":"Track","properties":{"a":[1,2]}})");
}

TEST(Intake, IntegrationsObjectBothWays) {
  auto in = read("/v1/batch", R"({"batch":[
      {"type":"track","messageId":"i0","integrations":{"All":false}},
      {"type":"track","messageId":"i1","integrations":{"All":false,"SingleStore":true}},
      {"type":"track","messageId":"i2","integrations":{"SingleStore":false}},
      {"type":"track","messageId":"i3","integrations":{"All":false,"SingleStore":{"opt":1}}},
      {"type":"track","messageId":"i4","integrations":{"Mixpanel":false}},
      {"type":"track","messageId":"i5","integrations":{"All":false,"SingleStore":0}},
      {"type":"track","messageId":"i6"}]})");
  ASSERT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.acceptedIndex, (std::vector<std::size_t>{1, 3, 4, 6}));
  ASSERT_EQ(in.refused.size(), 3u);
  for (const auto& r : in.refused) {
    EXPECT_EQ(r.outcome, actions::Outcome::Skipped);
    EXPECT_EQ(r.reason, "integrations");
    EXPECT_TRUE(r.text.empty());
  }
  EXPECT_EQ(in.refused[1].index, 2u);
}

TEST(Intake, BatchLevelIntegrationsAndContextAreMergedIntoEachEvent) {
  auto in =
      read("/v1/batch",
           R"({"integrations":{"All":false},"context":{"device":{"type":"phone"},"locale":"fr"},
      "batch":[{"type":"track","messageId":"c0"},
               {"type":"track","messageId":"c1","integrations":{"SingleStore":true},
                "context":{"locale":"de","ip":"10.0.0.1"}}]})");
  ASSERT_EQ(in.status, 200) << in.error;
  ASSERT_EQ(in.acceptedIndex, (std::vector<std::size_t>{1}));
  EXPECT_EQ(in.refused.at(0).reason, "integrations");
  auto e = parsed(in.accepted[0]);
  EXPECT_EQ(str(e["context"], "locale"), "de");  // the event's own value wins
  EXPECT_EQ(str(e["context"], "ip"), "10.0.0.1");
  EXPECT_EQ(str(e["context"]["device"], "type"), "phone");
  EXPECT_TRUE(e["integrations"]["All"].IsFalse());
  EXPECT_TRUE(e["integrations"]["SingleStore"].IsTrue());
}

TEST(Intake, TheTrackingRulesRejectNothingTheJsonReaderAccepts) {
  // A string cut inside an emoji (JSON.stringify writes a lone surrogate): the verdict on the
  // body is the library reader's alone, and an accepted body loses no event.
  std::string body =
      R"({"batch":[{"type":"track","messageId":"s0","properties":{"t":"ab\ud83d"}}]})";
  actions::json::Document doc;
  bool readerAccepts = !actions::json::parse(body, doc);
  auto in = read("/v1/batch", body);
  EXPECT_EQ(in.status == 200, readerAccepts) << in.error;
  if (readerAccepts) {
    EXPECT_EQ(in.accepted.size(), 1u);
  }
}

}  // namespace
