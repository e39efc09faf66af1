// What each request path does. The session (session.cpp) reads a request, asks route() what it
// is and how large its body may be, and hands it to Routes::handle() on a worker thread: the
// Destination calls block until the events are stored (or spooled, fsync included), so they
// never run on a socket thread.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "acceptance.h"
#include "actions/tracking.h"
#include "auth.h"
#include "config.h"
#include "database_check.h"
#include "destinations.h"
#include "metrics.h"

namespace serve {

class Cors;
class RejectsFile;
class SdkFiles;

enum class RouteKind {
  Health,           // GET /health
  Ready,            // GET /ready
  Metrics,          // GET /metrics
  Tracking,         // POST /v1/batch, /v1/import, /v1/b, /v1/track ... /v1/t ...
  ClientMetrics,    // POST /v1/m: analytics.js's telemetry, answered 200 and dropped
  ProjectSettings,  // GET /v1/projects/{writeKey}/settings
  SdkFile,          // GET /analytics.js/v1/{writeKey}/analytics.min.js, /analytics-next/bundles/*
  Preflight,        // OPTIONS on a tracking path: CORS
  ActionsSend,      // POST /actions/send
  NotFound,
  MethodNotAllowed,
};

struct Route {
  RouteKind kind = RouteKind::NotFound;
  actions::tracking::EndpointInfo tracking;  // Tracking, ClientMetrics, ProjectSettings
  std::size_t maxBody = 0;                   // the largest body it accepts (0: none expected)
  bool blocking = false;                     // runs on a worker thread (it calls the Destination)
};

// `method` as sent ("GET", "POST"...); `target` the request target (a query string is ignored).
Route route(std::string_view method, std::string_view target, const Limits& limits);

// The headers of a request the routes read, and where it came from.
struct RequestHeaders {
  std::string authorization;     // "" when absent
  std::string origin;            // a browser's Origin
  std::string requestedHeaders;  // Access-Control-Request-Headers (a preflight)
  std::string forwardedFor;      // X-Forwarded-For
  std::string forwardedProto;    // X-Forwarded-Proto
  std::string host;              // Host
  std::string peer;              // the connection's remote address
  std::string path;              // the request target's path (for the log)
};

struct Answer {
  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  int retryAfterSeconds = 0;    // > 0: sent as Retry-After
  bool askForWriteKey = false;  // 401: sent with WWW-Authenticate: Basic
  std::size_t events = 0;       // events in the request (for the log)
  std::vector<std::pair<std::string, std::string>> headers{};  // more headers to send (CORS...)
};

// {"success":false,"error":".."} with `status`.
Answer errorAnswer(int status, std::string_view message);

class Routes {
 public:
  Routes(const Config& config, Destinations& destinations, Acceptance& acceptance, Metrics& metrics,
         const std::atomic<bool>& draining);
  ~Routes();

  // Where GET /ready reads the database's state (not ready without one).
  void useDatabaseCheck(const DatabaseCheck* check) { databaseCheck_ = check; }

  // Answers one request.
  Answer handle(const Route& route, const std::string& body, const RequestHeaders& headers);
  // Adds the headers every answer carries (CORS), to answers made anywhere.
  void decorate(Answer& answer, const RequestHeaders& headers) const;
  // The write key of an Authorization header, judged before a body is read.
  actions::tracking::KeyCheck checkAuthorization(std::string_view authorization) const {
    return tracking_.checkAuthorization(authorization).check;
  }

 private:
  Answer tracking(const Route& route, const std::string& body, const RequestHeaders& headers);
  Answer projectSettings(const Route& route, const RequestHeaders& headers);
  Answer sdkFile(const RequestHeaders& headers);
  Answer actionsSend(const std::string& body, std::string_view authorization);
  Answer ready();
  Answer metrics();
  // Hands a request's accepted events to the Acceptance (--ack: stored in the table, or
  // resolved and spooled); one result per event, in order.
  std::vector<actions::EventResult> accept(const std::vector<std::string>& events);
  // Logs the skipped and rejected events of an answered request, and writes the rejected ones
  // to --rejects.
  void reportRefused(const std::vector<actions::tracking::EventAnswer>& answers,
                     const actions::tracking::Intake& in, const RequestHeaders& headers);

  const Config& config_;
  Destinations& destinations_;
  Acceptance& acceptance_;  // what a tracking request's 200 means (--ack)
  Metrics& metrics_;
  actions::tracking::TrackingApi tracking_;
  WriteKeys keys_;
  std::unique_ptr<Cors> cors_;
  std::unique_ptr<RejectsFile> rejects_;
  std::unique_ptr<SdkFiles> sdk_;
  const std::atomic<bool>& draining_;
  const DatabaseCheck* databaseCheck_ = nullptr;
};

}  // namespace serve
