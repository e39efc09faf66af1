// Mapping validation, before any event is touched, with upstream's rules and messages: every
// problem names the JSON pointer of its spot ("/props/@merge/objects should be an array but it
// is an object."), and all problems are reported, in upstream's order.
#pragma once

#include <string>
#include <vector>

#include "json/json.h"

namespace actions::mapping {

// The problems of `mapping` (empty when it is valid).
std::vector<std::string> validateMapping(const json::Value& mapping);

// JavaScript's "directive" test: an object with an @-key whose other keys are @-keys or
// "_metadata".
bool isDirective(const json::Value& v);
// The @-key a directive object runs (the first one).
const json::Value* directiveKey(const json::Value& v);

}  // namespace actions::mapping
