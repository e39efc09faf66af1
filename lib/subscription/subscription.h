// Segment's subscription language (FQL), parsed and evaluated exactly as
// @segment/destination-subscriptions does (see test/conformance/subscriptions).
//
// Upstream is not a regular grammar but a token-shifting loop with many quirks (the last
// `and`/`or` of a level decides for all of it, parentheses do not nest, unknown identifiers are
// skipped, `!` only negates contains()/match()). The lexer, parser and evaluator here reproduce
// those quirks one for one, because a subscription copied out of Segment must select the same
// events here.
#pragma once

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::subscription {

class SubscriptionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Subscription {
 public:
  // Parses an expression ("type = \"track\" and event = \"Order Completed\""). Throws
  // SubscriptionError for whatever upstream refuses to parse; the message says what is wrong
  // and at which column.
  static Subscription parse(std::string_view expression);

  // True when `event` matches. Thread-safe. Throws SubscriptionError for the few events on which
  // upstream's validate() itself throws (a null event, an empty "()" group that gets evaluated,
  // a property path made only of separators); evaluate() reports those without throwing.
  bool matches(const json::Value& event) const;

  // Like matches(), but an event upstream cannot evaluate yields nothing and, when `error` is
  // given, the reason.
  std::optional<bool> evaluate(const json::Value& event, std::string* error = nullptr) const;

  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();

  struct Ast;  // private to the implementation

 private:
  explicit Subscription(std::unique_ptr<const Ast> ast);
  std::unique_ptr<const Ast> ast_;
};

}  // namespace actions::subscription
