// JavaScript's view of JSON values where Segment's validation depends on it: deep equality
// (ajv's const / enum), integers, and `typeof`-style type names. The rules for strings (Number(s),
// lengths, white space) are json/js_text.h's.
#pragma once

#include <cstddef>
#include <string_view>

#include "json/json.h"

namespace actions::kit::js {

// ajv's deep equality: numbers by value, objects regardless of key order.
bool deepEqual(const json::Value& a, const json::Value& b);

// "a string", "a number", "a boolean", "null", "an array", "an object".
const char* describeType(const json::Value& v);

// True for a JSON number that is an integer in JavaScript terms (x % 1 === 0, finite).
bool isInteger(const json::Value& number);

inline std::string_view view(const json::Value& s) {
  return {s.GetString(), s.GetStringLength()};
}

}  // namespace actions::kit::js
