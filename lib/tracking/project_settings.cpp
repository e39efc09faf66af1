// The Segment.io destination's apiHost and protocol send the SDK's events to this server's
// tracking API; the metrics host sends analytics.js's telemetry to /v1/m, where it is answered
// and dropped (sampleRate 0: it sends none unless a page asks); the tracking plan lets every
// event through, and no other destination is loaded.
#include "tracking/project_settings.h"

#include "json/json.h"

namespace actions::tracking {

std::string projectSettingsJson(std::string_view writeKey, std::string_view apiBase) {
  std::string_view protocol = "https";
  std::string_view host = apiBase;
  if (auto scheme = apiBase.find("://"); scheme != std::string_view::npos) {
    protocol = apiBase.substr(0, scheme);
    host = apiBase.substr(scheme + 3);
  }
  while (!host.empty() && host.back() == '/') host.remove_suffix(1);
  std::string apiHost = std::string(host) + "/v1";
  std::string out = "{\"integrations\":{\"Segment.io\":{\"apiKey\":";
  json::appendQuoted(writeKey, out);
  out += ",\"apiHost\":";
  json::appendQuoted(apiHost, out);
  out += ",\"protocol\":";
  json::appendQuoted(protocol, out);
  out +=
      ",\"addBundledMetadata\":true,\"unbundledIntegrations\":[],\"maybeBundledConfigIds\":{}}},"
      "\"plan\":{\"track\":{\"__default\":{\"enabled\":true,\"integrations\":{}}},"
      "\"identify\":{\"__default\":{\"enabled\":true}},\"group\":{\"__default\":{\"enabled\":true}}"
      "},"
      "\"edgeFunction\":{},\"analyticsNextEnabled\":true,\"middlewareSettings\":{},"
      "\"enabledMiddleware\":{},\"metrics\":{\"sampleRate\":0,\"host\":";
  json::appendQuoted(apiHost, out);
  out += "},\"legacyVideoPluginsEnabled\":false,\"remotePlugins\":[]}";
  return out;
}

}  // namespace actions::tracking
