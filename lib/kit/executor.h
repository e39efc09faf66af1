// An action ready for a run with fixed settings, the way Segment's destination-kit runs it:
// resolve() takes one event through subscription, mapping and validation; deliver() hands valid
// payloads to the action's performBatch (or perform), one result per payload, in order, in
// multi-status terms. Front-ends resolve where they like and deliver through the one
// DeliveryEngine (kit/delivery_engine.h), which calls deliver().
#pragma once

#include <chrono>
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
  // result per payload. `deadlines` (empty, or one per payload) are the payloads' own: no retry
  // starts for a payload past its deadline. An error thrown for the whole batch becomes every
  // payload's result. Safe to call from several threads at once when the action's perform /
  // performBatch is.
  void deliver(std::span<const json::Value* const> payloads, std::span<EventResult> results,
               std::span<const std::chrono::steady_clock::time_point> deadlines = {});

  // Hands the action its run state before the first delivery (a host that builds the action's
  // writer itself, to keep an eye on it). Not thread-safe: call before any delivery.
  void presetState(RunState state) { state_ = std::move(state); }

  const DeliveryOptions& delivery() const { return delivery_; }

 private:
  json::Document settings_;
  PreparedAction action_;
  DeliveryOptions delivery_;
  RunState state_;
};

}  // namespace actions::kit
