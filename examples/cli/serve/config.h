// What `serve` is told on its command line (cmd_serve.cpp fills it; the server only reads it).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "actions/sender.h"
#include "actions/settings.h"
#include "actions/tracking.h"

namespace serve {

struct Limits {
  std::size_t maxEventBytes = 32 * 1024;     // one event (Segment's limit per call)
  std::size_t maxBatchBytes = 500 * 1024;    // one request body (Segment's limit per batch)
  std::size_t maxBytesInFlight = 64u << 20;  // request bytes held at once, process-wide
  // Requests without a write key in HTTP Basic (it may be in the body, as browsers send it): the
  // largest body, and the bytes such requests hold at once, apart from the budget above. The
  // largest body is Segment's batch limit by default: analytics.js's batching strategy posts
  // batches of up to 500 KB with the key in the body, and drops a batch answered 413.
  std::size_t maxKeylessBodyBytes = 500 * 1024;
  std::size_t maxKeylessBytesInFlight = 8u << 20;
  std::size_t maxConnections = 1024;           // open at once, in all
  std::size_t maxConnectionsPerAddress = 256;  // open at once from one client address
  std::chrono::seconds retryAfter{2};          // what 429 / 503 answers ask a client to wait
  std::chrono::seconds idleTimeout{60};        // a keep-alive connection waiting for a request
  std::chrono::seconds readTimeout{30};        // reading one request, once it has begun
  std::chrono::seconds writeTimeout{30};       // writing one answer
  std::chrono::seconds drainTimeout{30};       // SIGTERM: the drain ends by then, done or not
};

// What a 200 answer to a tracking request means (docs/serve.md, "What an answer means").
enum class Ack {
  Spool,  // the events are durably in the spool; a delivery loop stores them in the table
  Table,  // the events are in the table
};

// The spool of --ack spool (actions::Spool, actions::SpoolDelivery).
struct SpoolConfig {
  std::string directory = "actions-singlestore-spool";
  std::uint64_t maxBytes = std::uint64_t(4) << 30;
  std::uint64_t minFreeBytes = std::uint64_t(512) << 20;
  std::chrono::seconds retryFor{4 * 3600};  // how long a spooled event's delivery is retried
};

struct Config {
  std::string host = "127.0.0.1";
  unsigned short port = 8080;
  std::vector<actions::tracking::WriteKey> writeKeys;  // empty: only with allowAnonymous
  bool allowAnonymous = false;
  bool trustProxy = false;               // context.ip from X-Forwarded-For (a proxy in front)
  std::vector<std::string> corsOrigins;  // origins browsers may send from; empty: any
  std::string publicUrl;                 // the address SDKs reach this server at (project settings)
  std::string rejectsPath;               // --rejects: the text of every rejected event, appended
  std::string sdkDir;  // --sdk-dir: the browser SDK's files, served to websites' snippets
  // The server-wide Destination's options: mapping, subscription, batch size, connections,
  // retryFor. Requests to /actions/send may override the mapping and the subscription.
  actions::SendOptions send;
  unsigned ioThreads = 2;  // threads running the sockets
  unsigned workers = 32;   // threads blocked in Destination calls: requests delivered at once
  Limits limits;
  // Databases /actions/send may write to besides the settings' dbName (a request's mapping can
  // name any): none unless the operator lists them.
  std::vector<std::string> allowedDatabases;
  Ack ack = Ack::Spool;
  SpoolConfig spool;
  bool logRequests = true;  // one log line per request (errors and lifecycle are always logged)
};

}  // namespace serve
