// JSON text for hosts: writing JSON lines of their own (reports, answers) from the records this
// library hands back, and finding their way in a request's JSON without a reader of their own.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"

namespace actions {

// Appends `text` (UTF-8) to `out` as a JSON string literal, quoted and escaped as
// JavaScript's JSON.stringify writes it.
ACTIONS_API void appendJsonString(std::string_view text, std::string& out);

// What a JSON object's text holds where, read once by the library's own reader, so that a host
// hands parts of a request on (an event, a mapping) as the bytes the client sent, read by the
// same rules the Destination reads them by: JSON.parse's, under which a string cut inside an
// emoji ("\ud83d") is a string like any other.
enum class JsonKind { Null, Bool, Number, String, Object, Array };

// A value: its text is text.substr(begin, end - begin).
struct JsonPart {
  JsonKind kind = JsonKind::Null;
  std::size_t begin = 0, end = 0;
  std::string string;             // a string: its value, decoded
  std::vector<std::string> keys;  // an object: its keys, decoded, in order (repeats included)
};

// A member of the outlined object.
struct JsonMember : JsonPart {
  std::string key;                 // decoded
  std::vector<JsonPart> elements;  // an array: its elements
};

struct JsonObjectOutline {
  JsonKind kind = JsonKind::Null;   // what the text holds: members only when it is an object
  std::vector<JsonMember> members;  // in order, a repeated key each time it appears
};

// Outlines `text` (one JSON value, white space around it allowed; nested at most as deep as the
// library reads events): nothing when it is JSON, else where and why it is not ("invalid JSON at
// line 1, column 7: ...").
ACTIONS_API std::optional<std::string> outlineJsonObject(std::string_view text,
                                                         JsonObjectOutline& out);

// `object` (the text of a JSON object) without its members named `key`, written back as
// JSON.stringify writes it; nothing when it is not a JSON object.
ACTIONS_API std::optional<std::string> withoutJsonMember(std::string_view object,
                                                         std::string_view key);

}  // namespace actions
