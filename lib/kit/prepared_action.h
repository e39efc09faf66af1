// An action made ready for a run: its mapping compiled, its subscription parsed and its fields
// compiled into a schema, once. resolve() then takes one event through Segment's pipeline:
// subscription match, mapping-kit transform, removal of empty values, schema validation (with
// coercions), and the destination's own payload rules.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "json/json.h"
#include "kit/definition.h"
#include "kit/result.h"
#include "kit/schema.h"
#include "mapping/mapping.h"
#include "subscription/subscription.h"

namespace actions::kit {

struct ActionOptions {
  const json::Value* mapping = nullptr;  // null: the action's default mapping
  std::optional<std::string>
      subscription;  // unset: the action's defaultSubscription; "": every event
};

// What became of one event before delivery.
struct Resolution {
  enum class Kind { Valid, Skipped, Rejected };
  Kind kind = Kind::Valid;
  std::string error;  // why it was skipped or rejected
  bool valid() const { return kind == Kind::Valid; }
  // The event's answer when it goes no further: skipped (200), or rejected (400,
  // PAYLOAD_VALIDATION_FAILED); validated (200) when it is valid.
  EventResult result() const;
};

class PreparedAction {
 public:
  // Throws mapping::MappingError for an invalid mapping, subscription::SubscriptionError for an
  // expression that does not parse, std::invalid_argument for a definition the kit cannot use.
  PreparedAction(const ActionDefinition& action, const ActionOptions& options);

  // Resolves `event` into `payload` (allocated from `alloc`). `batch` follows executeBatch,
  // which keeps empty strings at the top level; a single execute() drops them.
  Resolution resolve(const json::Value& event, const json::Value& settings, json::Value& payload,
                     json::Allocator& alloc, bool batch = true) const;

  // A payload that was mapped and validated elsewhere (by Segment's own runtime): only the
  // destination's own rules (ActionDefinition::checkPayload) apply.
  Resolution admit(const json::Value& payload, const json::Value& settings) const;

  const ActionDefinition& definition() const { return action_; }
  const json::Value& mapping() const { return mappingJson_; }
  // The subscription in force, empty when every event matches.
  const std::string& subscription() const { return subscriptionText_; }

 private:
  const ActionDefinition& action_;
  json::Document mappingJson_;
  std::optional<mapping::CompiledMapping> mapping_;
  std::string subscriptionText_;
  std::optional<subscription::Subscription> subscription_;
  std::shared_ptr<const schema::Schema> schema_;
};

}  // namespace actions::kit
