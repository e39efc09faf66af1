// What Segment's tracking API adds to each event (docs/serve.md "What serve adds to each event"),
// checked field by field on events read as a server reads them.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "tracking/clock.h"
#include "tracking/message_id.h"
#include "tracking_support.h"

namespace {

using namespace tracking_test;

constexpr const char* kArrival = "2026-03-01T12:00:00.250Z";

rapidjson::Document one(std::string_view path, std::string_view body, Options o = options(),
                        std::string_view forwardedFor = {}) {
  TrackingApi api(std::move(o));
  const std::string authorization = basic(kKey);  // the request keeps a view of it
  Request r = request(path, body, authorization);
  r.forwardedFor = forwardedFor;
  auto in = api.read(r);
  EXPECT_EQ(in.status, 200) << in.error;
  EXPECT_EQ(in.accepted.size(), 1u);
  return parsed(in.accepted.empty() ? std::string("{}") : in.accepted[0]);
}

TEST(Enrichment, ReceivedAtIsTheServersClockToTheMillisecond) {
  auto e = one("/v1/track", R"({"event":"a","timestamp":"2026-03-01T11:00:00Z"})");
  EXPECT_EQ(str(e, "receivedAt"), kArrival);
}

TEST(Enrichment, ADeviceClockTwoHoursFastIsCorrectedWithSentAt) {
  // The device thinks it is 14:00 when it sends an event it made at 13:59:58.
  auto e = one("/v1/t", R"({"event":"a","timestamp":"2026-03-01T13:59:58.000Z",
                            "sentAt":"2026-03-01T14:00:00.000Z"})");
  EXPECT_EQ(str(e, "timestamp"), "2026-03-01T11:59:58.250Z");  // receivedAt - 2 s
  EXPECT_EQ(str(e, "originalTimestamp"), "2026-03-01T13:59:58.000Z");
  EXPECT_EQ(str(e, "sentAt"), "2026-03-01T14:00:00.000Z");
}

TEST(Enrichment, TheBatchsSentAtCorrectsEventsWithoutTheirOwn) {
  TrackingApi api(options());
  auto in = api.read(request("/v1/b", R"({"sentAt":"2026-03-01T14:00:00.000Z","batch":[
      {"type":"track","timestamp":"2026-03-01T13:59:59.000Z"},
      {"type":"track","timestamp":"2026-03-01T13:59:59.000Z","sentAt":"2026-03-01T13:59:59.500Z"}]})",
                             basic(kKey)));
  ASSERT_EQ(in.accepted.size(), 2u);
  auto first = parsed(in.accepted[0]), second = parsed(in.accepted[1]);
  EXPECT_EQ(str(first, "timestamp"), "2026-03-01T11:59:59.250Z");
  EXPECT_EQ(str(first, "sentAt"), "2026-03-01T14:00:00.000Z");
  EXPECT_EQ(str(second, "timestamp"), "2026-03-01T11:59:59.750Z");
}

TEST(Enrichment, AnExplicitTimestampWithoutSentAtIsKeptAsItIs) {
  auto e =
      one("/v1/import", R"({"batch":[{"type":"track","timestamp":"2019-07-04T09:30:00+02:00"}]})");
  EXPECT_EQ(str(e, "timestamp"), "2019-07-04T09:30:00+02:00");
  EXPECT_EQ(str(e, "originalTimestamp"), "2019-07-04T09:30:00+02:00");
  EXPECT_EQ(str(e, "receivedAt"), kArrival);
}

TEST(Enrichment, NoTimestampMeansTheTimeItWasReceived) {
  auto e = one("/v1/track", R"({"event":"Item Purchased","userId":"019mr8mf4r"})");
  EXPECT_EQ(str(e, "timestamp"), kArrival);
  EXPECT_EQ(str(e, "originalTimestamp"), "<absent>");
}

TEST(Enrichment, MicrosecondsOfADeviceAreKept) {
  auto e = one("/v1/track", R"({"event":"a","timestamp":"2026-03-01T13:00:00.000001Z",
                                "sentAt":"2026-03-01T13:00:00.000Z"})");
  EXPECT_EQ(str(e, "timestamp"), "2026-03-01T12:00:00.250001Z");
}

TEST(Enrichment, AnUnreadableTimestampIsLeftForValidationToName) {
  auto e =
      one("/v1/track", R"({"event":"a","timestamp":"yesterday","sentAt":"2026-03-01T13:00:00Z"})");
  EXPECT_EQ(str(e, "timestamp"), "yesterday");
  EXPECT_EQ(str(e, "originalTimestamp"), "<absent>");
}

TEST(Enrichment, AnEventAlreadyReceivedUpstreamKeepsItsTimes) {
  // Segment forwarding an event through its webhook: its times are Segment's, already corrected.
  auto e = one("/v1/batch", R"([{"type":"track","timestamp":"2026-02-01T10:00:00.000Z",
      "originalTimestamp":"2026-02-01T12:00:00.000Z","sentAt":"2026-02-01T12:00:01.000Z",
      "receivedAt":"2026-02-01T10:00:01.000Z"}])");
  EXPECT_EQ(str(e, "timestamp"), "2026-02-01T10:00:00.000Z");
  EXPECT_EQ(str(e, "receivedAt"), "2026-02-01T10:00:01.000Z");
  EXPECT_EQ(str(e, "originalTimestamp"), "2026-02-01T12:00:00.000Z");
}

