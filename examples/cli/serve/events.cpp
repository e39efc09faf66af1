#include "events.h"

#include <chrono>

#include "actions/json_text.h"

namespace serve {

std::string rewriteEvent(std::string_view text, const EventFixes& fixes) {
  if (!fixes.dropWriteKey) return std::string(text);
  // Read and written by the library, as the Destination reads it: a lone surrogate's escape
  // is kept as the escape.
  std::optional<std::string> rewritten = actions::withoutJsonMember(text, "writeKey");
  return rewritten ? std::move(*rewritten) : std::string(text);
}

void RequestEvents::reject(std::string error) {
  actions::EventResult r;
  r.outcome = actions::Outcome::Rejected;
  r.status = 400;
  r.errorType = "PAYLOAD_VALIDATION_FAILED";
  r.error = std::move(error);
  results_.push_back(std::move(r));
}

void RequestEvents::add(std::string_view text, bool isObject, std::string_view kindIfNotObject,
                        const EventFixes& fixes) {
  if (!isObject) {
    reject("event " + std::to_string(results_.size()) + " is not a JSON object but " +
           std::string(kindIfNotObject));
    return;
  }
  if (text.size() > maxEventBytes_) {
    reject("event " + std::to_string(results_.size()) + " is " + std::to_string(text.size()) +
           " bytes, over the limit of " + std::to_string(maxEventBytes_) + " bytes per event");
    return;
  }
  if (fixes.any()) {
    owned_.push_back(rewriteEvent(text, fixes));
    text = owned_.back();
  }
  positions_.push_back(results_.size());
  views_.push_back(text);
  results_.emplace_back();
}

std::vector<actions::EventResult> RequestEvents::deliver(actions::Destination& destination,
                                                         Metrics& metrics) {
  if (!views_.empty()) {
    auto start = std::chrono::steady_clock::now();
    std::vector<actions::EventResult> delivered = destination.performBatch(views_);
    metrics.observeDelivery(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (std::size_t k = 0; k < delivered.size() && k < positions_.size(); ++k)
      results_[positions_[k]] = std::move(delivered[k]);
  }
  for (const auto& r : results_) metrics.countEvent(r.outcome);
  return std::move(results_);
}

std::vector<actions::EventResult> RequestEvents::deliver(actions::Destination& destination,
                                                         Metrics& metrics,
                                                         const PayloadCheck& check) {
  if (!views_.empty()) {
    auto start = std::chrono::steady_clock::now();
    std::vector<actions::ResolvedEvent> resolved = destination.resolve(views_);
    std::vector<std::string_view> payloads;
    std::vector<std::size_t> at;  // payloads[j] is event at[j] of the request
    for (std::size_t k = 0; k < resolved.size() && k < positions_.size(); ++k) {
      actions::EventResult& result = results_[positions_[k]];
      if (resolved[k].result.outcome != actions::Outcome::Validated) {
        result = std::move(resolved[k].result);
      } else if (auto refusal = check(resolved[k].payloadJson)) {
        result = std::move(*refusal);
        if (!result.messageId) result.messageId = resolved[k].result.messageId;
      } else {
        payloads.push_back(resolved[k].payloadJson);
        at.push_back(positions_[k]);
      }
    }
    if (!payloads.empty()) {
      std::vector<actions::EventResult> delivered = destination.performPayloads(payloads);
      for (std::size_t j = 0; j < delivered.size() && j < at.size(); ++j)
        results_[at[j]] = std::move(delivered[j]);
    }
    metrics.observeDelivery(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  for (const auto& r : results_) metrics.countEvent(r.outcome);
  return std::move(results_);
}

}  // namespace serve
