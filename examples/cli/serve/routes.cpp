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
      return ready(authorization);
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

// From the background check (readiness.h): never waits on the database. Why the database does not
// answer may name its address and user: only a request with a known write key in HTTP Basic
// hears it (the log always has it).
Answer Routes::ready(std::string_view authorization) {
  Answer a{503, "{\"ready\":false,\"error\":"};
  a.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
  if (draining_.load()) {
    actions::appendJsonString("draining: the server is shutting down", a.body);
  } else {
    Readiness::State state =
        readiness_ ? readiness_->now() : Readiness::State{false, "not checked"};
    if (state.ready) return Answer{200, "{\"ready\":true}"};
    auto user = basicUser(authorization);
    bool keyHolder =
        user && !user->empty() && keys_.check(authorization, std::nullopt) == AuthResult::Allowed;
    actions::appendJsonString(keyHolder ? state.why
                                        : "the database cannot take events now (the server's log "
                                          "says why, and so does /ready asked with a write key)",
                              a.body);
  }
  a.body += "}";
  return a;
}

Answer Routes::metrics() {
  Answer a{200, metrics_.render(destinations_.stats())};
  a.contentType = "text/plain; version=0.0.4; charset=utf-8";
  return a;
}

}  // namespace serve
