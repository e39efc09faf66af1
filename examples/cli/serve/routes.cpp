#include "routes.h"

#include "actions/destination.h"
#include "actions/json_text.h"
#include "cors.h"
#include "rejects_file.h"
#include "sdk_files.h"

namespace serve {
namespace {

// The destination's name as describe() gives it: the key of the integrations object that sends
// an event here ({"All": false, "SingleStore": true}).
std::string destinationName() {
  std::string d = actions::describe();
  constexpr std::string_view key = "\"name\":\"";
  auto at = d.find(key);
  if (at == std::string::npos) return "SingleStore";
  auto begin = at + key.size();
  return d.substr(begin, d.find('"', begin) - begin);
}

actions::tracking::Options trackingOptions(const Config& config) {
  actions::tracking::Options o;
  o.writeKeys = config.writeKeys;
  o.allowAnonymous = config.allowAnonymous;
  o.trustProxy = config.trustProxy;
  o.limits.maxEventBytes = config.limits.maxEventBytes;
  o.limits.maxBatchBytes = config.limits.maxBatchBytes;
  o.destinationName = destinationName();
  return o;
}

}  // namespace

Route route(std::string_view method, std::string_view target, const Limits& limits) {
  using actions::tracking::Endpoint;
  std::string_view path = target.substr(0, target.find('?'));
  Route r;
  auto expect = [&](std::string_view wanted) {
    if (method != wanted) r.kind = RouteKind::MethodNotAllowed;
  };
  if (path == "/health") {
    r.kind = RouteKind::Health;
    expect("GET");
  } else if (path == "/ready") {
    r.kind = RouteKind::Ready;
    expect("GET");
  } else if (path == "/metrics") {
    r.kind = RouteKind::Metrics;
    expect("GET");
  } else if (path == "/actions/send") {
    r.kind = RouteKind::ActionsSend;
    r.maxBody = limits.maxBatchBytes;
    r.blocking = true;
    expect("POST");
  } else {
    r.tracking = actions::tracking::endpointFor(path);
    switch (r.tracking.endpoint) {
      case Endpoint::Batch:
      case Endpoint::ClientBatch:
      case Endpoint::Single:
        r.kind = RouteKind::Tracking;
        r.maxBody =
            r.tracking.endpoint == Endpoint::Single ? limits.maxEventBytes : limits.maxBatchBytes;
        r.blocking = true;
        expect("POST");
        break;
      case Endpoint::ClientMetrics:
        r.kind = RouteKind::ClientMetrics;
        r.maxBody = limits.maxEventBytes;
        expect("POST");
        break;
      case Endpoint::ProjectSettings:
        r.kind = RouteKind::ProjectSettings;
        expect("GET");
        break;
      case Endpoint::Unknown:
        if (path.substr(0, 17) == "/analytics.js/v1/" ||
            path.substr(0, 24) == "/analytics-next/bundles/") {
          r.kind = RouteKind::SdkFile;
          expect("GET");
        }
        break;
    }
    if (method == "OPTIONS" && r.tracking.endpoint != Endpoint::Unknown)
      r.kind = RouteKind::Preflight;
  }
  if (r.kind == RouteKind::MethodNotAllowed || r.kind == RouteKind::Preflight) {
    r.maxBody = 0;
    r.blocking = false;
  }
  return r;
}

Answer errorAnswer(int status, std::string_view message) {
  Answer a;
  a.status = status;
  a.body = "{\"success\":false,\"error\":";
  actions::appendJsonString(message, a.body);
  a.body += "}";
  return a;
}

Routes::Routes(const Config& config, Destinations& destinations, Acceptance& acceptance,
               Metrics& metrics, const std::atomic<bool>& draining)
    : config_(config),
      destinations_(destinations),
      acceptance_(acceptance),
      metrics_(metrics),
      tracking_(trackingOptions(config)),
      keys_(tracking_),
      cors_(std::make_unique<Cors>(config.corsOrigins)),
      draining_(draining) {
  if (!config.rejectsPath.empty()) rejects_ = std::make_unique<RejectsFile>(config.rejectsPath);
  if (!config.sdkDir.empty()) sdk_ = std::make_unique<SdkFiles>(config.sdkDir);
}

Routes::~Routes() = default;

void Routes::decorate(Answer& answer, const RequestHeaders& headers) const {
  cors_->decorate(answer, headers.origin);
}

Answer Routes::handle(const Route& route, const std::string& body, const RequestHeaders& headers) {
  switch (route.kind) {
    case RouteKind::Health:
      return Answer{200, "{\"status\":\"ok\"}"};
    case RouteKind::Ready:
      return ready();
    case RouteKind::Metrics:
      return metrics();
    case RouteKind::Tracking:
      return tracking(route, body, headers);
    case RouteKind::ClientMetrics:
      // analytics.js's own counters (Segment's /v1/m): nothing here keeps them.
      return Answer{200, "{\"success\":true}"};
    case RouteKind::ProjectSettings:
      return projectSettings(route, headers);
    case RouteKind::SdkFile:
      return sdkFile(headers);
    case RouteKind::Preflight:
      return cors_->preflight(headers.origin, headers.requestedHeaders);
    case RouteKind::ActionsSend:
      return actionsSend(body, headers.authorization);
    case RouteKind::MethodNotAllowed:
      return errorAnswer(405, "method not allowed for this path");
    case RouteKind::NotFound:
      break;
  }
  return errorAnswer(404,
                     "no such path: the server answers Segment's tracking API (POST /v1/batch, "
                     "/v1/import, /v1/b, /v1/track, /v1/identify, /v1/page, /v1/screen, "
                     "/v1/group, /v1/alias, /v1/t, /v1/i, /v1/p, /v1/s, /v1/g, /v1/a, /v1/m; GET "
                     "/v1/projects/KEY/settings), POST /actions/send and GET /health, /ready, "
                     "/metrics");
}

Answer Routes::projectSettings(const Route& route, const RequestHeaders& headers) {
  // The address clients reach this server at: as configured, else as this request reached it.
  std::string base = config_.publicUrl;
  if (base.empty()) {
    std::string scheme = config_.trustProxy && !headers.forwardedProto.empty()
                             ? headers.forwardedProto.substr(0, headers.forwardedProto.find(','))
                             : "http";
    base = scheme + "://" + headers.host;
  }
  std::string settings = tracking_.projectSettings(route.tracking.writeKey, base);
  if (settings.empty()) return errorAnswer(404, "no such write key on this server");
  Answer a{200, std::move(settings)};
  a.headers.emplace_back("Cache-Control", "public, max-age=300");
  return a;
}

Answer Routes::sdkFile(const RequestHeaders& headers) {
  const std::string* file = sdk_ ? sdk_->find(headers.path) : nullptr;
  if (!file)
    return errorAnswer(404, sdk_ ? "no such file of the browser SDK"
                                 : "this server does not serve the browser SDK (--sdk-dir)");
  Answer a{200, *file};
  a.contentType = "application/javascript; charset=utf-8";
  a.headers.emplace_back("Cache-Control", "public, max-age=3600");
  return a;
}

// From the background check (database_check.h) and the Acceptance: never waits on the database,
// so readiness probes cannot hold workers or connections while it stalls. What it says names no
// address or user (the check's reasons are public), so it is the same for every caller.
Answer Routes::ready() {
  if (draining_.load()) {
    Answer a{503, "{\"ready\":false,\"error\":\"draining: the server is shutting down\"}"};
    a.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
    return a;
  }
  std::string database = databaseCheck_ ? databaseCheck_->now().why
                                        : std::string("the database has not been checked yet");
  Readiness r = acceptance_.readiness(database);
  Answer a{r.ready ? 200 : 503, r.ready ? "{\"ready\":true" : "{\"ready\":false,\"error\":"};
  if (!r.ready) actions::appendJsonString(r.error, a.body);
  // With the spool the database being down is reported here, not fatal.
  if (config_.ack == Ack::Spool) {
    a.body += ",\"database\":";
    if (r.database.empty())
      a.body += "\"ok\"";
    else
      actions::appendJsonString(r.database, a.body);
  }
  a.body += "}";
  if (!r.ready) a.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
  return a;
}

Answer Routes::metrics() {
  Answer a{200, metrics_.render(destinations_.stats())};
  acceptance_.renderMetrics(a.body);
  a.contentType = "text/plain; version=0.0.4; charset=utf-8";
  return a;
}

}  // namespace serve
