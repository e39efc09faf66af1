// Executes an action for a run with fixed settings, the way Segment's destination-kit does:
// execute(event) for one event, executeBatch(events) for many, each returning one result per
// event, in order, in multi-status terms. One bad event never stops the others: it gets its own
// 400 while the valid payloads go on to perform / performBatch.
#pragma once

#include <span>
#include <vector>

#include "json/json.h"
#include "kit/definition.h"
#include "kit/prepared_action.h"
#include "kit/requests.h"
#include "kit/result.h"

namespace actions::kit {

class ActionExecutor {
 public:
  // `settings` are validated settings (see validateSettings); they are copied. Throws as
  // PreparedAction does.
  ActionExecutor(const ActionDefinition& action, const json::Value& settings,
                 const ActionOptions& options, DeliveryOptions delivery = {});

  const PreparedAction& action() const { return action_; }
  const json::Value& settings() const { return settings_; }
  bool canDeliver() const;

  // Resolves one event (see PreparedAction::resolve) with these settings.
  Resolution resolve(const json::Value& event, json::Value& payload, json::Allocator& alloc,
                     bool batch = true) const {
    return action_.resolve(event, settings_, payload, alloc, batch);
  }

  // A payload mapped and validated elsewhere (see PreparedAction::admit).
  Resolution admit(const json::Value& payload) const { return action_.admit(payload, settings_); }

  // Delivers validated payloads through performBatch (or perform, one by one), filling one
  // result per payload. An error thrown for the whole batch becomes every payload's result.
  // Safe to call from several threads at once when the action's perform / performBatch is.
  void deliver(std::span<const json::Value* const> payloads, std::span<EventResult> results);
  // The same with delivery options of this call's own (a deadline, say).
  void deliver(std::span<const json::Value* const> payloads, std::span<EventResult> results,
               const DeliveryOptions& delivery);

  // Hands the action its run state before the first delivery (a host that builds the action's
  // writer itself, to keep an eye on it). Not thread-safe: call before any delivery.
  void presetState(RunState state) { state_ = std::move(state); }

  // Segment's executeBatch: resolution, then delivery of the valid payloads. Payloads are
  // allocated from `alloc`; `sent`, when given, receives each event's validated payload (null
  // for events that were not valid).
  std::vector<EventResult> executeBatch(std::span<const json::Value* const> events,
                                        json::Allocator& alloc,
                                        std::vector<json::Value>* sent = nullptr);
  // Segment's execute: one event, delivered with perform (or a batch of one).
  EventResult execute(const json::Value& event, json::Allocator& alloc,
                      json::Value* sent = nullptr);

 private:
  json::Document settings_;
  PreparedAction action_;
  DeliveryOptions delivery_;
  RunState state_;
};

}  // namespace actions::kit
