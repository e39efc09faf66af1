// The server's own counters, rendered with the Destinations' stats as Prometheus text exposition
// (version 0.0.4) for GET /metrics. Counters are atomics: every request updates them from
// whichever thread handles it.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "actions/destination.h"

namespace serve {

// Pieces of the text exposition, for Metrics and for the families others add (the spool's).
struct MetricsText {
  // The "# HELP" and "# TYPE" lines of a family.
  static void family(std::string& out, const char* name, const char* type, const char* help);
  static void sample(std::string& out, const std::string& name, double value);
  static void sample(std::string& out, const std::string& name, std::uint64_t value);
  // A family of one sample without labels: its lines and its value.
  template <typename V>
  static void single(std::string& out, const char* name, const char* type, const char* help,
                     V value) {
    family(out, name, type, help);
    sample(out, name, value);
  }
};

class Metrics {
 public:
  // One event's answer (including events this server rejected before any Destination), and for
  // a skipped, rejected or failed one the reason (a code of a fixed vocabulary: "integrations",
  // "type", "validation"...; docs/serve.md). Validated means accepted into the spool (--ack
  // spool), shown as outcome="spooled".
  void countEvent(actions::Outcome outcome, std::string_view reason = {}, std::uint64_t count = 1);
  void countRequest(int status);
  // How long one Destination call took, in seconds.
  void observeDelivery(double seconds);

  std::atomic<std::int64_t> bytesInFlight{0};
  std::atomic<std::int64_t> keylessBytesInFlight{0};  // requests without a key in HTTP Basic
  std::atomic<std::int64_t> requestsInFlight{0};
  std::atomic<std::int64_t> connectionsOpen{0};
  std::atomic<std::uint64_t> refusedOverBudget{0};
  std::atomic<std::uint64_t> connectionsRefused{0};  // closed at once: past a connection cap
  std::atomic<std::uint64_t> answeredAtDeadline{0};  // 503: the worker's answer came too late

  // The exposition: these counters plus `stats`, the sum over the live Destinations.
  std::string render(const actions::DestinationStats& stats) const;

  // The histogram's upper bounds, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10,  30};

 private:
  std::array<std::atomic<std::uint64_t>, 6> events_{};  // indexed by actions::Outcome
  mutable std::mutex reasonMutex_;
  std::map<std::pair<actions::Outcome, std::string>, std::uint64_t> reasons_;  // with a reason
  mutable std::mutex statusMutex_;
  std::map<int, std::uint64_t> requests_;                                  // by HTTP status
  std::array<std::atomic<std::uint64_t>, kBuckets.size() + 1> buckets_{};  // not cumulative
  std::atomic<std::uint64_t> deliveries_{0};
  std::atomic<std::uint64_t> deliveryMicros_{0};
};

}  // namespace serve
