// Raised where upstream's validate() throws (a TypeError in JavaScript) for an event.
#pragma once

#include <stdexcept>

namespace actions::subscription {

class EvaluationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace actions::subscription
