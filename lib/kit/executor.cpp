#include "kit/executor.h"

#include "kit/errors.h"

namespace actions::kit {
namespace {

EventResult noResult() {
  EventResult r;
  r.status = 500;
  r.outcome = Outcome::Failed;
  r.error = "the action reported no result for this event";
  r.errorType = error_codes::kUnknownError;
  return r;
}

EventResult unexpected(const std::exception& e) {
  EventResult r;
  r.status = 500;
  r.outcome = Outcome::Failed;
  r.error = e.what();
  r.errorType = error_codes::kUnknownError;
  return r;
}

}  // namespace

ActionExecutor::ActionExecutor(const ActionDefinition& action, const json::Value& settings,
                               const ActionOptions& options, DeliveryOptions delivery)
    : action_(action, options), delivery_(delivery) {
  settings_.CopyFrom(settings, settings_.GetAllocator());
}

bool ActionExecutor::canDeliver() const {
  const auto& def = action_.definition();
  return static_cast<bool>(def.performBatch) || static_cast<bool>(def.perform);
}

void ActionExecutor::deliver(std::span<const json::Value* const> payloads,
                             std::span<EventResult> results) {
  deliver(payloads, results, delivery_);
}

void ActionExecutor::deliver(std::span<const json::Value* const> payloads,
                             std::span<EventResult> results, const DeliveryOptions& delivery) {
  const auto& def = action_.definition();
  for (auto& r : results) r = noResult();
  auto failAll = [&](const EventResult& r) {
    for (auto& x : results) x = r;
  };
  if (def.performBatch) {
    try {
      BatchRequest request{settings_, payloads, state_, &delivery};
      def.performBatch(request, results);
    } catch (const IntegrationError& e) {
      failAll(resultFor(e));
    } catch (const std::exception& e) {
      failAll(unexpected(e));
    }
    return;
  }
  if (!def.perform) {
    failAll(resultFor(IntegrationError("This action does not support batched requests.",
                                       error_codes::kNotImplemented, 501)));
    return;
  }
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    // perform answers for one payload: returning is success, as in Segment.
    results[i] = EventResult{};
    try {
      PerformRequest request{settings_, *payloads[i], state_, &delivery};
      def.perform(request, results[i]);
    } catch (const IntegrationError& e) {
      results[i] = resultFor(e);
    } catch (const std::exception& e) {
      results[i] = unexpected(e);
    }
  }
}

std::vector<EventResult> ActionExecutor::executeBatch(std::span<const json::Value* const> events,
                                                      json::Allocator& alloc,
                                                      std::vector<json::Value>* sent) {
  std::vector<EventResult> results(events.size());
  std::vector<json::Value> payloads(events.size());  // sized once: addresses stay put
  std::vector<const json::Value*> valid;
  std::vector<std::size_t> validIndex;
  for (std::size_t i = 0; i < events.size(); ++i) {
    Resolution r = action_.resolve(*events[i], settings_, payloads[i], alloc, true);
    if (!r.valid()) {
      results[i] = r.result();
      payloads[i].SetNull();
      continue;
    }
    valid.push_back(&payloads[i]);
    validIndex.push_back(i);
  }
  if (!valid.empty()) {
    std::vector<EventResult> delivered(valid.size());
    deliver(valid, delivered);
    for (std::size_t k = 0; k < valid.size(); ++k) results[validIndex[k]] = std::move(delivered[k]);
  }
  if (sent) *sent = std::move(payloads);
  return results;
}

EventResult ActionExecutor::execute(const json::Value& event, json::Allocator& alloc,
                                    json::Value* sent) {
  json::Value payload;
  Resolution r = action_.resolve(event, settings_, payload, alloc, false);
  if (!r.valid()) return r.result();
  EventResult result;
  const json::Value* one[] = {&payload};
  deliver(one, std::span<EventResult>(&result, 1));
  if (sent) *sent = std::move(payload);
  return result;
}

}  // namespace actions::kit
