// JavaScript's view of JSON values where Segment's validation depends on it: ToNumber of a
// string (the `x == +x` test of ajv's coercions), deep equality (ajv's const / enum), string
// length in code points (ajv's minLength / maxLength) and `typeof`-style type names.
#pragma once

#include <cstddef>
#include <string_view>

#include "json/json.h"

namespace actions::kit::js {

// JavaScript's Number(s) for a string: NaN when it is not a numeric literal. Surrounding
// JavaScript white space is ignored, "" and blanks are 0, 0x / 0o / 0b prefixes and Infinity count.
double toNumber(std::string_view s);

// True for a code point JavaScript's String.prototype.trim and \s treat as white space.
bool isWhiteSpace(char32_t c);

// Decodes the code point starting at s[i] (advancing i); malformed bytes decode as U+FFFD.
char32_t nextCodePoint(std::string_view s, std::size_t& i);

// Length in code points, as ajv counts characters.
std::size_t codePointLength(std::string_view s);

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
