// One run of `send`: settings, the connectivity check, reading on a thread of its own, delivery
// through actions::Sender, the report / rejects / summary outputs, progress, and a clean end on
// SIGINT or SIGTERM. cmd_send.cpp turns the command line into these options.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace cli {

struct SendRunOptions {
  std::string settings;  // a settings file; empty: the environment's settings
  std::string mapping;   // a file or inline JSON; empty: the action's default
  std::optional<std::string> subscription;
  std::size_t batchSize = 0;  // 0: from the mapping's max_batch_size
  unsigned parallel = 0;      // 0: the library's default
  std::optional<double> retryForSeconds;
  std::optional<long> lingerMs;
  std::string report;       // "-": standard output
  std::string rejects;      // "-": standard output
  std::string summaryJson;  // "-": standard output
  bool dryRun = false;
  bool quiet = false;     // no progress line, no summary line
  bool progress = false;  // the progress line even when standard error is not a terminal
  std::vector<std::string> inputs;
};

// The exit status of docs/contracts.md, or 128 + the signal that interrupted the run.
int runSend(const SendRunOptions& options);

}  // namespace cli
