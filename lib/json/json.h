// The library's JSON layer: RapidJSON values, parsed with bounded depth and clear errors, and
// written the way JavaScript's JSON.stringify and String() write them, because Segment's
// behaviour (and so ours) is defined in JavaScript terms.
#pragma once

#include <rapidjson/document.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace actions::json {

using Value = rapidjson::Value;
using Document = rapidjson::Document;
using Allocator = rapidjson::Document::AllocatorType;

// Deeper documents are refused: real events are shallow, and every walk over a value
// (mapping, validation, writing) must stay far from the end of the stack.
inline constexpr unsigned kMaxDepth = 512;

struct ParseError {
  std::size_t offset = 0;  // byte offset of the problem
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
  std::string message;     // what was expected or found
  // "invalid JSON at line 1, column 7: Missing a colon after a name of object member."
  std::string describe() const;
};

// Parses `text` into `doc` (replacing its content). Duplicate keys keep the last value at the
// first key's place, as JSON.parse does. Returns the error, or nothing on success.
std::optional<ParseError> parse(std::string_view text, Document& doc,
                                unsigned maxDepth = kMaxDepth);

// JSON.stringify of `v`, appended to `out` (compact, key order kept, JavaScript number format,
// JavaScript's escapes).
void stringify(const Value& v, std::string& out);
std::string stringify(const Value& v);

// JavaScript's Number.prototype.toString for `d` (non-finite numbers print as JavaScript prints
// them).
void appendNumber(double d, std::string& out);
// The same for a JSON number value, whatever its RapidJSON representation.
void appendNumber(const Value& number, std::string& out);
// The JavaScript double a JSON number stands for.
double toDouble(const Value& number);

// JavaScript's String(v): strings as they are, numbers and booleans as JavaScript prints them,
// null as "null", objects as "[object Object]", arrays joined with ",".
void appendJsString(const Value& v, std::string& out);
std::string toJsString(const Value& v);

// JSON string escaping as JSON.stringify does it, with the surrounding quotes.
void appendQuoted(std::string_view s, std::string& out);

// A deep copy of `v` into `alloc`.
inline Value clone(const Value& v, Allocator& alloc) {
  return Value(v, alloc);
}

// Longest nesting of objects and arrays in `v` (0 for a scalar), computed without recursion.
unsigned depthOf(const Value& v);

}  // namespace actions::json
