#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "commands.h"
#include "io/event_reader.h"
#include "kit/batch_pipeline.h"
#include "kit/default_mapping.h"
#include "kit/executor.h"
#include "mapping/mapping.h"
#include "singlestore/definition.h"
#include "singlestore/settings.h"
#include "subscription/subscription.h"

namespace cli {
namespace {

namespace kit = actions::kit;
namespace json = actions::json;

// Connections writing at once when --parallel is not given. Two keep a server busy while the
// other connection's batch is on the wire, and partitioning by messageId keeps every batch's
// outcomes exact; a distributed server takes more (--parallel).
constexpr unsigned kDefaultParallel = 2;

struct SendOptions {
  std::string settings;
  std::string mapping;
  std::optional<std::string> subscription;
  std::size_t batchSize = 0;  // 0: from the mapping's max_batch_size
  std::string report;
  bool dryRun = false;
  unsigned parallel = 0;  // 0: kDefaultParallel
  double retryForSeconds = 120;
  std::vector<std::string> inputs;
};

struct Counts {
  std::size_t events = 0, valid = 0, inserted = 0, duplicate = 0, skipped = 0, rejected = 0,
              failed = 0;
  void add(const kit::EventRecord& r, bool dryRun) {
    ++events;
    if (dryRun) {
      if (r.valid)
        ++valid;
      else if (r.result.outcome == kit::Outcome::Skipped)
        ++skipped;
      else
        ++rejected;
      return;
    }
    switch (r.result.outcome) {
      case kit::Outcome::Inserted:
        ++inserted;
        break;
      case kit::Outcome::Duplicate:
        ++duplicate;
        break;
      case kit::Outcome::Skipped:
        ++skipped;
        break;
      case kit::Outcome::Rejected:
        ++rejected;
        break;
      case kit::Outcome::Failed:
        ++failed;
        break;
    }
  }
};

// The batch size the mapping asks for: a literal max_batch_size (1..10000), and one event at a
// time when it turns batching off; the field's default otherwise.
std::size_t batchSizeOf(const json::Value& mapping) {
  std::size_t size = 1000;
  if (!mapping.IsObject()) return size;
  if (auto it = mapping.FindMember("max_batch_size");
      it != mapping.MemberEnd() && it->value.IsNumber()) {
    double d = json::toDouble(it->value);
    if (d >= 1 && d <= 10000 && d == static_cast<double>(static_cast<std::size_t>(d)))
      size = static_cast<std::size_t>(d);
  }
  if (auto it = mapping.FindMember("enable_batching");
      it != mapping.MemberEnd() && it->value.IsFalse())
    size = 1;
  return size;
}

void appendKeyString(std::string& out, const char* key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  json::appendQuoted(value, out);
}

// {"i":N,"ok":true,"payload":{...}} / {"i":N,"ok":false,["skipped":true,]"error":".."}
void appendDryRunLine(const kit::EventRecord& r, std::string& out) {
  out += "{\"i\":" + std::to_string(r.index);
  if (r.valid) {
    out += ",\"ok\":true,\"payload\":";
    out += r.payloadJson;
  } else {
    out += ",\"ok\":false";
    if (r.result.outcome == kit::Outcome::Skipped) out += ",\"skipped\":true";
    appendKeyString(out, "error", r.result.error);
  }
  out += "}\n";
}

// {"i":N,"messageId":"..","status":200,"outcome":"inserted"[,"error":".."]}
void appendReportLine(const kit::EventRecord& r, bool dryRun, std::string& out) {
  out += "{\"i\":" + std::to_string(r.index) + ",\"messageId\":";
  if (r.messageId)
    json::appendQuoted(*r.messageId, out);
  else
    out += "null";
  out += ",\"status\":" + std::to_string(r.result.status);
  const char* outcome = dryRun && r.valid ? "validated" : kit::toString(r.result.outcome);
  out += ",\"outcome\":\"";
  out += outcome;
  out += "\"";
  if (!r.result.delivered() && !(dryRun && r.valid) && !r.result.error.empty())
    appendKeyString(out, "error", r.result.error);
  out += "}\n";
}

class Progress {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(Clock::now()), last_(start_) {}
  void tick(const Counts& c) {
    if (!enabled_) return;
    auto now = Clock::now();
    if (now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    std::fprintf(
        stderr, "\r%zu events: %zu inserted, %zu duplicate, %zu skipped, %zu rejected, %zu failed ",
        c.events, c.inserted, c.duplicate, c.skipped, c.rejected, c.failed);
  }
  void done() {
    if (enabled_ && last_ != start_) std::fputs("\r\033[K", stderr);
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  Clock::time_point start_, last_;
};

int runSend(const SendOptions& o) {
  namespace ss = actions::singlestore;
  if (o.settings.empty() && !o.dryRun) {
    printError("--settings is required (only --dry-run works without settings)");
    return kExitFatal;
  }
  json::Document settings;
  settings.SetObject();
  if (!o.settings.empty()) {
    auto r = ss::loadSettingsFile(o.settings);
    for (const auto& p : r.problems) printError("invalid settings: " + p);
    if (!r.validated) return kExitFatal;
    settings.CopyFrom(*r.validated, settings.GetAllocator());
  }
  json::Document mapping;
  if (!o.mapping.empty()) {
    if (auto err = json::parse(readFile(o.mapping), mapping)) {
      printError("invalid mapping " + o.mapping + ": " + err->describe());
      return kExitFatal;
    }
  }
  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  if (o.batchSize) {
    // --batch-size overrides the mapping's max_batch_size, so the payloads say it too.
    if (o.mapping.empty()) kit::defaultMapping(*action, mapping);
    if (mapping.IsObject()) {
      mapping.RemoveMember("max_batch_size");
      mapping.AddMember("max_batch_size", static_cast<uint64_t>(o.batchSize),
                        mapping.GetAllocator());
    }
  }
  kit::ActionOptions options;
  options.mapping = o.mapping.empty() && !o.batchSize ? nullptr : &mapping;
  options.subscription = o.subscription;
  kit::DeliveryOptions delivery;
  delivery.retryFor = std::chrono::milliseconds(static_cast<long long>(o.retryForSeconds * 1000));
  delivery.concurrentDeliveries = o.parallel ? o.parallel : kDefaultParallel;
  std::unique_ptr<kit::ActionExecutor> executor;
  try {
    executor = std::make_unique<kit::ActionExecutor>(*action, settings, options, delivery);
  } catch (const actions::mapping::MappingError& e) {
    printError("invalid mapping:");
    for (const auto& p : e.problems()) std::cerr << "  " << p << '\n';
    return kExitFatal;
  } catch (const actions::subscription::SubscriptionError& e) {
    printError(std::string("invalid subscription: ") + e.what());
    return kExitFatal;
  }
  if (!o.dryRun && !ss::deliveryAvailable()) {
    printError("delivery is not available in this build");
    return kExitFatal;
  }
  std::size_t batchSize = o.batchSize ? o.batchSize : batchSizeOf(executor->action().mapping());

  std::ofstream report;
  if (!o.report.empty()) {
    report.open(o.report, std::ios::binary | std::ios::trunc);
    if (!report) {
      printError("cannot write report " + o.report);
      return kExitFatal;
    }
  }
  actions::io::EventReader reader(o.inputs);  // throws (exit 2) when an input cannot be opened

  Counts counts;
  Progress progress(!o.dryRun && isatty(STDERR_FILENO));
  std::string out, reportOut;
  kit::PipelineOptions pipelineOptions;
  pipelineOptions.batchSize = batchSize;
  pipelineOptions.dryRun = o.dryRun;
  pipelineOptions.lanes = delivery.concurrentDeliveries;
  pipelineOptions.payloadText = o.dryRun;
  kit::BatchPipeline pipeline(*executor, pipelineOptions, [&](const kit::EventRecord& r) {
    counts.add(r, o.dryRun);
    if (o.dryRun) appendDryRunLine(r, out);
    if (report.is_open()) appendReportLine(r, o.dryRun, reportOut);
    if (out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
    if (reportOut.size() > (1 << 16)) {
      report << reportOut;
      reportOut.clear();
    }
  });
  actions::io::RawEvent raw;
  while (reader.next(raw)) {
    pipeline.add(raw.index, raw.text, raw.error);
    if ((raw.index & 255) == 0) progress.tick(counts);
  }
  pipeline.finish();
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (report.is_open()) {
    report << reportOut;
    report.flush();
    if (!report) printError("could not write the whole report " + o.report);
  }
  progress.done();

  if (o.dryRun) {
    std::fprintf(stderr, "dry run: %zu events: %zu valid, %zu skipped, %zu rejected\n",
                 counts.events, counts.valid, counts.skipped, counts.rejected);
    return counts.rejected ? kExitSomeFailed : kExitOk;
  }
  std::fprintf(stderr,
               "sent %zu events in %.1f s: %zu inserted, %zu duplicate, %zu skipped, %zu rejected, "
               "%zu failed\n",
               counts.events, progress.seconds(), counts.inserted, counts.duplicate, counts.skipped,
               counts.rejected, counts.failed);
  if (pipeline.stopped()) printError("delivery stopped: " + pipeline.stopReason().error);
  if (counts.failed) return counts.inserted + counts.duplicate == 0 ? kExitFatal : kExitUndelivered;
  return counts.rejected ? kExitSomeFailed : kExitOk;
}

}  // namespace

Command addSend(CLI::App& parent) {
  auto* app = parent.add_subcommand("send", "Deliver events");
  auto o = std::make_shared<SendOptions>();
  app->add_option("--settings", o->settings,
                  "Settings JSON file (see 'describe'; optional with --dry-run)");
  app->add_option("--mapping", o->mapping,
                  "Mapping JSON file (default: the Send Data action's default mapping)");
  app->add_option("--subscription", o->subscription,
                  "Segment subscription (FQL); events that do not match are skipped "
                  "(default: the action's defaultSubscription)");
  app->add_option("--batch-size", o->batchSize,
                  "Events per batch (default: the mapping's max_batch_size)")
      ->check(CLI::Range(1, 10000));
  app->add_option(
      "--report", o->report,
      "Write one NDJSON line per event: {\"i\",\"messageId\",\"status\",\"outcome\"[,\"error\"]}");
  app->add_flag("--dry-run", o->dryRun,
                "Map and validate only, no database: print {\"i\",\"ok\",\"payload\"} or "
                "{\"i\",\"ok\":false,\"error\"} "
                "per event (valid events are reported as \"validated\")");
  app->add_option("--parallel", o->parallel,
                  "Connections writing at once (default 2); events are split among them by "
                  "messageId, so the first copy of a messageId still wins")
      ->check(CLI::Range(1, 64));
  app->add_option("--retry-for", o->retryForSeconds,
                  "Seconds to keep retrying transient faults (lost connection, restart, deadlock, "
                  "lock wait timeout) before the events concerned are reported failed "
                  "(default 120)")
      ->check(CLI::Range(0.0, 86400.0));
  app->add_option("INPUT", o->inputs, "NDJSON or JSON-array files ('-' or none: standard input)");
  app->footer(
      "Each event: subscription match, mapping, removal of empty values, validation, then delivery "
      "in\n"
      "batches. A summary goes to standard error.\n"
      "Exit status: 0 every event inserted, duplicate or skipped; 1 some events rejected as "
      "invalid;\n"
      "2 nothing sent (bad settings, mapping, subscription, authentication, connection);\n"
      "3 some valid events could not be delivered.\n"
      "Examples:\n"
      "  actions-singlestore send --settings settings.json events.ndjson --report report.ndjson\n"
      "  actions-singlestore send --dry-run --settings settings.json < events.ndjson");
  return {app, [o] { return runSend(*o); }};
}

}  // namespace cli
