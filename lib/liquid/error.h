// Errors as liquidjs words them: a message, then where in the template it happened
// ("tag \"case\" is disabled, line:1, col:1").
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "liquid/liquid.h"

namespace actions::liquid {

// An error without a position yet (what a JavaScript filter or operator throws); the evaluator
// gives it the position of the tag or output being rendered, as liquidjs's RenderError does.
class RenderFailure : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "<message>, line:L, col:C" for byte `offset` of `source`.
std::string withPosition(std::string_view source, std::size_t offset, std::string_view message);
[[noreturn]] void throwAt(std::string_view source, std::size_t offset, std::string_view message);

// liquidjs's snapshot of template text in messages: JSON-quoted, cut to 32 characters with "...".
std::string snapshot(std::string_view text);

}  // namespace actions::liquid
