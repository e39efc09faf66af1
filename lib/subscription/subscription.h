// Segment's subscription language (FQL), parsed and evaluated exactly as
// @segment/destination-subscriptions does (see test/conformance/subscriptions).
#pragma once

#include <memory>
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
  // SubscriptionError for whatever upstream refuses to parse.
  static Subscription parse(std::string_view expression);
  // True when `event` matches. Thread-safe.
  bool matches(const json::Value& event) const;

  Subscription(Subscription&&) noexcept;
  Subscription& operator=(Subscription&&) noexcept;
  ~Subscription();

  struct Ast;  // private to the implementation

 private:
  explicit Subscription(std::unique_ptr<const Ast> ast);
  std::unique_ptr<const Ast> ast_;
};

}  // namespace actions::subscription