TEST(Enrichment, AMissingMessageIdIsGivenOneInSegmentsForm) {
  std::set<std::string> ids;
  std::regex form("api-[0-9A-Za-z]{27}");
  for (int i = 0; i < 200; ++i) {
    auto e = one("/v1/track", i % 2 ? R"({"event":"a"})" : R"({"event":"a","messageId":""})");
    std::string id = str(e, "messageId");
    EXPECT_TRUE(std::regex_match(id, form)) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 200u);
  auto kept = one("/v1/track", R"({"event":"a","messageId":"mine"})");
  EXPECT_EQ(str(kept, "messageId"), "mine");
}

TEST(Enrichment, KsuidsSortByTheirTime) {
  std::string earlier = actions::tracking::generateMessageId(1700000000);
  std::string later = actions::tracking::generateMessageId(1700000001);
  EXPECT_LT(earlier, later);
  // Segment's own example of the form, from its documentation's payloads: 27 characters.
  EXPECT_EQ(std::string("api-1joj5LZSzuVCI9KshnaX059JYKo").size(), earlier.size());
}

TEST(Enrichment, ContextIpForClientSideLibrariesOnly) {
  // A client-only path.
  EXPECT_EQ(str(one("/v1/t", R"({"event":"a"})")["context"], "ip"), "203.0.113.9");
  // analytics.js by its library name, on a path every library uses.
  auto ajs =
      one("/v1/batch", R"([{"type":"track","context":{"library":{"name":"analytics.js"}}}])");
  EXPECT_EQ(str(ajs["context"], "ip"), "203.0.113.9");
  auto kotlin =
      one("/v1/batch", R"([{"type":"track","context":{"library":{"name":"analytics-kotlin"}}}])");
  EXPECT_EQ(str(kotlin["context"], "ip"), "203.0.113.9");
  // context.direct, as Segment's HTTP API documents it.
  auto direct = one("/v1/track", R"({"event":"a","context":{"direct":true}})");
  EXPECT_EQ(str(direct["context"], "ip"), "203.0.113.9");
  // A server library: the server's address is not the user's.
  auto node = one("/v1/batch",
                  R"([{"type":"track","context":{"library":{"name":"@segment/analytics-node"}}}])");
  EXPECT_EQ(str(node["context"], "ip"), "<absent>");
  EXPECT_FALSE(one("/v1/track", R"({"event":"a"})").HasMember("context"));
  // An address the event brings is kept.
  auto own = one("/v1/t", R"({"event":"a","context":{"ip":"198.51.100.1"}})");
  EXPECT_EQ(str(own["context"], "ip"), "198.51.100.1");
}

TEST(Enrichment, XForwardedForOnlyWhenTheProxyIsTrusted) {
  const char* xff = "1.1.1.1, 192.0.2.44";
  EXPECT_EQ(str(one("/v1/t", R"({"event":"a"})", options(), xff)["context"], "ip"), "203.0.113.9");
  auto o = options();
  o.trustProxy = true;
  EXPECT_EQ(str(one("/v1/t", R"({"event":"a"})", o, xff)["context"], "ip"), "192.0.2.44");
  EXPECT_EQ(str(one("/v1/t", R"({"event":"a"})", o, "")["context"], "ip"), "203.0.113.9");
}

TEST(Enrichment, TheWriteKeysSourceIsStoredAsProjectId) {
  TrackingApi api(options());
  auto in = api.read(request("/v1/track", R"({"event":"a","projectId":"forged"})", basic(kWebKey)));
  ASSERT_EQ(in.accepted.size(), 1u);
  EXPECT_EQ(in.source, "website");
  EXPECT_EQ(str(parsed(in.accepted[0]), "projectId"), "website");
  // A key without a source leaves projectId as the event has it (Segment's, when forwarded).
  auto plain = one("/v1/track", R"({"event":"a","projectId":"segment-source-id"})");
  EXPECT_EQ(str(plain, "projectId"), "segment-source-id");
}

TEST(Enrichment, SegmentsHttpApiExampleWithoutMessageIdOrTimestamp) {
  // The track call of Segment's HTTP API documentation, as its curl example sends it.
  auto o = options();
  o.writeKeys.push_back({"DmBXIN4JnwqBnTqXccTF0wBnLXNQmFtk", ""});
  TrackingApi api(o);
  auto in = api.read(request("/v1/track", R"({
      "event": "happy-path-a3ef8a6f-0482-4694-bc4d-4afba03a0eab",
      "email": "test@example.org",
      "userId": "123",
      "writeKey": "DmBXIN4JnwqBnTqXccTF0wBnLXNQmFtk"
  })"));
  ASSERT_EQ(in.status, 200) << in.error;
  auto e = parsed(in.accepted.at(0));
  EXPECT_EQ(str(e, "type"), "track");
  EXPECT_EQ(str(e, "timestamp"), kArrival);
  EXPECT_EQ(str(e, "messageId").substr(0, 4), "api-");
  EXPECT_FALSE(e.HasMember("writeKey"));
}

TEST(Clock, IsoTimes) {
  using actions::tracking::isoTime;
  EXPECT_EQ(isoTime(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(isoTime(1772366400250000), kArrival);
  EXPECT_EQ(isoTime(1772366400250001), "2026-03-01T12:00:00.250001Z");
  EXPECT_EQ(isoTime(-1), "1969-12-31T23:59:59.999999Z");
}

}  // namespace
