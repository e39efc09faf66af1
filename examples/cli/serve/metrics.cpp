#include "metrics.h"

#include <cstdio>

namespace serve {
namespace {

constexpr actions::Outcome kOutcomes[] = {actions::Outcome::Inserted, actions::Outcome::Duplicate,
                                          actions::Outcome::Skipped,  actions::Outcome::Rejected,
                                          actions::Outcome::Failed,   actions::Outcome::Validated};

std::string bound(double le) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", le);
  return buf;
}

// The label of an outcome: serve never runs dry, so Validated is an event accepted into the spool.
const char* label(actions::Outcome o) {
  return o == actions::Outcome::Validated ? "spooled" : actions::toString(o);
}

}  // namespace

void MetricsText::family(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void MetricsText::sample(std::string& out, const std::string& name, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.17g\n", value);
  out += name;
  out += buf;
}

void MetricsText::sample(std::string& out, const std::string& name, std::uint64_t value) {
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

void Metrics::countEvent(actions::Outcome outcome, std::string_view reason, std::uint64_t count) {
  if (reason.empty()) {
    events_[static_cast<std::size_t>(outcome)].fetch_add(count, std::memory_order_relaxed);
    return;
  }
  std::lock_guard<std::mutex> lock(reasonMutex_);
  reasons_[{outcome, std::string(reason)}] += count;
}

void Metrics::countRequest(int status) {
  std::lock_guard<std::mutex> lock(statusMutex_);
  ++requests_[status];
}

void Metrics::observeDelivery(double seconds) {
  std::size_t i = 0;
  while (i < kBuckets.size() && seconds > kBuckets[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  deliveries_.fetch_add(1, std::memory_order_relaxed);
  deliveryMicros_.fetch_add(static_cast<std::uint64_t>(seconds * 1e6), std::memory_order_relaxed);
}

std::string Metrics::render(const actions::DestinationStats& stats) const {
  std::string out;
  out.reserve(4096);
  MetricsText::family(
      out, "actions_serve_events_total", "counter",
      "Events answered, by outcome and reason (rejected includes events refused before mapping; "
      "spooled: accepted into the spool, see actions_serve_spool_delivered_total).");
  {
    std::lock_guard<std::mutex> lock(reasonMutex_);
    for (auto o : kOutcomes) {
      std::string name = std::string("actions_serve_events_total{outcome=\"") + label(o);
      MetricsText::sample(out, name + "\",reason=\"\"}",
                          events_[static_cast<std::size_t>(o)].load());
      for (const auto& [key, n] : reasons_)
        if (key.first == o) MetricsText::sample(out, name + "\",reason=\"" + key.second + "\"}", n);
    }
  }

  MetricsText::family(out, "actions_serve_requests_total", "counter",
                      "HTTP requests answered, by status.");
  {
    std::lock_guard<std::mutex> lock(statusMutex_);
    for (const auto& [status, n] : requests_)
      MetricsText::sample(
          out, "actions_serve_requests_total{status=\"" + std::to_string(status) + "\"}", n);
  }

  MetricsText::family(out, "actions_serve_delivery_seconds", "histogram",
                      "Time one request's events took to be accepted: mapped, validated and "
                      "spooled (--ack spool) or stored (--ack table).");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    MetricsText::sample(out,
                        "actions_serve_delivery_seconds_bucket{le=\"" + bound(kBuckets[i]) + "\"}",
                        cumulative);
  }
  cumulative += buckets_[kBuckets.size()].load();
  MetricsText::sample(out, "actions_serve_delivery_seconds_bucket{le=\"+Inf\"}", cumulative);
  MetricsText::sample(out, "actions_serve_delivery_seconds_sum",
                      double(deliveryMicros_.load()) / 1e6);
  MetricsText::sample(out, "actions_serve_delivery_seconds_count", cumulative);

  MetricsText::single(out, "actions_serve_retries_total", "counter",
                      "Transient database faults retried by the destination.", stats.retries);
  MetricsText::single(out, "actions_serve_deliveries_total", "counter",
                      "Batches written to the database (each one or a few statements).",
                      stats.deliveries);
  MetricsText::single(out, "actions_serve_events_queued", "gauge",
                      "Valid payloads waiting for a delivery right now.", stats.queued);
  MetricsText::single(out, "actions_serve_db_connections_opened_total", "counter",
                      "Database connections opened since the start.", stats.connectionsOpened);
  MetricsText::single(out, "actions_serve_db_connections_open", "gauge",
                      "Database connections open now.", stats.connectionsOpen);

  MetricsText::single(
      out, "actions_serve_request_bytes_in_flight", "gauge",
      "Bytes held now for requests and their answers (bounded by --max-bytes-in-flight).",
      static_cast<std::uint64_t>(bytesInFlight.load()));
  MetricsText::single(out, "actions_serve_keyless_request_bytes_in_flight", "gauge",
                      "Bytes held now for requests without a write key in HTTP Basic (bounded by "
                      "--max-keyless-bytes-in-flight).",
                      static_cast<std::uint64_t>(keylessBytesInFlight.load()));
  MetricsText::single(out, "actions_serve_requests_in_flight", "gauge",
                      "Requests read and not yet answered.",
                      static_cast<std::uint64_t>(requestsInFlight.load()));
  MetricsText::single(out, "actions_serve_http_connections_open", "gauge",
                      "Client connections open now.",
                      static_cast<std::uint64_t>(connectionsOpen.load()));
  MetricsText::single(out, "actions_serve_refused_over_budget_total", "counter",
                      "Requests answered 429 because the bytes in flight were at their cap.",
                      refusedOverBudget.load());
  MetricsText::single(out, "actions_serve_connections_refused_total", "counter",
                      "Connections closed at once because --max-connections or "
                      "--max-connections-per-address was reached.",
                      connectionsRefused.load());
  MetricsText::single(
      out, "actions_serve_answered_at_deadline_total", "counter",
      "Requests answered 503 because their events were not handled within --retry-for and a "
      "margin (a worker may still store them; the client's retry is stored once).",
      answeredAtDeadline.load());
  return out;
}

}  // namespace serve
