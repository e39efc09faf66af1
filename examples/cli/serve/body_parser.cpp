#include "body_parser.h"

#include <string>

#include "limits.h"

namespace serve {

const Member* ParsedBody::find(std::string_view key) const {
  for (const auto& m : members)
    if (m.key == key) return &m;
  return nullptr;
}

const char* describe(JsonKind kind) {
  switch (kind) {
    case JsonKind::Null:
      return "null";
    case JsonKind::Bool:
      return "a boolean";
    case JsonKind::Number:
      return "a number";
    case JsonKind::String:
      return "a string";
    case JsonKind::Object:
      return "an object";
    case JsonKind::Array:
      return "an array";
  }
  return "a value";
}

ParsedBody parseBody(std::string_view body) {
  ParsedBody out;
  actions::JsonObjectOutline outline;
  if (auto error = actions::outlineJsonObject(body, outline)) {
    out.error = "the body is not JSON: " + *error;
    return out;
  }
  if (outline.kind != JsonKind::Object) {
    out.error = std::string("the body must be a JSON object, not ") + describe(outline.kind);
    return out;
  }
  out.members.reserve(outline.members.size());
  for (auto& m : outline.members) {
    Member& member = out.members.emplace_back();
    member.key = std::move(m.key);
    member.kind = m.kind;
    member.string = std::move(m.string);
    member.begin = m.begin;
    member.end = m.end;
    for (const auto& key : m.keys)
      if (key == "writeKey") member.hasWriteKey = true;
    if (m.kind == JsonKind::Array && m.elements.size() > kMaxEventsPerRequest) {
      out.error = "an array of the body has more than " + std::to_string(kMaxEventsPerRequest) +
                  " elements, over the limit of events per request: split it";
      out.members.clear();
      return out;
    }
    member.elements.reserve(m.elements.size());
    for (const auto& e : m.elements) {
      Element& element = member.elements.emplace_back();
      element.begin = e.begin;
      element.end = e.end;
      element.object = e.kind == JsonKind::Object;
      for (const auto& key : e.keys)
        if (key == "writeKey") element.hasWriteKey = true;
    }
  }
  return out;
}

}  // namespace serve
