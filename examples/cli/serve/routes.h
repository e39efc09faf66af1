// What each request path does. The session (session.cpp) reads a request, asks route() what it
// is and how large its body may be, and hands it to Routes::handle() on a worker thread: the
// Destination calls block until the events are stored, so they never run on a socket thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "auth.h"
#include "config.h"
#include "destinations.h"
#include "metrics.h"
#include "readiness.h"

namespace serve {

enum class RouteKind {
  Health,         // GET /health
  Ready,          // GET /ready
  Metrics,        // GET /metrics
  TrackingBatch,  // POST /v1/batch
  TrackingOne,    // POST /v1/track, /v1/identify, ... (type: the path's last segment)
  ActionsSend,    // POST /actions/send
  NotFound,
  MethodNotAllowed,
};

struct Route {
  RouteKind kind = RouteKind::NotFound;
  std::string_view type;    // TrackingOne: "track", "identify", ...
  std::size_t maxBody = 0;  // the largest body it accepts (0: none expected)
  bool blocking = false;    // runs on a worker thread (it calls the Destination)
};

// `method` as sent ("GET", "POST"...); `target` the request target (a query string is ignored).
Route route(std::string_view method, std::string_view target, const Limits& limits);

struct Answer {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  int retryAfterSeconds = 0;    // > 0: sent as Retry-After
  bool askForWriteKey = false;  // 401: sent with WWW-Authenticate: Basic
  std::size_t events = 0;       // events in the request (for the log)
};

// {"success":false,"error":".."} with `status`.
Answer errorAnswer(int status, std::string_view message);

class Routes {
 public:
  Routes(const Config& config, Destinations& destinations, Metrics& metrics,
         const std::atomic<bool>& draining)
      : config_(config),
        destinations_(destinations),
        metrics_(metrics),
        keys_(config.writeKeys, config.allowAnonymous),
        draining_(draining) {}

  // Where GET /ready reads the database's state (not ready without one).
  void useReadiness(const Readiness* readiness) { readiness_ = readiness; }

  // Answers one request. `authorization` is the Authorization header ("" when absent).
  Answer handle(const Route& route, const std::string& body, std::string_view authorization);

 private:
  Answer tracking(const Route& route, const std::string& body, std::string_view authorization);
  Answer actionsSend(const std::string& body, std::string_view authorization);
  Answer ready(std::string_view authorization);
  Answer metrics();

  const Config& config_;
  Destinations& destinations_;
  Metrics& metrics_;
  WriteKeys keys_;
  const std::atomic<bool>& draining_;
  const Readiness* readiness_ = nullptr;
};

}  // namespace serve
