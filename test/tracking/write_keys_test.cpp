// Write keys and their sources: --write-key KEY=SOURCE, HTTP Basic, and the keys of a body.
#include <gtest/gtest.h>

#include "tracking_support.h"

namespace {

using namespace tracking_test;

TEST(WriteKeys, KeyAloneOrWithItsSource) {
  auto plain = parseWriteKey("wk_1");
  ASSERT_TRUE(plain.key) << plain.error;
  EXPECT_EQ(plain.key->key, "wk_1");
  EXPECT_EQ(plain.key->source, "");
  auto named = parseWriteKey("wk_2=ios-app.prod");
  ASSERT_TRUE(named.key) << named.error;
  EXPECT_EQ(named.key->key, "wk_2");
  EXPECT_EQ(named.key->source, "ios-app.prod");
}

TEST(WriteKeys, BadFormsAreRefusedWithTheRule) {
  EXPECT_NE(parseWriteKey("").error.find("non-empty"), std::string::npos);
  EXPECT_NE(parseWriteKey("a:b").error.find("':'"), std::string::npos);
  EXPECT_NE(parseWriteKey("k=").error.find("1 to 64"), std::string::npos);
  EXPECT_NE(parseWriteKey("k=web site").error.find("letters, digits"), std::string::npos);
  EXPECT_NE(parseWriteKey("k=" + std::string(65, 'a')).error.find("1 to 64"), std::string::npos);
  EXPECT_NE(parseWriteKey("=web").error.find("non-empty"), std::string::npos);
}

TEST(WriteKeys, HeaderUserNameJudgedFirstWithItsSource) {
  TrackingApi api(options());
  auto c = api.checkAuthorization(basic(kWebKey));
  EXPECT_EQ(c.check, KeyCheck::Allowed);
  EXPECT_EQ(c.source, "website");
  EXPECT_EQ(api.checkAuthorization(basic("nope")).check, KeyCheck::Wrong);
  EXPECT_EQ(api.checkAuthorization("").check, KeyCheck::Missing);
  EXPECT_EQ(api.checkAuthorization("Bearer x").check, KeyCheck::Missing);
  // The header wins over a body key, either way round.
  EXPECT_EQ(api.checkKey(basic("nope"), std::string(kKey)).check, KeyCheck::Wrong);
  EXPECT_EQ(api.checkKey(basic(kKey), std::string("nope")).check, KeyCheck::Allowed);
  EXPECT_EQ(api.checkKey("", std::string("nope")).check, KeyCheck::Wrong);
  EXPECT_EQ(api.checkKey("", std::nullopt).check, KeyCheck::Missing);
}

TEST(WriteKeys, AnonymousAcceptsNoKeyButNeverAWrongOne) {
  auto o = options();
  o.allowAnonymous = true;
  TrackingApi api(o);
  EXPECT_EQ(api.checkKey("", std::nullopt).check, KeyCheck::Allowed);
  EXPECT_EQ(api.checkKey("", std::string("nope")).check, KeyCheck::Wrong);
}

TEST(WriteKeys, KeyInTheBodyOrInItsEvents) {
  TrackingApi api(options());
  auto batch = api.read(
      request("/v1/batch", R"({"writeKey":"wk_web","batch":[{"type":"track","event":"a"}]})"));
  EXPECT_EQ(batch.status, 200) << batch.error;
  EXPECT_EQ(batch.source, "website");
  // analytics.js's batching strategy: the key in each event as well as in the body.
  auto events = api.read(request(
      "/v1/b", R"({"batch":[{"type":"track","event":"a","writeKey":"wk_web"}],"sentAt":"x"})"));
  EXPECT_EQ(events.status, 200) << events.error;
  EXPECT_EQ(events.source, "website");
  auto single = api.read(request("/v1/t", R"({"event":"a","writeKey":"wk_1"})"));
  EXPECT_EQ(single.status, 200) << single.error;
}

TEST(WriteKeys, WrongOrMissingKeyAnywhereRefusesTheWholeRequest) {
  TrackingApi api(options());
  auto none = api.read(request("/v1/batch", R"({"batch":[{"type":"track","event":"a"}]})"));
  EXPECT_EQ(none.status, 401);
  EXPECT_NE(none.error.find("no write key"), std::string::npos);
  auto wrongEvent = api.read(request(
      "/v1/batch",
      R"({"batch":[{"type":"track","event":"a","writeKey":"wk_1"},{"type":"track","writeKey":"x"}]})"));
  EXPECT_EQ(wrongEvent.status, 401);
  EXPECT_NE(wrongEvent.error.find("event 1"), std::string::npos) << wrongEvent.error;
  EXPECT_TRUE(wrongEvent.accepted.empty());
  auto notString = api.read(request("/v1/batch", R"({"writeKey":5,"batch":[]})"));
  EXPECT_EQ(notString.status, 401);
  EXPECT_NE(notString.error.find("must be a string"), std::string::npos);
  auto wrongHeader =
      api.read(request("/v1/batch", R"({"writeKey":"wk_1","batch":[]})", basic("x")));
  EXPECT_EQ(wrongHeader.status, 401);
}

TEST(WriteKeys, EventsOfSeveralSourcesEachKeepTheirOwn) {
  TrackingApi api(options());
  auto in = api.read(request("/v1/batch",
                             R"([{"type":"track","event":"a","writeKey":"wk_web"},
                                 {"type":"track","event":"b","writeKey":"wk_1"}])"));
  ASSERT_EQ(in.status, 200) << in.error;
  ASSERT_EQ(in.accepted.size(), 2u);
  EXPECT_EQ(str(parsed(in.accepted[0]), "projectId"), "website");
  EXPECT_EQ(str(parsed(in.accepted[1]), "projectId"), "<absent>");
}

TEST(WriteKeys, NeverStoredEvenWhenGivenTwice) {
  TrackingApi api(options());
  // JSON.parse keeps the last of two members: that one is judged, and neither is stored.
  auto in = api.read(
      request("/v1/track", R"({"event":"a","writeKey":"nope","writeKey":"wk_web","userId":"u"})"));
  ASSERT_EQ(in.status, 200) << in.error;
  ASSERT_EQ(in.accepted.size(), 1u);
  EXPECT_EQ(in.accepted[0].find("writeKey"), std::string::npos) << in.accepted[0];
  EXPECT_EQ(in.accepted[0].find("nope"), std::string::npos) << in.accepted[0];
  auto batch = api.read(request(
      "/v1/batch",
      R"({"batch":[{"type":"track","writeKey":"wk_1","writeKey":"wk_1"}],"writeKey":"wk_1"})"));
  ASSERT_EQ(batch.accepted.size(), 1u);
  EXPECT_EQ(batch.accepted[0].find("writeKey"), std::string::npos) << batch.accepted[0];
}

}  // namespace
