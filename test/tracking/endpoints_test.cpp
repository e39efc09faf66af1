// The paths of Segment's tracking API and what each is (include/actions/tracking.h).
#include <gtest/gtest.h>

#include "tracking_support.h"

namespace {

using namespace actions::tracking;

TEST(Endpoints, BatchPathsOfServerAndClientLibraries) {
  EXPECT_EQ(endpointFor("/v1/batch").endpoint, Endpoint::Batch);
  EXPECT_EQ(endpointFor("/v1/import").endpoint, Endpoint::Batch);
  EXPECT_FALSE(endpointFor("/v1/batch").clientSide);
  auto b = endpointFor("/v1/b");
  EXPECT_EQ(b.endpoint, Endpoint::ClientBatch);
  EXPECT_TRUE(b.clientSide);
}

TEST(Endpoints, SixLongAndSixShortSingleEventPaths) {
  const char* types[] = {"track", "identify", "page", "screen", "group", "alias"};
  for (const char* t : types) {
    auto longForm = endpointFor(std::string("/v1/") + t);
    EXPECT_EQ(longForm.endpoint, Endpoint::Single) << t;
    EXPECT_EQ(longForm.type, t);
    EXPECT_FALSE(longForm.clientSide);
    auto shortForm = endpointFor(std::string("/v1/") + t[0]);
    EXPECT_EQ(shortForm.endpoint, Endpoint::Single) << t;
    EXPECT_EQ(shortForm.type, t);
    EXPECT_TRUE(shortForm.clientSide) << "only analytics.js posts to /v1/" << t[0];
  }
}

TEST(Endpoints, MetricsAndProjectSettings) {
  EXPECT_EQ(endpointFor("/v1/m").endpoint, Endpoint::ClientMetrics);
  auto s = endpointFor("/v1/projects/wk_web/settings");
  EXPECT_EQ(s.endpoint, Endpoint::ProjectSettings);
  EXPECT_EQ(s.writeKey, "wk_web");
  EXPECT_EQ(endpointFor("/v1/projects//settings").endpoint, Endpoint::Unknown);
  EXPECT_EQ(endpointFor("/v1/projects/a/b/settings").endpoint, Endpoint::Unknown);
}

TEST(Endpoints, OtherPathsAreUnknown) {
  for (const char* p : {"/v1/", "/v1/x", "/v2/batch", "/v1/batch/", "/v1/tracks", "/batch", ""})
    EXPECT_EQ(endpointFor(p).endpoint, Endpoint::Unknown) << p;
}

}  // namespace
