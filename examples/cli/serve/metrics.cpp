#include "metrics.h"

#include <cstdio>

namespace serve {
namespace {

constexpr actions::Outcome kOutcomes[] = {actions::Outcome::Inserted, actions::Outcome::Duplicate,
                                          actions::Outcome::Skipped,  actions::Outcome::Rejected,
                                          actions::Outcome::Failed,   actions::Outcome::Validated};

void header(std::string& out, const char* name, const char* type, const char* help) {
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

void sample(std::string& out, const std::string& name, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " %.17g\n", value);
  out += name;
  out += buf;
}

void sample(std::string& out, const std::string& name, std::uint64_t value) {
  out += name;
  out += ' ';
  out += std::to_string(value);
  out += '\n';
}

std::string bound(double le) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", le);
  return buf;
}

}  // namespace

void Metrics::countEvent(actions::Outcome outcome) {
  events_[static_cast<std::size_t>(outcome)].fetch_add(1, std::memory_order_relaxed);
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
  header(out, "actions_serve_events_total", "counter",
         "Events answered, by final outcome (rejected includes events refused before mapping).");
  for (auto o : kOutcomes)
    sample(out, std::string("actions_serve_events_total{outcome=\"") + actions::toString(o) + "\"}",
           events_[static_cast<std::size_t>(o)].load());

  header(out, "actions_serve_requests_total", "counter", "HTTP requests answered, by status.");
  {
    std::lock_guard<std::mutex> lock(statusMutex_);
    for (const auto& [status, n] : requests_)
      sample(out, "actions_serve_requests_total{status=\"" + std::to_string(status) + "\"}", n);
  }

  header(out, "actions_serve_delivery_seconds", "histogram",
         "Time one request's events spent in the destination (mapping, validation, storage).");
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += buckets_[i].load();
    sample(out, "actions_serve_delivery_seconds_bucket{le=\"" + bound(kBuckets[i]) + "\"}",
           cumulative);
  }
  cumulative += buckets_[kBuckets.size()].load();
  sample(out, "actions_serve_delivery_seconds_bucket{le=\"+Inf\"}", cumulative);
  sample(out, "actions_serve_delivery_seconds_sum", double(deliveryMicros_.load()) / 1e6);
  sample(out, "actions_serve_delivery_seconds_count", cumulative);

  header(out, "actions_serve_retries_total", "counter",
         "Transient database faults retried by the destination.");
  sample(out, "actions_serve_retries_total", stats.retries);
  header(out, "actions_serve_deliveries_total", "counter",
         "Batches written to the database (each one or a few statements).");
  sample(out, "actions_serve_deliveries_total", stats.deliveries);
  header(out, "actions_serve_events_queued", "gauge",
         "Valid payloads waiting for a delivery right now.");
  sample(out, "actions_serve_events_queued", stats.queued);
  header(out, "actions_serve_db_connections_opened_total", "counter",
         "Database connections opened since the start.");
  sample(out, "actions_serve_db_connections_opened_total", stats.connectionsOpened);
  header(out, "actions_serve_db_connections_open", "gauge", "Database connections open now.");
  sample(out, "actions_serve_db_connections_open", stats.connectionsOpen);

  header(out, "actions_serve_request_bytes_in_flight", "gauge",
         "Bytes held now for requests and their answers (bounded by --max-bytes-in-flight).");
  sample(out, "actions_serve_request_bytes_in_flight",
         static_cast<std::uint64_t>(bytesInFlight.load()));
  header(out, "actions_serve_keyless_request_bytes_in_flight", "gauge",
         "Bytes held now for requests without a write key in HTTP Basic (bounded by "
         "--max-keyless-bytes-in-flight).");
  sample(out, "actions_serve_keyless_request_bytes_in_flight",
         static_cast<std::uint64_t>(keylessBytesInFlight.load()));
  header(out, "actions_serve_requests_in_flight", "gauge", "Requests read and not yet answered.");
  sample(out, "actions_serve_requests_in_flight",
         static_cast<std::uint64_t>(requestsInFlight.load()));
  header(out, "actions_serve_http_connections_open", "gauge", "Client connections open now.");
  sample(out, "actions_serve_http_connections_open",
         static_cast<std::uint64_t>(connectionsOpen.load()));
  header(out, "actions_serve_refused_over_budget_total", "counter",
         "Requests answered 429 because the bytes in flight were at their cap.");
  sample(out, "actions_serve_refused_over_budget_total", refusedOverBudget.load());
  header(out, "actions_serve_connections_refused_total", "counter",
         "Connections closed at once because --max-connections or "
         "--max-connections-per-address was reached.");
  sample(out, "actions_serve_connections_refused_total", connectionsRefused.load());
  header(out, "actions_serve_answered_at_deadline_total", "counter",
         "Requests answered 503 because their events were not handled within --retry-for and a "
         "margin (a worker may still store them; the client's retry is stored once).");
  sample(out, "actions_serve_answered_at_deadline_total", answeredAtDeadline.load());
  return out;
}

}  // namespace serve
