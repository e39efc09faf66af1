// `serve --settings F --listen HOST:PORT --write-key K...`: the destination as an HTTP service
// (docs/contracts.md "serve"); the server itself is in serve/.
#include <cstdlib>
#include <iostream>

#include "commands.h"
#include "serve/config.h"
#include "serve/server.h"

namespace cli {
namespace {

struct ServeOptions {
  std::string settings;
  std::string listen = "127.0.0.1:8080";
  std::vector<std::string> writeKeys;
  bool allowAnonymous = false;
  std::string mapping;
  std::optional<std::string> subscription;
  std::size_t batchSize = 0;
  unsigned parallel = 0;
  double retryForSeconds = 10;
  unsigned ioThreads = 2;
  unsigned workers = 32;
  std::size_t maxEventBytes = 32 * 1024;
  std::size_t maxBatchBytes = 500 * 1024;
  std::size_t maxBytesInFlight = 64u << 20;
  std::size_t maxKeylessBodyBytes = 500 * 1024;
  std::size_t maxKeylessBytesInFlight = 8u << 20;
  std::size_t maxConnections = 1024;
  std::size_t maxConnectionsPerAddress = 256;
  std::vector<std::string> allowedDatabases;
  unsigned retryAfter = 2;
  unsigned idleTimeout = 60;
  unsigned readTimeout = 30;
  unsigned drainTimeout = 30;
  bool quiet = false;
  std::string ack = "spool";
  std::string spool = "actions-singlestore-spool";
  std::uint64_t spoolMaxBytes = std::uint64_t(4) << 30;
  std::uint64_t spoolMinFreeBytes = std::uint64_t(512) << 20;
  double spoolRetryForSeconds = 4 * 3600;
  bool trustProxy = false;
  std::vector<std::string> corsOrigins;
  std::string publicUrl;
  std::string rejects;
  std::string sdkDir;
};

// "HOST:PORT", "[v6]:PORT" or ":PORT" (127.0.0.1).
bool splitListen(const std::string& text, std::string& host, unsigned short& port) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  if (host.empty()) host = "127.0.0.1";
  if (host == "localhost") host = "127.0.0.1";
  std::string p = text.substr(colon + 1);
  if (p.empty() || p.size() > 5 || p.find_first_not_of("0123456789") != std::string::npos)
    return false;
  unsigned long n = std::stoul(p);
  if (n > 65535) return false;
  port = static_cast<unsigned short>(n);
  return true;
}

int runServe(const ServeOptions& o) {
  serve::Config config;
  if (!splitListen(o.listen, config.host, config.port)) {
    printError("--listen must be HOST:PORT (for example 0.0.0.0:8080), not '" + o.listen + "'");
    return kExitFatal;
  }
  std::vector<std::string> keyTexts = o.writeKeys;
  // Keys from the environment stay out of the process list, where --write-key shows.
  if (const char* env = std::getenv("ACTIONS_SERVE_WRITE_KEYS")) {
    std::string list = env;
    for (std::size_t start = 0; start <= list.size();) {
      std::size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      std::string key = list.substr(start, comma - start);
      if (!key.empty()) keyTexts.push_back(key);
      start = comma + 1;
    }
  }
  if (keyTexts.empty() && !o.allowAnonymous) {
    printError(
        "no --write-key (nor ACTIONS_SERVE_WRITE_KEYS): give the write key(s) clients must "
        "present, or --allow-anonymous to accept requests without one");
    return kExitFatal;
  }
  std::vector<actions::tracking::WriteKey> writeKeys;
  for (const auto& text : keyTexts) {
    auto parsed = actions::tracking::parseWriteKey(text);
    if (!parsed.key) {
      // The message names the rule, never the key.
      printError("--write-key KEY[=SOURCE]: " + parsed.error);
      return kExitFatal;
    }
    writeKeys.push_back(*parsed.key);
  }
  if (!o.publicUrl.empty() && o.publicUrl.rfind("http://", 0) != 0 &&
      o.publicUrl.rfind("https://", 0) != 0) {
    printError("--public-url must start with https:// or http://, not '" + o.publicUrl + "'");
    return kExitFatal;
  }
  auto r = actions::loadSettingsFile(o.settings, passwordFromEnvironment());
  for (const auto& p : r.problems) printError("invalid settings: " + p);
  if (!r.ok()) return kExitFatal;

  config.writeKeys = std::move(writeKeys);
  config.allowAnonymous = o.allowAnonymous;
  config.trustProxy = o.trustProxy;
  config.corsOrigins = o.corsOrigins;
  config.publicUrl = o.publicUrl;
  config.rejectsPath = o.rejects;
  config.sdkDir = o.sdkDir;
  if (!o.mapping.empty()) config.send.mappingJson = mappingText(o.mapping);
  config.send.subscription = o.subscription;
  config.send.batchSize = o.batchSize;
  config.send.parallel = o.parallel;
  config.send.retryFor =
      std::chrono::milliseconds(static_cast<long long>(o.retryForSeconds * 1000));
  config.ioThreads = o.ioThreads;
  config.workers = o.workers;
  config.limits.maxEventBytes = o.maxEventBytes;
  config.limits.maxBatchBytes = o.maxBatchBytes;
  config.limits.maxBytesInFlight = o.maxBytesInFlight;
  config.limits.maxKeylessBodyBytes = o.maxKeylessBodyBytes;
  config.limits.maxKeylessBytesInFlight = o.maxKeylessBytesInFlight;
  config.limits.maxConnections = o.maxConnections;
  config.limits.maxConnectionsPerAddress = o.maxConnectionsPerAddress;
  config.limits.drainTimeout = std::chrono::seconds(o.drainTimeout);
  config.allowedDatabases = o.allowedDatabases;
  config.limits.retryAfter = std::chrono::seconds(o.retryAfter);
  config.limits.idleTimeout = std::chrono::seconds(o.idleTimeout);
  config.limits.readTimeout = std::chrono::seconds(o.readTimeout);
  config.logRequests = !o.quiet;
  config.ack = o.ack == "table" ? serve::Ack::Table : serve::Ack::Spool;
  config.spool.directory = o.spool;
  config.spool.maxBytes = o.spoolMaxBytes;
  config.spool.minFreeBytes = o.spoolMinFreeBytes;
  config.spool.retryFor = std::chrono::seconds(static_cast<long long>(o.spoolRetryForSeconds));
  return serve::run(config, *r.settings);
}

}  // namespace

