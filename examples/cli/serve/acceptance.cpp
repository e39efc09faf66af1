#include "acceptance.h"

#include "metrics.h"

namespace serve {
namespace {

// Marks the events waiting at `positions` as not accepted now.
void refuse(std::vector<actions::EventResult>& results, const std::vector<std::size_t>& positions,
            int status, const std::string& error) {
  for (std::size_t i : positions) {
    actions::EventResult& r = results[i];
    r.outcome = actions::Outcome::Failed;
    r.status = status;
    r.errorType = status == 429 ? "RATE_LIMITED" : "RETRYABLE_ERROR";
    r.error = error;
  }
}

}  // namespace

std::vector<actions::EventResult> TableAcceptance::accept(
    const std::vector<std::string_view>& events) {
  return destination_.performBatch(events);
}

Readiness TableAcceptance::readiness(const std::string& database) {
  Readiness r;
  r.database = database;
  r.ready = r.database.empty();
  r.error = r.database;
  return r;
}

std::vector<actions::EventResult> SpoolAcceptance::accept(
    const std::vector<std::string_view>& events) {
  std::vector<actions::ResolvedEvent> resolved = destination_.resolve(events);
  std::vector<actions::EventResult> results;
  results.reserve(resolved.size());
  std::vector<std::string_view> payloads;
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < resolved.size(); ++i) {
    if (resolved[i].result.outcome == actions::Outcome::Validated) {
      payloads.emplace_back(resolved[i].payloadJson);
      positions.push_back(i);
    }
    results.push_back(std::move(resolved[i].result));
  }
  if (payloads.empty()) return results;
  actions::SpoolAppend appended = spool_.append(payloads);
  switch (appended.status) {
    case actions::SpoolAppend::Status::Appended:
      break;  // Validated, status 200: durably queued
    case actions::SpoolAppend::Status::Full:
      refuse(results, positions, 429, "the spool is full: " + appended.error);
      break;
    case actions::SpoolAppend::Status::Failed:
      refuse(results, positions, 503, "the spool cannot take events now: " + appended.error);
      break;
  }
  return results;
}

Readiness SpoolAcceptance::readiness(const std::string& database) {
  Readiness r;
  actions::SpoolStats spool = spool_.stats();
  actions::SpoolDeliveryStats delivery = delivery_.stats();
  // A delivery's own error may name the database's address: the log has it, /ready does not.
  r.database = database;
  if (r.database.empty() && delivery.stalled)
    r.database = "deliveries from the spool fail (the log's \"delivery\" lines say why)";
  if (spool.broken) {
    r.error = "the spool takes no events: " + spool.error;
  } else if (!spool_.accepts(readyHeadroom_)) {
    r.error = "the spool is full (" + std::to_string(spool.bytes) + " of " +
              std::to_string(spool.maxBytes) + " bytes, or its disk is short of space)";
  }
  r.ready = r.error.empty();
  return r;
}

void SpoolAcceptance::renderMetrics(std::string& out) const {
  actions::SpoolStats s = spool_.stats();
  actions::SpoolDeliveryStats d = delivery_.stats();
  using M = MetricsText;
  M::single(out, "actions_serve_spool_bytes", "gauge", "Bytes the spool's segment files hold.",
            s.bytes);
  M::single(out, "actions_serve_spool_max_bytes", "gauge",
            "The spool's cap (--spool-max-bytes): past it requests are answered 429.", s.maxBytes);
  M::single(out, "actions_serve_spool_events_waiting", "gauge",
            "Events accepted into the spool and not yet stored (or dead-lettered).",
            s.recordsWaiting);
  M::single(out, "actions_serve_spool_oldest_event_age_seconds", "gauge",
            "Age of the oldest event waiting in the spool (0 when none waits).",
            s.oldestAgeSeconds);
  M::single(out, "actions_serve_spool_fsyncs_total", "counter",
            "Syncs that made appends durable; concurrent requests share one (group commit).",
            s.commits);
  M::single(out, "actions_serve_spool_refused_full_total", "counter",
            "Requests answered 429 because the spool or its disk was full.", s.refusedFull);
  M::family(out, "actions_serve_spool_delivered_total", "counter",
            "Events moved from the spool to the table, by outcome.");
  M::sample(out, "actions_serve_spool_delivered_total{outcome=\"inserted\"}", d.inserted);
  M::sample(out, "actions_serve_spool_delivered_total{outcome=\"duplicate\"}", d.duplicate);
  M::single(out, "actions_serve_spool_delivery_retries_total", "counter",
            "Deliveries from the spool that failed and were retried after a backoff.", d.retries);
  M::single(out, "actions_serve_spool_dead_letters_total", "counter",
            "Events the database refused, written to the dead-letter file with the reason.",
            d.deadLettered);
  M::single(out, "actions_serve_spool_delivery_stalled", "gauge",
            "1 while deliveries from the spool fail (the database down), else 0.",
            std::uint64_t(d.stalled ? 1 : 0));
}

}  // namespace serve
