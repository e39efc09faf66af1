// A request body's top-level members and, for members that are arrays, where each element's
// text begins and ends, read by the library's JSON reader (include/actions/json_text.h), so
// a string cut inside an emoji ("\ud83d") is read here as the Destination reads it. Events are
// then handed to the Destination as slices of the body itself: no copy, and exactly the bytes the
// client sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "actions/json_text.h"

namespace serve {

using JsonKind = actions::JsonKind;

// An element of a top-level array member: its text is body[begin, end).
struct Element {
  std::size_t begin = 0, end = 0;
  bool object = false;       // a JSON object (anything else cannot be an event)
  bool hasWriteKey = false;  // has a top-level "writeKey" key
};

struct Member {
  std::string key;
  JsonKind kind = JsonKind::Null;
  std::string string;              // kind String: the value
  std::size_t begin = 0, end = 0;  // the value's text
  bool hasWriteKey = false;        // kind Object: has a top-level "writeKey" key
  std::vector<Element> elements;   // kind Array
};

struct ParsedBody {
  std::string error;  // not JSON (with where), or not an object; empty when parsed
  std::vector<Member> members;
  bool ok() const { return error.empty(); }
  const Member* find(std::string_view key) const;
};

// Parses `body`, which must be one JSON object (whitespace around it allowed).
ParsedBody parseBody(std::string_view body);

// A string naming a JSON kind for errors: "an object", "a string"...
const char* describe(JsonKind kind);

}  // namespace serve
