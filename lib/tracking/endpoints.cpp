// The paths of Segment's tracking API (docs/serve.md "The API"): the batch paths of its server
// libraries, the short paths analytics.js posts single events and batches to, the long paths of
// the HTTP API, analytics.js's telemetry, and the settings a browser SDK loads from its CDN.
#include <array>
#include <utility>

#include "actions/tracking.h"

namespace actions::tracking {
namespace {

struct SinglePath {
  std::string_view path;
  std::string_view type;
  bool clientSide;
};

// The long forms are the HTTP API's; the one-letter forms are what analytics.js posts to (the
// first letter of the event's type), so only a client-side library uses them.
constexpr std::array<SinglePath, 12> kSinglePaths = {{
    {"/v1/track", "track", false},
    {"/v1/identify", "identify", false},
    {"/v1/page", "page", false},
    {"/v1/screen", "screen", false},
    {"/v1/group", "group", false},
    {"/v1/alias", "alias", false},
    {"/v1/t", "track", true},
    {"/v1/i", "identify", true},
    {"/v1/p", "page", true},
    {"/v1/s", "screen", true},
    {"/v1/g", "group", true},
    {"/v1/a", "alias", true},
}};

constexpr std::string_view kSettingsPrefix = "/v1/projects/";
constexpr std::string_view kSettingsSuffix = "/settings";

}  // namespace

EndpointInfo endpointFor(std::string_view path) {
  EndpointInfo info;
  if (path == "/v1/batch" || path == "/v1/import") {
    info.endpoint = Endpoint::Batch;
  } else if (path == "/v1/b") {
    info.endpoint = Endpoint::ClientBatch;
    info.clientSide = true;
  } else if (path == "/v1/m") {
    info.endpoint = Endpoint::ClientMetrics;
    info.clientSide = true;
  } else if (path.size() > kSettingsPrefix.size() + kSettingsSuffix.size() &&
             path.substr(0, kSettingsPrefix.size()) == kSettingsPrefix &&
             path.substr(path.size() - kSettingsSuffix.size()) == kSettingsSuffix) {
    std::string_view key = path.substr(
        kSettingsPrefix.size(), path.size() - kSettingsPrefix.size() - kSettingsSuffix.size());
    if (key.find('/') == std::string_view::npos) {
      info.endpoint = Endpoint::ProjectSettings;
      info.writeKey = std::string(key);
    }
  } else {
    for (const auto& p : kSinglePaths) {
      if (path == p.path) {
        info.endpoint = Endpoint::Single;
        info.type = std::string(p.type);
        info.clientSide = p.clientSide;
        break;
      }
    }
  }
  return info;
}

}  // namespace actions::tracking
