// A host's logger and metrics, as Segment's actions-core hands a destination `logger` and
// `statsContext`: the library's own diagnostics (deliveries that failed, faults retried, a stream
// that stopped) go through them, and nothing is written to the process's output by the library.
//
//   actions::SendOptions options;
//   options.hooks.log = [](actions::LogLevel level, std::string_view message) {
//     spdlog::log(level == actions::LogLevel::Error ? spdlog::level::err : ..., message);
//   };
//   options.hooks.metric = [](const actions::Metric& m) {
//     if (m.kind == actions::Metric::Kind::Counter) stats.incr(m.name, m.value, tagsOf(m));
//     else stats.histogram(m.name, m.value, tagsOf(m));
//   };
//
// The hooks are called from the library's threads (a destination's delivery threads, or the
// thread of the call), possibly several at once: they must be thread-safe, return quickly, and
// not call back into the Destination or Sender that called them. What they throw is dropped.
#pragma once

#include <cstddef>
#include <functional>
#include <string_view>

#include "actions/export.h"

namespace actions {

enum class LogLevel { Debug, Info, Warn, Error };

// "debug", "info", "warn", "error".
ACTIONS_API const char* toString(LogLevel level) noexcept;

struct MetricTag {
  std::string_view name;
  std::string_view value;
};

// One measurement. The views are valid during the hook's call only.
//   actions_singlestore.events                counter    events answered, tag outcome
//   actions_singlestore.delivery.payloads     histogram  payloads per delivery (one batch)
//   actions_singlestore.delivery.duration_ms  histogram  time one delivery took, retries included
//   actions_singlestore.retries               counter    transient faults retried
//   actions_singlestore.spool.stalls          counter    a SpoolDelivery into this Destination
//                                                        began failing (it keeps retrying)
//   actions_singlestore.spool.dead_lettered   counter    spooled events written to the
//                                                        dead-letter file
struct Metric {
  enum class Kind { Counter, Histogram };
  Kind kind = Kind::Counter;
  std::string_view name;
  double value = 0;
  const MetricTag* tags = nullptr;
  std::size_t tagCount = 0;
};

struct Hooks {
  // A diagnostic in one line, without a trailing newline; never contains a password.
  std::function<void(LogLevel level, std::string_view message)> log;
  std::function<void(const Metric& metric)> metric;
};

}  // namespace actions