Command addServe(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "serve", "Run as an HTTP service: Segment's tracking API, /actions/send, health, metrics");
  auto o = std::make_shared<ServeOptions>();
  addSettingsOption(*app, o->settings)->required();
  app->add_option("--listen", o->listen, "Address to listen on (default 127.0.0.1:8080)")
      ->type_name("HOST:PORT");
  app->add_option("--write-key", o->writeKeys,
                  "A write key clients must present (HTTP Basic user name, or \"writeKey\" in "
                  "the body), and the name of the source it stands for, stored with its events "
                  "as projectId; repeat for several")
      ->type_name("KEY[=SOURCE]")
      ->allow_extra_args(false);
  app->add_flag("--allow-anonymous", o->allowAnonymous,
                "Accept requests without a write key (a wrong key is still refused)");
  addDeliveryMappingOption(*app, o->mapping);
  addDeliverySubscriptionOption(*app, o->subscription);
  app->add_option("--batch-size", o->batchSize,
                  "The most events one statement carries, 1..10000 (default: the mapping's "
                  "max_batch_size)")
      ->type_name("N")
      ->check(CLI::Range(1, 10000).description(""))
      ->group(kGroupDelivery);
  app->add_option("--parallel", o->parallel, "Database connections, 1..64 (default 2)")
      ->type_name("N")
      ->check(CLI::Range(1, 64).description(""))
      ->group(kGroupDelivery);
  app->add_option("--retry-for", o->retryForSeconds,
                  "Seconds to retry transient database faults within a request before it is "
                  "answered 503 (default 10: clients retry themselves)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 3600.0).description(""))
      ->group(kGroupDelivery);
  const char* kGroupAck = "Acceptance";
  app->add_option("--ack", o->ack,
                  "What a 200 answer means: spool (default: the events are written and fsync'd "
                  "to the spool, and stored in the table in the background, retried for hours) "
                  "or table (they are in the table)")
      ->type_name("spool|table")
      ->check(CLI::IsMember({"spool", "table"}).description(""))
      ->group(kGroupAck);
  app->add_option("--spool", o->spool,
                  "The spool's directory (default actions-singlestore-spool in the working "
                  "directory); one server per directory")
      ->type_name("DIR")
      ->group(kGroupAck);
  app->add_option("--spool-max-bytes", o->spoolMaxBytes,
                  "The most the spool holds; past it requests are answered 429 (default 4 GiB)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::uint64_t(64) << 10, std::uint64_t(1) << 50).description(""))
      ->group(kGroupAck);
  app->add_option("--spool-min-free-bytes", o->spoolMinFreeBytes,
                  "Free space the spool leaves on its file system; below it requests are "
                  "answered 429 (default 512 MiB)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::uint64_t(0), std::uint64_t(1) << 50).description(""))
      ->group(kGroupAck);
  app->add_option("--spool-retry-for", o->spoolRetryForSeconds,
                  "Seconds a spooled event's delivery is retried (from its acceptance) before it "
                  "goes to the dead-letter file (default 14400: four hours)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1.0, 30.0 * 86400).description(""))
      ->group(kGroupAck);
  const char* kGroupServer = "Server";
  app->add_option("--workers", o->workers,
                  "Requests delivered at once (threads calling the destination), 1..1024 "
                  "(default 32)")
      ->type_name("N")
      ->check(CLI::Range(1, 1024).description(""))
      ->group(kGroupServer);
  app->add_option("--io-threads", o->ioThreads, "Threads running the sockets, 1..64 (default 2)")
      ->type_name("N")
      ->check(CLI::Range(1, 64).description(""))
      ->group(kGroupServer);
  app->add_option("--max-event-bytes", o->maxEventBytes,
                  "Largest event, and largest body of a single-event path (default 32768)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::size_t(64), std::size_t(64) << 20).description(""))
      ->group(kGroupServer);
  app->add_option("--max-batch-bytes", o->maxBatchBytes,
                  "Largest body of /v1/batch and /actions/send (default 512000)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 30).description(""))
      ->group(kGroupServer);
  app->add_option("--max-bytes-in-flight", o->maxBytesInFlight,
                  "Request bytes held at once; past it requests are answered 429 "
                  "(default 67108864)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::size_t(1024), std::size_t(1) << 40).description(""))
      ->group(kGroupServer);
  app->add_option("--max-keyless-body-bytes", o->maxKeylessBodyBytes,
                  "Largest body of a request without a write key in HTTP Basic (its key may be "
                  "in the body, as browsers send it; default 512000, Segment's batch limit)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::size_t(64), std::size_t(1) << 30).description(""))
      ->group(kGroupServer);
  app->add_option("--max-keyless-bytes-in-flight", o->maxKeylessBytesInFlight,
                  "Bytes held at once for requests without a write key in HTTP Basic, apart from "
                  "--max-bytes-in-flight; past it they are answered 429 (default 8388608)")
      ->type_name("BYTES")
      ->check(CLI::Range(std::size_t(1024), std::size_t(1) << 40).description(""))
      ->group(kGroupServer);
  app->add_option("--max-connections", o->maxConnections,
                  "Client connections open at once; past it new ones are closed (default 1024)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t(1), std::size_t(1) << 20).description(""))
      ->group(kGroupServer);
  app->add_option("--max-connections-per-address", o->maxConnectionsPerAddress,
                  "Client connections open at once from one address (default 256; behind a "
                  "proxy every client has the proxy's address)")
      ->type_name("N")
      ->check(CLI::Range(std::size_t(1), std::size_t(1) << 20).description(""))
      ->group(kGroupServer);
  app->add_option("--allow-database", o->allowedDatabases,
                  "A database /actions/send may write to besides the settings' dbName (a "
                  "request's mapping may name one); repeat for several")
      ->type_name("NAME")
      ->allow_extra_args(false)
      ->group(kGroupServer);
  app->add_option("--drain-timeout", o->drainTimeout,
                  "Seconds the drain after SIGTERM / SIGINT may take; then requests still in "
                  "flight are cut and the exit status is 1 (default 30)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 86400).description(""))
      ->group(kGroupServer);
  app->add_option("--retry-after", o->retryAfter,
                  "Seconds a 429 or 503 answer asks the client to wait (Retry-After, default 2)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600).description(""))
      ->group(kGroupServer);
  app->add_option("--idle-timeout", o->idleTimeout,
                  "Seconds a keep-alive connection may wait for its next request (default 60)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 86400).description(""))
      ->group(kGroupServer);
  app->add_option("--read-timeout", o->readTimeout,
                  "Seconds to read one request once it has begun (default 30)")
      ->type_name("SECONDS")
      ->check(CLI::Range(1, 3600).description(""))
      ->group(kGroupServer);
  app->add_flag("--trust-proxy", o->trustProxy,
                "A proxy in front sets X-Forwarded-For: client-side events get context.ip from "
                "it (its last address), not from the connection")
      ->group(kGroupServer);
  app->add_option("--cors-origin", o->corsOrigins,
                  "An origin whose pages may send events (https://www.example.com); repeat for "
                  "several (default: any origin, as browser write keys are public)")
      ->type_name("ORIGIN")
      ->allow_extra_args(false)
      ->group(kGroupServer);
  app->add_option("--public-url", o->publicUrl,
                  "The address SDKs reach this server at, given to them in "
                  "/v1/projects/KEY/settings (default: the request's Host, over http)")
      ->type_name("URL")
      ->group(kGroupServer);
  app->add_option(
         "--sdk-dir", o->sdkDir,
         "Serve the browser SDK from DIR (the dist/umd folder of @segment/analytics-next), "
         "so a website's Segment snippet loads it, and its settings, from this server")
      ->type_name("DIR")
      ->group(kGroupServer);
  app->add_option("--rejects", o->rejects,
                  "Append the text of every rejected event to FILE, one per line, for fixing and "
                  "sending again")
      ->type_name("FILE")
      ->group(kGroupOutput);
  app->add_flag("--quiet", o->quiet,
                "No log line per request (start, drain, stop, errors and failed requests are "
                "still logged)")
      ->group(kGroupOutput);
  setHelp(
      *app,
      {"One long-lived destination behind HTTP/1.1 (keep-alive), in front of it Segment's "
       "tracking API as Segment's sources reach it: POST /v1/batch, /v1/import, /v1/b "
       "({\"batch\":[events]}, a bare array of events, or one event with its type) and "
       "/v1/track, /v1/identify, /v1/page, /v1/screen, /v1/group, /v1/alias, /v1/t, /v1/i, "
       "/v1/p, /v1/s, /v1/g, /v1/a with one event; JSON or text/plain bodies; CORS for browsers; "
       "GET /v1/projects/KEY/settings for browser and mobile SDKs. Each event gets what Segment's "
       "API adds (receivedAt, the device clock corrected with sentAt, originalTimestamp, "
       "context.ip for client-side libraries, messageId and timestamp when missing) and is "
       "answered 200 {\"success\":true} once accepted, skipped or rejected (skipped and "
       "rejected ones listed with their reasons). Accepted means, with --ack spool (the "
       "default): written and fsync'd to the spool (--spool DIR), from which the events are "
       "stored in the table in the background, retried for --spool-retry-for, surviving a crash "
       "or a restart; with --ack table: in the table (or a duplicate). 400 a body that is not "
       "JSON or over Segment's limits; 401 no or wrong write key; 429 with Retry-After when the "
       "spool is full (--ack spool) or the database refused for load, 503 when events could not "
       "be accepted now. POST /actions/send {\"payload\": event or [events], \"mapping\"?, "
       "\"subscription\"?} answers one Segment multi-status entry per event (from the table). "
       "GET /health, /ready (from a background check, never waiting: --ack spool: the spool takes "
       "events, the database's state reported; --ack table: the database answered a recent "
       "check), /metrics (Prometheus). Logs are JSON lines on standard error. SIGTERM or SIGINT "
       "drains: stops accepting, answers every request in flight, delivers from the spool while "
       "--drain-timeout allows (the rest stays on disk for the next start), exits 0; the drain "
       "ends by --drain-timeout whatever it is doing. Several servers may write to one database: "
       "a messageId is stored once. TLS: put a proxy in front (docs/serve.md).\n\n"
       "Environment:\n"
       "  SINGLESTORE_PASSWORD      the password, when the settings file has none\n"
       "  ACTIONS_SERVE_WRITE_KEYS  write keys, comma-separated (not shown by ps)",
       {"0  drained after SIGTERM / SIGINT",
        "1  a second signal, or --drain-timeout, ended the drain early",
        "2  did not start: usage, settings, mapping, subscription, no write key, address, "
        "--rejects or --sdk-dir unusable, the spool (in use by another process, or not "
        "writable)"},
       {"actions-singlestore serve --settings settings.json --listen 0.0.0.0:8080 \\\n"
        "      --write-key \"$WRITE_KEY\"",
        "ACTIONS_SERVE_WRITE_KEYS=k1,k2 actions-singlestore serve \\\n"
        "      --settings settings.json --listen 127.0.0.1:0 --quiet",
        "curl -u \"$WRITE_KEY:\" http://127.0.0.1:8080/v1/batch -d \\\n"
        "      '{\"batch\":[{\"type\":\"track\",\"event\":\"Signed Up\",\"userId\":\"u1\",\n"
        "      \"messageId\":\"m1\",\"timestamp\":\"2026-01-01T00:00:00Z\"}]}'"}});
  return {app, [o] { return runServe(*o); }};
}

}  // namespace cli
