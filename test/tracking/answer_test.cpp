// The 200 answer's lists of skipped and rejected events, capped with their totals; the reason
// codes of a Destination's answers; the settings an SDK loads.
#include <gtest/gtest.h>

#include "tracking_support.h"

namespace {

using namespace tracking_test;
using actions::Outcome;

EventAnswer answer(std::size_t i, Outcome o, std::string reason = "", std::string error = "") {
  EventAnswer a;
  a.index = i;
  a.outcome = o;
  a.reason = std::move(reason);
  a.error = std::move(error);
  a.status = o == Outcome::Rejected ? 400 : 200;
  return a;
}

TEST(Answer, NothingListedWhenEverythingWasStored) {
  EXPECT_EQ(successBody({answer(0, Outcome::Inserted), answer(1, Outcome::Duplicate)}),
            R"({"success":true})");
}

TEST(Answer, SkippedAndRejectedListedWithReasons) {
  auto r = answer(2, Outcome::Rejected, "type", "no \"type\"");
  r.messageId = "m2";
  r.errorType = "PAYLOAD_VALIDATION_FAILED";
  std::string body = successBody(
      {answer(0, Outcome::Inserted), answer(1, Outcome::Skipped, "integrations", "kept away"), r});
  auto d = parsed(body);
  ASSERT_FALSE(d.HasParseError()) << body;
  EXPECT_TRUE(d["success"].GetBool());
  EXPECT_EQ(d["skippedTotal"].GetInt(), 1);
  EXPECT_EQ(d["rejectedTotal"].GetInt(), 1);
  EXPECT_EQ(str(d["skipped"][0], "reason"), "integrations");
  EXPECT_TRUE(d["skipped"][0]["messageId"].IsNull());
  EXPECT_EQ(d["rejected"][0]["index"].GetInt(), 2);
  EXPECT_EQ(str(d["rejected"][0], "messageId"), "m2");
  EXPECT_EQ(str(d["rejected"][0], "error"), "no \"type\"");
  EXPECT_EQ(str(d["rejected"][0], "errorType"), "PAYLOAD_VALIDATION_FAILED");
  EXPECT_EQ(d["rejected"][0]["status"].GetInt(), 400);
}

TEST(Answer, ListsAreCappedInCountAndBytesAndTotalsCountAll) {
  std::vector<EventAnswer> many;
  for (std::size_t i = 0; i < 250000; ++i)
    many.push_back(answer(i, Outcome::Rejected, "not_an_object", "x"));
  std::string body = successBody(many);
  EXPECT_LT(body.size(), 20000u);
  auto d = parsed(body);
  EXPECT_EQ(d["rejected"].Size(), 100u);
  EXPECT_EQ(d["rejectedTotal"].GetInt(), 250000);
  std::vector<EventAnswer> long_;
  for (std::size_t i = 0; i < 50; ++i)
    long_.push_back(answer(i, Outcome::Rejected, "validation", std::string(2000, 'e')));
  auto l = parsed(successBody(long_));
  EXPECT_LT(l["rejected"].Size(), 10u);
  EXPECT_GT(l["rejected"].Size(), 0u);
  EXPECT_EQ(l["rejectedTotal"].GetInt(), 50);
}

TEST(Answer, ReasonsOfADestinationsAnswers) {
  EXPECT_EQ(reasonOf(Outcome::Skipped, ""), "subscription");
  EXPECT_EQ(reasonOf(Outcome::Rejected, "PAYLOAD_VALIDATION_FAILED"), "validation");
  EXPECT_EQ(reasonOf(Outcome::Failed, "RETRYABLE_ERROR"), "retryable_error");
  EXPECT_EQ(reasonOf(Outcome::Inserted, ""), "");
}

TEST(ProjectSettings, PointTheSdkAtThisServer) {
  TrackingApi api(options());
  auto d = parsed(api.projectSettings(kWebKey, "https://events.example.com"));
  ASSERT_TRUE(d.IsObject());
  const auto& s = d["integrations"]["Segment.io"];
  EXPECT_EQ(str(s, "apiKey"), kWebKey);
  EXPECT_EQ(str(s, "apiHost"), "events.example.com/v1");
  EXPECT_EQ(str(s, "protocol"), "https");
  EXPECT_EQ(str(d["metrics"], "host"), "events.example.com/v1");
  auto local = parsed(api.projectSettings(kKey, "http://127.0.0.1:8080/"));
  EXPECT_EQ(str(local["integrations"]["Segment.io"], "apiHost"), "127.0.0.1:8080/v1");
  EXPECT_EQ(str(local["integrations"]["Segment.io"], "protocol"), "http");
  EXPECT_EQ(api.projectSettings("unknown", "https://e.example.com"), "");
}

}  // namespace
