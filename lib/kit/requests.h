// What the kit hands to a destination's functions (declared in kit/definition.h): the
// validated settings (defaults applied), the validated payloads, and per-run state.
#pragma once

#include <any>
#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "json/json.h"
#include "kit/definition.h"

namespace actions::kit {

// State an action keeps between the calls of one run (a connection pool, say). The kit owns
// it and destroys it at the end of the run; an action creates it on first use.
using RunState = std::any;

// How the run wants deliveries made, beyond the settings: limits a host or the command line
// chooses for a whole run. Unset members mean the action's own defaults.
struct DeliveryOptions {
  // How long transient faults (lost connection, deadlock, server restarting...) are retried
  // before the payloads they hold are reported failed.
  std::optional<std::chrono::milliseconds> retryFor;
  // Deliveries the run makes at once (the engine's lanes): the connections it may need.
  unsigned concurrentDeliveries = 1;
};

// No deadline: the payload waits for as long as retryFor allows.
inline constexpr std::chrono::steady_clock::time_point kNoDeadline =
    std::chrono::steady_clock::time_point::max();

struct PerformRequest {
  const json::Value& settings;  // validated settings object, defaults applied
  const json::Value& payload;   // the validated payload
  RunState& state;
  const DeliveryOptions* delivery = nullptr;  // null: defaults
  // No retry starts after this point, whatever retryFor allows: the caller waiting for this
  // payload must have its answer by then.
  std::chrono::steady_clock::time_point deadline = kNoDeadline;
};

struct BatchRequest {
  const json::Value& settings;
  std::span<const json::Value* const> payloads;  // validated payloads, in input order
  RunState& state;
  const DeliveryOptions* delivery = nullptr;  // null: defaults
  // One per payload (empty: none): each payload's own deadline, past which no retry may start
  // for it (kNoDeadline: none). A fresh payload batched with an old one keeps its own budget.
  std::span<const std::chrono::steady_clock::time_point> deadlines = {};
};

struct AuthRequest {
  const json::Value& settings;
};

struct DynamicRequest {
  const json::Value& settings;
  std::string field;                     // the field's key
  const json::Value* payload = nullptr;  // the mapping's current values, when known
  std::string page;                      // the page to list (from a previous nextPage)
};

}  // namespace actions::kit
