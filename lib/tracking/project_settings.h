// GET /v1/projects/{writeKey}/settings: what Segment's CDN answers a browser SDK (analytics.js)
// or a mobile SDK when it starts, reduced to what points it at this server.
#pragma once

#include <string>
#include <string_view>

namespace actions::tracking {

// The settings JSON for `writeKey`, sending events to `apiBase` ("https://events.example.com",
// "http://127.0.0.1:8080"; a base without a scheme is taken as https).
std::string projectSettingsJson(std::string_view writeKey, std::string_view apiBase);

}  // namespace actions::tracking
