// What `send` writes about its events: the dry run's and the report's NDJSON lines, the counts
// of outcomes, the summary on standard error and the summary JSON for scripts (docs/contracts.md).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "actions/sender.h"

namespace cli {

struct OutcomeCounts {
  std::size_t events = 0, valid = 0, inserted = 0, duplicate = 0, skipped = 0, rejected = 0,
              failed = 0;
  void add(actions::Outcome outcome);
  std::size_t delivered() const { return inserted + duplicate; }
};

// {"i":N[,"source":"FILE:LINE"],"ok":true,"payload":{...}} or
// {"i":N[,"source":..],"ok":false[,"skipped":true],"error":".."}. `origin` is "FILE:LINE" or
// empty; an error then names it first.
void appendDryRunLine(const actions::EventRecord& r, std::string_view origin, std::string& out);
// {"i":N[,"source":..],"messageId":"..","status":200,"outcome":"inserted"[,"error":".."]}
void appendReportLine(const actions::EventRecord& r, std::string_view origin, std::string& out);

// "1 event", "2 events".
std::string eventCount(std::size_t n);

struct RunSummary {
  OutcomeCounts counts;
  double seconds = 0;
  bool dryRun = false;
  int signal = 0;  // the signal that interrupted the run, or 0
  int exitCode = 0;
  bool nothingRead = false;  // the run stopped before reading its input (a pipe or terminal)
};
// The line for standard error, e.g. "send: 6 events in 0.4 s: 2 inserted, 1 duplicate,
// 1 skipped, 2 rejected, 0 failed" or "dry run: 3 events: 3 valid, 0 skipped, 0 rejected";
// every run that got as far as opening its outputs ends with it (unless --quiet).
std::string summaryLine(const RunSummary& s);
// {"events":N,"inserted":..,"duplicate":..,"skipped":..,"rejected":..,"failed":..,
//  "valid":..,"seconds":S,"dryRun":B,"interrupted":null|"SIGINT"|"SIGTERM","exitCode":C}
std::string summaryJson(const RunSummary& s);

}  // namespace cli
