// `send --settings F [INPUT...]`: delivers events through the Send Data action, with a report
// line per event and a summary (CONTRACTS.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "actions/event_reader.h"
#include "actions/json_text.h"
#include "actions/mapping/mapping.h"
#include "actions/sender.h"
#include "actions/settings.h"
#include "actions/subscription.h"
#include "commands.h"

namespace cli {
namespace {

using actions::EventRecord;
using actions::Outcome;

struct SendOptions {
  std::string settings;
  std::string mapping;
  std::optional<std::string> subscription;
  std::size_t batchSize = 0;  // 0: from the mapping's max_batch_size
  std::string report;
  bool dryRun = false;
  unsigned parallel = 0;                  // 0: the library's default
  std::optional<double> retryForSeconds;  // unset: the library's default (two minutes)
  std::vector<std::string> inputs;
};

struct Counts {
  std::size_t events = 0, valid = 0, inserted = 0, duplicate = 0, skipped = 0, rejected = 0,
              failed = 0;
  void add(const EventRecord& r) {
    ++events;
    switch (r.outcome) {
      case Outcome::Validated:
        ++valid;
        break;
      case Outcome::Inserted:
        ++inserted;
        break;
      case Outcome::Duplicate:
        ++duplicate;
        break;
      case Outcome::Skipped:
        ++skipped;
        break;
      case Outcome::Rejected:
        ++rejected;
        break;
      case Outcome::Failed:
        ++failed;
        break;
    }
  }
};

void appendKeyString(std::string& out, const char* key, std::string_view value) {
  out += ",\"";
  out += key;
  out += "\":";
  actions::appendJsonString(value, out);
}

// {"i":N,"ok":true,"payload":{...}} / {"i":N,"ok":false,["skipped":true,]"error":".."}
void appendDryRunLine(const EventRecord& r, std::string& out) {
  out += "{\"i\":" + std::to_string(r.index);
  if (r.valid) {
    out += ",\"ok\":true,\"payload\":";
    out += r.payloadJson;
  } else {
    out += ",\"ok\":false";
    if (r.outcome == Outcome::Skipped) out += ",\"skipped\":true";
    appendKeyString(out, "error", r.error);
  }
  out += "}\n";
}

// {"i":N,"messageId":"..","status":200,"outcome":"inserted"[,"error":".."]}
void appendReportLine(const EventRecord& r, std::string& out) {
  out += "{\"i\":" + std::to_string(r.index) + ",\"messageId\":";
  if (r.messageId)
    actions::appendJsonString(*r.messageId, out);
  else
    out += "null";
  out += ",\"status\":" + std::to_string(r.status);
  out += ",\"outcome\":\"";
  out += actions::toString(r.outcome);
  out += "\"";
  if (!r.delivered() && r.outcome != Outcome::Validated && !r.error.empty())
    appendKeyString(out, "error", r.error);
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
  if (o.settings.empty() && !o.dryRun) {
    printError("--settings is required (only --dry-run works without settings)");
    return kExitFatal;
  }
  std::optional<actions::Settings> settings;
  if (!o.settings.empty()) {
    auto r = actions::loadSettingsFile(o.settings, passwordFromEnvironment());
    for (const auto& p : r.problems) printError("invalid settings: " + p);
    if (!r.ok()) return kExitFatal;
    settings = std::move(r.settings);
  }
  actions::SendOptions options;
  if (!o.mapping.empty()) options.mappingJson = mappingText(o.mapping);
  options.subscription = o.subscription;
  options.batchSize = o.batchSize;
  options.dryRun = o.dryRun;
  options.parallel = o.parallel;
  if (o.retryForSeconds)
    options.retryFor = std::chrono::milliseconds(static_cast<long long>(*o.retryForSeconds * 1000));

  std::ofstream report;
  Counts counts;
  std::string out, reportOut;
  auto sink = [&](const EventRecord& r) {
    counts.add(r);
    if (o.dryRun) appendDryRunLine(r, out);
    if (report.is_open()) appendReportLine(r, reportOut);
    if (out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
    if (reportOut.size() > (1 << 16)) {
      report << reportOut;
      reportOut.clear();
    }
  };
  std::unique_ptr<actions::Sender> sender;
  try {
    sender = std::make_unique<actions::Sender>(settings ? &*settings : nullptr, options, sink);
  } catch (const actions::mapping::InvalidMapping& e) {
    printError(o.mapping.empty() ? "invalid mapping:" : "invalid mapping " + o.mapping + ":");
    for (const auto& p : e.problems()) std::cerr << "  " << p << '\n';
    return kExitFatal;
  } catch (const actions::InvalidSubscription& e) {
    printError(std::string("invalid subscription: ") + e.what());
    return kExitFatal;
  }

  if (!o.report.empty()) {
    report.open(o.report, std::ios::binary | std::ios::trunc);
    if (!report) {
      printError("cannot write report " + o.report);
      return kExitFatal;
    }
  }
  actions::EventReader reader(o.inputs);  // throws (exit 2) when an input cannot be opened

  Progress progress(!o.dryRun && isatty(STDERR_FILENO));
  actions::RawEvent raw;
  while (reader.next(raw)) {
    sender->add(raw.index, raw.text, raw.error);
    if ((raw.index & 255) == 0) progress.tick(counts);
  }
  sender->finish();
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
  if (sender->stopped()) printError("delivery stopped: " + sender->stopReason());
  if (counts.failed) return counts.inserted + counts.duplicate == 0 ? kExitFatal : kExitUndelivered;
  return counts.rejected ? kExitSomeFailed : kExitOk;
}

}  // namespace

Command addSend(CLI::App& parent) {
  auto* app = parent.add_subcommand("send", "Deliver events into the table");
  auto o = std::make_shared<SendOptions>();
  addSettingsOption(*app, o->settings)
      ->description(
          "Settings JSON file (fields: see 'describe'); SINGLESTORE_PASSWORD supplies a password "
          "the "
          "file leaves out. Required, except with --dry-run");
  app->add_option("--mapping,-m", o->mapping,
                  "Mapping in Segment's mapping-kit language: a JSON file, or the JSON itself "
                  "when it starts with '{' (default: the Send Data action's default mapping)")
      ->type_name("FILE|JSON")
      ->group(kGroupEvents);
  app->add_option("--subscription", o->subscription,
                  "Segment subscription (FQL); events that do not match are skipped "
                  "(default: the action's defaultSubscription; '' lets every event through)")
      ->type_name("EXPR")
      ->group(kGroupEvents);
  app->add_option("--batch-size", o->batchSize,
                  "Events per batch, 1..10000 (default: the mapping's max_batch_size, 1000); "
                  "overrides max_batch_size in the payloads too")
      ->type_name("N")
      ->check(CLI::Range(1, 10000).description(""))
      ->group(kGroupDelivery);
  app->add_option("--parallel", o->parallel,
                  "Connections writing at once, 1..64 (default 2); events are split among them "
                  "by messageId, so the first copy of a messageId still wins")
      ->type_name("N")
      ->check(CLI::Range(1, 64).description(""))
      ->group(kGroupDelivery);
  app->add_option("--retry-for", o->retryForSeconds,
                  "Seconds to keep retrying transient faults (lost connection, restart, deadlock, "
                  "lock wait timeout) before the events concerned are reported failed "
                  "(default 120)")
      ->type_name("SECONDS")
      ->check(CLI::Range(0.0, 86400.0).description(""))
      ->group(kGroupDelivery);
  app->add_option("--report", o->report,
                  "Write one NDJSON line per event, in input order: "
                  "{\"i\",\"messageId\",\"status\",\"outcome\"[,\"error\"]}")
      ->type_name("FILE")
      ->group(kGroupOutput);
  app->add_flag("--dry-run", o->dryRun,
                "Map and validate only, no database: print {\"i\",\"ok\":true,\"payload\"} or "
                "{\"i\",\"ok\":false,\"error\"} per event (reported as \"validated\")")
      ->group(kGroupOutput);
  addInputOption(*app, o->inputs);
  setHelp(*app,
          {"Each event goes through Segment's pipeline: subscription match, mapping, removal of "
           "empty values, validation; valid payloads are written in batches. A messageId is "
           "stored once: later copies are reported as duplicates. Transient faults are retried "
           "without losing or duplicating an event. Outcomes: inserted, duplicate, skipped, "
           "rejected (invalid) or failed (not delivered). A summary goes to standard error, "
           "with a progress line while it runs when standard error is a terminal.",
           {"0  every event inserted, duplicate or skipped",
            "1  some events rejected as invalid, every valid one stored",
            "2  nothing sent: bad settings, mapping or subscription, authentication, connection",
            "3  some valid events could not be delivered after retries (reported failed)"},
           {"actions-singlestore send --settings settings.json \\\n"
            "      --report report.ndjson events.ndjson",
            "actions-singlestore send --dry-run < events.ndjson",
            "actions-singlestore send --settings settings.json --parallel 4 \\\n"
            "      --subscription 'type = \"track\"' events.json"}});
  return {app, [o] { return runSend(*o); }};
}

}  // namespace cli
