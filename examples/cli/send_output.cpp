#include "send_output.h"

#include <cstdio>

#include "actions/json_text.h"
#include "signals.h"

namespace cli {

using actions::EventRecord;
using actions::Outcome;

void OutcomeCounts::add(Outcome outcome) {
  ++events;
  switch (outcome) {
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

namespace {

void appendIndexAndOrigin(const EventRecord& r, std::string_view origin, std::string& out) {
  out += "{\"i\":";
  out += std::to_string(r.index);
  if (!origin.empty()) {
    out += ",\"source\":";
    actions::appendJsonString(origin, out);
  }
}

// ,"error":"FILE:LINE: message" (the origin once, even when the reader already put it there).
void appendError(std::string_view error, std::string_view origin, std::string& out) {
  out += ",\"error\":";
  if (origin.empty() || error.substr(0, origin.size()) == origin) {
    actions::appendJsonString(error, out);
    return;
  }
  std::string named;
  named.reserve(origin.size() + 2 + error.size());
  named.append(origin).append(": ").append(error);
  actions::appendJsonString(named, out);
}

}  // namespace

void appendDryRunLine(const EventRecord& r, std::string_view origin, std::string& out) {
  appendIndexAndOrigin(r, origin, out);
  if (r.valid) {
    out += ",\"ok\":true,\"payload\":";
    out += r.payloadJson;
  } else {
    out += ",\"ok\":false";
    if (r.outcome == Outcome::Skipped) out += ",\"skipped\":true";
    appendError(r.error, origin, out);
  }
  out += "}\n";
}

void appendReportLine(const EventRecord& r, std::string_view origin, std::string& out) {
  appendIndexAndOrigin(r, origin, out);
  out += ",\"messageId\":";
  if (r.messageId)
    actions::appendJsonString(*r.messageId, out);
  else
    out += "null";
  out += ",\"status\":";
  out += std::to_string(r.status);
  out += ",\"outcome\":\"";
  out += actions::toString(r.outcome);
  out += "\"";
  if (!r.delivered() && r.outcome != Outcome::Validated && !r.error.empty())
    appendError(r.error, origin, out);
  out += "}\n";
}

std::string eventCount(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " event" : " events");
}

std::string summaryLine(const RunSummary& s) {
  const auto& c = s.counts;
  std::string line;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", s.seconds);
  if (s.dryRun) {
    line = "dry run: " + eventCount(c.events) + ": " + std::to_string(c.valid) + " valid, " +
           std::to_string(c.skipped) + " skipped, " + std::to_string(c.rejected) + " rejected";
  } else {
    line = "send: " + eventCount(c.events) + " in " + seconds +
           " s: " + std::to_string(c.inserted) + " inserted, " + std::to_string(c.duplicate) +
           " duplicate, " + std::to_string(c.skipped) + " skipped, " + std::to_string(c.rejected) +
           " rejected, " + std::to_string(c.failed) + " failed";
    if (c.failed && c.delivered() == 0) line += " (nothing delivered)";
    if (s.nothingRead) line += " (stopped before reading its input)";
  }
  if (s.signal) line += " (interrupted by " + std::string(signalName(s.signal)) + ")";
  return line;
}

std::string summaryJson(const RunSummary& s) {
  const auto& c = s.counts;
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", s.seconds);
  std::string out =
      "{\"events\":" + std::to_string(c.events) + ",\"inserted\":" + std::to_string(c.inserted) +
      ",\"duplicate\":" + std::to_string(c.duplicate) +
      ",\"skipped\":" + std::to_string(c.skipped) + ",\"rejected\":" + std::to_string(c.rejected) +
      ",\"failed\":" + std::to_string(c.failed) + ",\"valid\":" + std::to_string(c.valid) +
      ",\"seconds\":" + seconds + ",\"dryRun\":" + (s.dryRun ? "true" : "false") +
      ",\"interrupted\":";
  out += s.signal ? "\"" + std::string(signalName(s.signal)) + "\"" : std::string("null");
  out += ",\"exitCode\":" + std::to_string(s.exitCode) + "}\n";
  return out;
}

}  // namespace cli
