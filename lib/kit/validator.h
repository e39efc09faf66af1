// Payload validation as Segment does it: ajv (coerceTypes "array", allErrors, removeAdditional)
// over the schema of the action's fields, with @segment/ajv-human-errors' messages. The payload
// is changed in place the way ajv changes it: values coerced, unknown keys removed.
#pragma once

#include <string>

#include "json/json.h"
#include "kit/schema.h"

namespace actions::kit {

// Validates `payload` against `schema` (changing it in place). Returns the error message
// (every problem, each a sentence, joined by spaces), or an empty string when it is valid.
std::string validatePayload(const schema::Node& schema, json::Value& payload,
                            json::Allocator& alloc);

}  // namespace actions::kit
