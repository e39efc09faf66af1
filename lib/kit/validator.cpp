#include "kit/validator.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "json/js_text.h"
#include "kit/date_like.h"
#include "kit/js_values.h"

namespace actions::kit {
namespace {

using schema::JsonType;
using schema::Node;

// One validation pass. Mirrors ajv's evaluation state: whether every error is collected or the
// first one ends the (sub)schema, and whether errors are recorded at all (inside `if` and
// `not` they only decide validity).
// One step of the way from the payload to the value being validated: a member's key or an
// element's index. The steps live on the stack of the walk; the JSON pointer they spell is
// written only for an error message.
struct PathStep {
  const PathStep* parent;
  std::string_view key;
  std::size_t index;
  bool isIndex;
};

struct Context {
  json::Allocator& alloc;
  std::vector<std::string>* messages;  // null: errors are counted, not described
  bool allErrors = true;
  int errors = 0;
  const PathStep* path = nullptr;  // the value being validated; null at the root
};

// Appends `/key` to a JSON pointer, escaping as RFC 6901 says.
void appendPointer(std::string& path, std::string_view key) {
  path.push_back('/');
  for (char c : key) {
    if (c == '~')
      path += "~0";
    else if (c == '/')
      path += "~1";
    else
      path.push_back(c);
  }
}

std::string humanizeList(const std::vector<std::string>& items, const char* conjunction) {
  if (items.empty()) return "nothing";
  if (items.size() == 1) return items[0];
  if (items.size() == 2) return items[0] + " " + conjunction + " " + items[1];
  std::string out;
  for (std::size_t i = 0; i + 1 < items.size(); ++i) out += items[i] + ", ";
  return out + conjunction + " " + items.back();
}

const char* article(std::string_view word) {
  char c = word.empty() ? ' ' : word[0];
  return (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u') ? "an" : "a";
}

void appendPath(const PathStep* step, std::string& out) {
  if (!step) return;
  appendPath(step->parent, out);
  if (step->isIndex) {
    out.push_back('/');
    out += std::to_string(step->index);
  } else {
    appendPointer(out, step->key);
  }
}

// ajv-human-errors names a value by its schema's title, else by where it is.
std::string preamble(const Node& node, const Context& cx) {
  if (!node.title.empty()) return node.title;
  std::string path;
  appendPath(cx.path, path);
  if (path.empty()) return "the root value";
  return "the value at " + path;
}

void fail(Context& cx, const Node& node, const std::string& rest) {
  ++cx.errors;
  if (!cx.messages) return;
  std::string m = preamble(node, cx) + " " + rest;
  if (!m.empty() && m[0] >= 'a' && m[0] <= 'z') m[0] = static_cast<char>(m[0] - 'a' + 'A');
  m.push_back('.');
  cx.messages->push_back(std::move(m));
}

std::string pluralCharacters(double n) {
  return n == 1 ? "character" : "characters";
}

std::string jsNumber(double d) {
  std::string s;
  json::appendNumber(d, s);
  return s;
}

void reportTypeError(Context& cx, const Node& node, const json::Value& data) {
  if (!cx.messages) {
    ++cx.errors;
    return;
  }
  std::vector<std::string> names;
  for (JsonType t : node.types) names.push_back(schema::toString(t));
  std::string expected = humanizeList(names, "or");
  fail(cx, node,
       std::string("must be ") + article(expected) + " " + expected + " but it was " +
           js::describeType(data));
}

bool isFiniteNumber(const json::Value& v) {
  return v.IsNumber() && std::isfinite(json::toDouble(v));
}

bool hasType(const json::Value& v, JsonType t) {
  switch (t) {
    case JsonType::String:
      return v.IsString();
    case JsonType::Number:
      return isFiniteNumber(v);
    case JsonType::Integer:
      return isFiniteNumber(v) && js::isInteger(v);
    case JsonType::Boolean:
      return v.IsBool();
    case JsonType::Null:
      return v.IsNull();
    case JsonType::Object:
      return v.IsObject();
    case JsonType::Array:
      return v.IsArray();
  }
  return false;
}

bool hasAnyType(const std::vector<JsonType>& types, const json::Value& v) {
  for (JsonType t : types)
    if (hasType(v, t)) return true;
  return false;
}

// ajv's test for an element unwrapped from a one-element array: with several types it joins the
// type checks with "and" (so no value passes), with one type it is the plain check.
bool passesUnwrapTest(const std::vector<JsonType>& types, const json::Value& v) {
  bool number = false;
  for (JsonType t : types) number = number || t == JsonType::Number;
  for (JsonType t : types) {
    if (t == JsonType::Integer && number) continue;
    if (!hasType(v, t)) return false;
  }
  return true;
}

bool coercible(JsonType t) {
  return t != JsonType::Object;
}

json::Value numberValue(double d) {
  json::Value v;
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9007199254740992.0 &&
      !(d == 0 && std::signbit(d)))
    v.SetInt64(static_cast<int64_t>(d));
  else
    v.SetDouble(d);
  return v;
}

bool truthyNonEmptyString(const json::Value& v) {
  return v.IsString() && v.GetStringLength() > 0;
}

bool isNumberEqualTo(const json::Value& v, double x) {
  return v.IsNumber() && json::toDouble(v) == x;
}

// One step of ajv's coercion chain for type `t`; true when it produced `out`.
bool coerceTo(JsonType t, const json::Value& data, json::Value& out, json::Allocator& alloc) {
  switch (t) {
    case JsonType::String:
      if (data.IsNumber() || data.IsBool()) {
        std::string s;
        json::appendJsString(data, s);
        out.SetString(s.c_str(), static_cast<rapidjson::SizeType>(s.size()), alloc);
        return true;
      }
      if (data.IsNull()) {
        out.SetString("", 0, alloc);
        return true;
      }
      return false;
    case JsonType::Number:
    case JsonType::Integer: {
      double n;
      if (data.IsBool())
        n = data.GetBool() ? 1 : 0;
      else if (data.IsNull())
        n = 0;
      else if (truthyNonEmptyString(data)) {
        n = json::text::toNumber(js::view(data));
        if (std::isnan(n)) return false;
        // Integer coercion also wants `!(x % 1)`, which Infinity passes (its remainder is NaN).
        if (t == JsonType::Integer && std::isfinite(n) && std::fmod(n, 1.0) != 0) return false;
      } else {
        return false;
      }
      out = numberValue(n);
      return true;
    }
    case JsonType::Boolean:
      if ((data.IsString() && js::view(data) == "false") || isNumberEqualTo(data, 0) ||
          data.IsNull()) {
        out.SetBool(false);
        return true;
      }
      if ((data.IsString() && js::view(data) == "true") || isNumberEqualTo(data, 1)) {
        out.SetBool(true);
        return true;
      }
      return false;
    case JsonType::Null:
      if ((data.IsString() && data.GetStringLength() == 0) || isNumberEqualTo(data, 0) ||
          (data.IsBool() && !data.GetBool())) {
        out.SetNull();
        return true;
      }
      return false;
    case JsonType::Array:
      if (data.IsString() || data.IsNumber() || data.IsBool() || data.IsNull()) {
        out.SetArray();
        out.PushBack(json::Value(data, alloc), alloc);
        return true;
      }
      return false;
    case JsonType::Object:
      return false;
  }
  return false;
}

// ajv's coerceData: unwrap a one-element array, then try each coercible type in schema order.
// Returns the value later keywords see (which stays the unwrapped element when nothing applied).
json::Value* coerce(Context& cx, const Node& node, json::Value& slot) {
  json::Value* data = &slot;
  json::Value coerced;
  bool done = false;
  if (data->IsArray() && data->Size() == 1) {
    data = &(*data)[0];
    if (passesUnwrapTest(node.types, *data)) {
      coerced = std::move(*data);
      done = true;
    }
  }
  if (!done) {
    for (JsonType t : node.types) {
      if (!coercible(t)) continue;
      if (coerceTo(t, *data, coerced, cx.alloc)) {
        done = true;
        break;
      }
    }
  }
  if (!done) {
    reportTypeError(cx, node, *data);
    return data;
  }
  slot = std::move(coerced);
  return &slot;
}

// The first member named `key`, or null; keys of equal length are told apart by their first
// byte before they are compared whole.
json::Value* findMember(json::Value& object, std::string_view key) {
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it) {
    const json::Value& name = it->name;
    if (name.GetStringLength() != key.size()) continue;
    const char* s = name.GetString();
    if (!key.empty() && s[0] != key[0]) continue;
    if (std::memcmp(s, key.data(), key.size()) == 0) return &it->value;
  }
  return nullptr;
}

bool objectRules(const Node& n) {
  return n.hasProperties || n.hasRequired || n.removeAdditional;
}

bool validate(const Node& node, json::Value& slot, Context& cx);

// Runs `node` as ajv runs `if` / `not` subschemas: validity only, stopping at the first error.
bool quietlyValid(const Node& node, json::Value& data, Context& cx) {
  Context sub{cx.alloc, nullptr, false, 0, cx.path};
  return validate(node, data, sub);
}

bool validate(const Node& node, json::Value& slot, Context& cx) {
  const int start = cx.errors;
  auto stop = [&] { return !cx.allErrors && cx.errors > start; };
  json::Value* data = &slot;

  // Type check and coercion come first; a lone non-coercible type with rules of its own is
  // checked by its keyword group instead.
  bool typeErrorInGroup = false;
  if (!node.types.empty()) {
    bool anyCoercible = false;
    for (JsonType t : node.types) anyCoercible = anyCoercible || coercible(t);
    bool checkHere = anyCoercible || node.types.size() != 1 || !objectRules(node);
    if (!checkHere) {
      typeErrorInGroup = true;
    } else if (!hasAnyType(node.types, *data)) {
      if (anyCoercible)
        data = coerce(cx, node, slot);
      else
        reportTypeError(cx, node, *data);
    }
  }
  if (stop()) return false;

  // Keywords for any type: const, enum, not, anyOf, allOf, if / then.
  if (node.hasConst && !js::deepEqual(*data, node.constValue))
    fail(cx, node, "must be equal to constant");
  if (stop()) return false;
  if (node.hasEnum) {
    bool found = false;
    for (const auto& v : node.enumValues.GetArray()) found = found || js::deepEqual(*data, v);
    if (!found) {
      if (cx.messages) {
        std::vector<std::string> allowed;
        for (const auto& v : node.enumValues.GetArray()) allowed.push_back(json::stringify(v));
        fail(cx, node, "must be one of: " + humanizeList(allowed, "or"));
      } else {
        ++cx.errors;
      }
    }
  }
  if (stop()) return false;
  if (node.notSchema && quietlyValid(*node.notSchema, *data, cx))
    fail(cx, node, "must NOT be valid");
  if (stop()) return false;
  if (!node.anyOf.empty()) {
    const int before = cx.errors;
    std::size_t messagesBefore = cx.messages ? cx.messages->size() : 0;
    bool any = false;
    for (const Node& alternative : node.anyOf) {
      if (validate(alternative, *data, cx)) {
        any = true;
        break;  // later alternatives are not evaluated once one holds
      }
    }
    if (any) {
      cx.errors = before;
      if (cx.messages) cx.messages->resize(messagesBefore);
    } else {
      fail(cx, node, "must match a schema in anyOf");
    }
  }
  if (stop()) return false;
  for (const Node& part : node.allOf) {
    validate(part, *data, cx);
    if (stop()) return false;
  }
  if (node.ifSchema && node.thenSchema && quietlyValid(*node.ifSchema, *data, cx)) {
    if (!validate(*node.thenSchema, *data, cx)) fail(cx, node, "must match \"then\" schema");
  }
  if (stop()) return false;

  // Number keywords.
  if (isFiniteNumber(*data)) {
    double d = json::toDouble(*data);
    if (node.maximum && d > *node.maximum)
      fail(cx, node, "must be equal to or less than " + jsNumber(*node.maximum));
    if (stop()) return false;
    if (node.minimum && d < *node.minimum)
      fail(cx, node, "must be equal to or greater than " + jsNumber(*node.minimum));
    if (stop()) return false;
  }

  // String keywords.
  if (data->IsString()) {
    if (node.maxLength || node.minLength) {
      double len = static_cast<double>(json::text::codePointCount(js::view(*data)));
      if (node.maxLength && len > *node.maxLength)
        fail(cx, node,
             "must be " + jsNumber(*node.maxLength) + " " + pluralCharacters(*node.maxLength) +
                 " or fewer but it was " + jsNumber(len) + " " + pluralCharacters(len));
      if (stop()) return false;
      if (node.minLength && len < *node.minLength)
        fail(cx, node,
             "must be " + jsNumber(*node.minLength) + " " + pluralCharacters(*node.minLength) +
                 " or more but it was " + jsNumber(len) + " " + pluralCharacters(len));
      if (stop()) return false;
    }
    if (node.format == schema::Format::DateLike && !isDateLike(js::view(*data)))
      fail(cx, node, "must be a valid date-like string but it was not");
    if (stop()) return false;
  }

  // Array keywords.
  if (data->IsArray() && node.items) {
    for (rapidjson::SizeType i = 0; i < data->Size(); ++i) {
      PathStep step{cx.path, {}, i, true};
      cx.path = &step;
      bool ok = validate(*node.items, (*data)[i], cx);
      cx.path = step.parent;
      if (!ok && !cx.allErrors) return false;
    }
  }

  // Object keywords: required, additionalProperties (removal), properties.
  if (data->IsObject()) {
    if (node.hasRequired) {
      for (const std::string& key : node.required) {
        if (!findMember(*data, key)) fail(cx, node, "is missing the required field '" + key + "'");
        if (stop()) return false;
      }
    }
    if (node.removeAdditional) {
      for (auto it = data->MemberBegin(); it != data->MemberEnd();) {
        if (node.property(js::view(it->name)))
          ++it;
        else
          it = data->EraseMember(it);
      }
    }
    if (node.hasProperties) {
      for (const schema::Property& p : node.properties) {
        json::Value* member = findMember(*data, p.key);
        if (!member) continue;
        PathStep step{cx.path, p.key, 0, false};
        cx.path = &step;
        bool ok = validate(p.node, *member, cx);
        cx.path = step.parent;
        if (!ok && !cx.allErrors) return false;
      }
    }
  } else if (typeErrorInGroup) {
    reportTypeError(cx, node, *data);
  }
  return cx.errors == start;
}

// actions-core wraps a lone value of a `multiple` field in an array before validating.
void arrifyFields(const Node& root, json::Value& payload, json::Allocator& alloc) {
  if (!payload.IsObject() || !root.hasProperties) return;
  for (auto& m : payload.GetObject()) {
    const Node* field = root.property(js::view(m.name));
    if (!field || field->types.size() != 1 || field->types[0] != JsonType::Array) continue;
    if (m.value.IsArray() || m.value.IsNull()) continue;
    json::Value wrapped(rapidjson::kArrayType);
    wrapped.PushBack(m.value, alloc);  // moves the value into the array
    m.value = std::move(wrapped);
  }
}

}  // namespace

std::string validatePayload(const schema::Node& root, json::Value& payload,
                            json::Allocator& alloc) {
  arrifyFields(root, payload, alloc);
  std::vector<std::string> messages;
  Context cx{alloc, &messages, true, 0, nullptr};
  if (validate(root, payload, cx)) return {};
  std::string out;
  for (const auto& m : messages) {
    if (!out.empty()) out.push_back(' ');
    out += m;
  }
  return out;
}

}  // namespace actions::kit
