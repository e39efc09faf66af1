// include/actions/subscription.h over the FQL parser and evaluator (subscription/).
#include "actions/subscription.h"

#include "json/json.h"
#include "subscription/subscription.h"

namespace actions {

InvalidSubscription::~InvalidSubscription() = default;

struct Subscription::Impl {
  subscription::Subscription parsed;
};

Subscription::Subscription(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;
Subscription::~Subscription() = default;

Subscription Subscription::parse(std::string_view expression) {
  try {
    return Subscription(
        std::make_unique<const Impl>(Impl{subscription::Subscription::parse(expression)}));
  } catch (const subscription::SubscriptionError& e) {
    throw InvalidSubscription(e.what());
  }
}

MatchResult Subscription::evaluate(std::string_view eventJson) const {
  MatchResult result;
  evaluate(eventJson, result);
  return result;
}

void Subscription::evaluate(std::string_view eventJson, MatchResult& result) const {
  result.ok = false;
  result.match = false;
  result.error.clear();
  // One document per thread, reused: its pool keeps its first chunk between events.
  thread_local json::Document event;
  event.SetNull();
  event.GetAllocator().Clear();
  if (auto err = json::parse(eventJson, event)) {
    result.error = err->describe();
    return;
  }
  if (auto matched = impl_->parsed.evaluate(event, &result.error)) {
    result.ok = true;
    result.match = *matched;
  }
}

}  // namespace actions
