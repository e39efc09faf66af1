#include "routes.h"

#include <array>

#include "actions/json_text.h"

namespace serve {

Route route(std::string_view method, std::string_view target, const Limits& limits) {
  std::string_view path = target.substr(0, target.find('?'));
  static constexpr std::array<std::string_view, 6> kTypes = {"track",  "identify", "page",
                                                             "screen", "group",    "alias"};
  Route r;
  auto expect = [&](std::string_view wanted) {
    if (method != wanted) r.kind = RouteKind::MethodNotAllowed;
  };
  if (path == "/health") {
    r.kind = RouteKind::Health;
    expect("GET");
  } else if (path == "/ready") {
    r.kind = RouteKind::Ready;
    r.blocking = true;
    expect("GET");
  } else if (path == "/metrics") {
    r.kind = RouteKind::Metrics;
    expect("GET");
  } else if (path == "/v1/batch") {
    r.kind = RouteKind::TrackingBatch;
    r.maxBody = limits.maxBatchBytes;
    r.blocking = true;
    expect("POST");
  } else if (path == "/actions/send") {
    r.kind = RouteKind::ActionsSend;
    r.maxBody = limits.maxBatchBytes;
    r.blocking = true;
    expect("POST");
  } else if (path.substr(0, 4) == "/v1/") {
    for (auto type : kTypes) {
      if (path.substr(4) == type) {
        r.kind = RouteKind::TrackingOne;
        r.type = type;
        r.maxBody = limits.maxEventBytes;
        r.blocking = true;
        expect("POST");
      }
    }
  }
  if (r.kind == RouteKind::MethodNotAllowed) {
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

Answer Routes::handle(const Route& route, const std::string& body, std::string_view authorization) {
  switch (route.kind) {
    case RouteKind::Health:
      return Answer{200, "{\"status\":\"ok\"}"};
    case RouteKind::Ready:
      return ready();
    case RouteKind::Metrics:
      return metrics();
    case RouteKind::TrackingBatch:
    case RouteKind::TrackingOne:
      return tracking(route, body, authorization);
    case RouteKind::ActionsSend:
      return actionsSend(body, authorization);
    case RouteKind::MethodNotAllowed:
      return errorAnswer(405, "method not allowed for this path");
    case RouteKind::NotFound:
      break;
  }
  return errorAnswer(404,
                     "no such path: the server answers POST /v1/batch, /v1/track, /v1/identify, "
                     "/v1/page, /v1/screen, /v1/group, /v1/alias, /actions/send and GET /health, "
                     "/ready, /metrics");
}

Answer Routes::ready() {
  if (draining_.load()) {
    Answer a{503, "{\"ready\":false,\"error\":\"draining: the server is shutting down\"}"};
    a.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
    return a;
  }
  Readiness r = acceptance_.readiness();
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
  if (r.ready) return a;
  a.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
  return a;
}

Answer Routes::metrics() {
  Answer a{200, metrics_.render(destinations_.stats())};
  acceptance_.renderMetrics(a.body);
  a.contentType = "text/plain; version=0.0.4; charset=utf-8";
  return a;
}

}  // namespace serve
