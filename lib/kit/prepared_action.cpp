#include "kit/prepared_action.h"

#include "kit/default_mapping.h"
#include "kit/errors.h"
#include "kit/js_values.h"
#include "kit/remove_empty_values.h"
#include "kit/requests.h"
#include "kit/validator.h"

namespace actions::kit {

EventResult Resolution::result() const {
  EventResult r = validated();
  if (kind == Kind::Skipped) {
    r.status = 200;
    r.outcome = Outcome::Skipped;
    r.error = error;
  } else if (kind == Kind::Rejected) {
    r.status = 400;
    r.outcome = Outcome::Rejected;
    r.error = error;
    r.errorType = error_codes::kPayloadValidationFailed;
  }
  return r;
}

PreparedAction::PreparedAction(const ActionDefinition& action, const ActionOptions& options)
    : action_(action) {
  if (options.mapping)
    mappingJson_.CopyFrom(*options.mapping, mappingJson_.GetAllocator());
  else
    defaultMapping(action, mappingJson_);
  mapping_.emplace(mapping::CompiledMapping::compile(mappingJson_));
  subscriptionText_ = options.subscription ? *options.subscription : action.defaultSubscription;
  if (!subscriptionText_.empty())
    subscription_.emplace(subscription::Subscription::parse(subscriptionText_));
  schema_ = schema::Schema::compile(action.fields);
  // Fields the schema does not look inside (the Send Data message) take the event's value as it
  // is, as upstream hands on the event object: no copy of the whole event per payload. The
  // payload then shares values with the event, which outlives it in every caller.
  const schema::Node& root = schema_->root();
  mapping_->shareReadOnlyMembers(
      [&root](std::string_view key) { return schema::nothingEditsInside(root, key); });
}

Resolution PreparedAction::resolve(const json::Value& event, const json::Value& settings,
                                   json::Value& payload, json::Allocator& alloc, bool batch) const {
  using Kind = Resolution::Kind;
  if (!event.IsObject())
    return {Kind::Rejected, std::string("The event must be a JSON object but it was ") +
                                js::describeType(event) + "."};
  if (subscription_ && !subscription_->matches(event))
    return {Kind::Skipped, "the event does not match the subscription: " + subscriptionText_};
  bool defined;
  try {
    defined = mapping_->apply(event, payload, alloc);
  } catch (const mapping::ApplyError& e) {
    return {Kind::Rejected, std::string("The mapping failed on this event: ") + e.what()};
  }
  if (!defined || !removeEmptyValues(payload, schema_->root(), !batch))
    return {Kind::Rejected, "The root value must be an object but it was undefined."};
  std::string problems = validatePayload(schema_->root(), payload, alloc);
  if (!problems.empty()) return {Kind::Rejected, std::move(problems)};
  return admit(payload, settings);
}

Resolution PreparedAction::admit(const json::Value& payload, const json::Value& settings) const {
  using Kind = Resolution::Kind;
  if (!payload.IsObject())
    return {Kind::Rejected, std::string("The payload must be a JSON object but it was ") +
                                js::describeType(payload) + "."};
  if (action_.checkPayload) {
    RunState none;
    PerformRequest request{settings, payload, none};
    std::string problem = action_.checkPayload(request);
    if (!problem.empty()) return {Kind::Rejected, std::move(problem)};
  }
  return {};
}

}  // namespace actions::kit
