#include "api/diagnostics.h"

#include <fmt/format.h>

#include <chrono>

#include "singlestore/send_data_writer.h"

namespace actions {

const char* toString(LogLevel level) noexcept {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Error:
      return "error";
  }
  return "error";
}

}  // namespace actions

namespace actions::api {

Diagnostics::Diagnostics(Hooks hooks, std::shared_ptr<const singlestore::SendDataWriter> writer)
    : hooks_(std::move(hooks)), writer_(std::move(writer)) {}

void Diagnostics::log(LogLevel level, std::string_view message) const noexcept {
  if (!hooks_.log) return;
  try {
    hooks_.log(level, message);
  } catch (...) {
    // The host's logger failed: nothing better to tell it with.
  }
}

void Diagnostics::count(std::string_view name, double value, std::string_view tag,
                        std::string_view tagValue) const noexcept {
  if (!hooks_.metric) return;
  MetricTag t{tag, tagValue};
  Metric m;
  m.kind = Metric::Kind::Counter;
  m.name = name;
  m.value = value;
  if (!tag.empty()) {
    m.tags = &t;
    m.tagCount = 1;
  }
  try {
    hooks_.metric(m);
  } catch (...) {
    log(LogLevel::Warn, "the host's metric hook threw; the measurement is dropped");
  }
}

void Diagnostics::observe(std::string_view name, double value) const noexcept {
  if (!hooks_.metric) return;
  Metric m;
  m.kind = Metric::Kind::Histogram;
  m.name = name;
  m.value = value;
  try {
    hooks_.metric(m);
  } catch (...) {
    log(LogLevel::Warn, "the host's metric hook threw; the measurement is dropped");
  }
}

void Diagnostics::countOutcomes(const OutcomeCounts& counts) const noexcept {
  if (!hooks_.metric) return;
  for (std::size_t o = 0; o < counts.size(); ++o)
    if (counts[o])
      count("actions_singlestore.events", static_cast<double>(counts[o]), "outcome",
            kit::toString(static_cast<kit::Outcome>(o)));
}

kit::DeliveryEngine::Observer Diagnostics::deliveryObserver() {
  if (!hooks_.log && !hooks_.metric) return nullptr;
  return [this](const kit::DeliveryReport& report) { delivered(report); };
}

void Diagnostics::delivered(const kit::DeliveryReport& report) {
  const auto& results = report.results;
  if (!report.attempted) {
    if (!results.empty() && !stopLogged_.exchange(true))
      log(LogLevel::Error, "deliveries stopped: " + results.front().error);
    return;
  }
  observe("actions_singlestore.delivery.payloads", static_cast<double>(results.size()));
  observe("actions_singlestore.delivery.duration_ms",
          std::chrono::duration<double, std::milli>(report.took).count());
  if (writer_) {
    std::uint64_t now = writer_->retries();
    std::uint64_t before = retriesReported_.load(std::memory_order_relaxed);
    while (now > before && !retriesReported_.compare_exchange_weak(before, now)) {
    }
    if (now > before) {
      count("actions_singlestore.retries", static_cast<double>(now - before));
      log(LogLevel::Info,
          fmt::format("{} transient fault(s) retried (lost connection, deadlock, server "
                      "restarting...)",
                      now - before));
    }
  }
  if (!hooks_.log) return;
  std::size_t failed = 0;
  const kit::EventResult* first = nullptr;
  for (const auto& r : results)
    if (r.outcome == kit::Outcome::Failed) {
      ++failed;
      if (!first) first = &r;
    }
  if (first)
    log(LogLevel::Warn,
        fmt::format("a delivery of {} payload(s) failed {} of them: {} {}: {}", results.size(),
                    failed, first->status, first->errorType, first->error));
}

}  // namespace actions::api
