// Segment's subscription language (FQL), as @segment/destination-subscriptions parses and
// evaluates it, quirks included: a subscription copied out of Segment selects the same events.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "actions/export.h"

namespace actions {

// The expression does not parse; the message says what is wrong and at which column.
class ACTIONS_API InvalidSubscription : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
  ~InvalidSubscription() override;
};

struct MatchResult {
  bool ok = false;     // the event could be evaluated
  bool match = false;  // when ok: whether it matches
  std::string error;   // when not ok: the event is not JSON, or upstream cannot evaluate it
};

class ACTIONS_API Subscription {
 public:
  // Throws InvalidSubscription.
  static Subscription parse(std::string_view expression);

  // Evaluates the subscription on one event given as JSON text. Thread-safe.
  MatchResult evaluate(std::string_view eventJson) const;
  // The same, reusing `result`'s buffers (for loops over many events).
  void evaluate(std::string_view eventJson, MatchResult& result) const;

  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();

 private:
  struct Impl;
  ACTIONS_LOCAL explicit Subscription(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

}  // namespace actions
