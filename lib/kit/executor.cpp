#include "kit/executor.h"

#include <stdexcept>

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
                             std::span<EventResult> results,
                             std::span<const std::chrono::steady_clock::time_point> deadlines) {
  if (!deadlines.empty() && deadlines.size() != payloads.size())
    throw std::invalid_argument("ActionExecutor::deliver: one deadline per payload, or none");
  const auto& def = action_.definition();
  for (auto& r : results) r = noResult();
  auto failAll = [&](const EventResult& r) {
    for (auto& x : results) x = r;
  };
  if (def.performBatch) {
    try {
      BatchRequest request{settings_, payloads, state_, &delivery_, deadlines};
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
    results[i] = EventResult{200, Outcome::Inserted, {}, {}};
    try {
      PerformRequest request{settings_, *payloads[i], state_, &delivery_,
                             deadlines.empty() ? kNoDeadline : deadlines[i]};
      def.perform(request, results[i]);
    } catch (const IntegrationError& e) {
      results[i] = resultFor(e);
    } catch (const std::exception& e) {
      results[i] = unexpected(e);
    }
  }
}

}  // namespace actions::kit
