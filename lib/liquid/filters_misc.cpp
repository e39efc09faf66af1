// default, raw, json (jsonify, inspect), to_integer, and the byte filters (base64, sha256).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "liquid/encoding.h"
#include "liquid/error.h"
#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

// JSON.stringify's quoting of a liquid string, whose halves of a character may not have met
// yet (json::appendQuoted escapes the halves that stay alone).
void appendJsonQuoted(std::string_view s, std::string& out) {
  if (!json::text::hasLoneSurrogate(s)) {
    json::appendQuoted(s, out);
    return;
  }
  std::string joined(s);
  json::text::joinSurrogatePairs(joined);
  json::appendQuoted(joined, out);
}

// The order JavaScript enumerates an object's keys in: array indexes ascending, then the
// other keys as they were inserted.
std::vector<const json::Value::Member*> keyOrder(const json::Value& o) {
  std::vector<std::pair<std::uint32_t, const json::Value::Member*>> indexes;
  std::vector<const json::Value::Member*> order;
  for (auto it = o.MemberBegin(); it != o.MemberEnd(); ++it) {
    if (auto index = json::text::arrayIndex({it->name.GetString(), it->name.GetStringLength()}))
      indexes.emplace_back(*index, &*it);
    else
      order.push_back(&*it);
  }
  if (indexes.empty()) return order;
  std::stable_sort(indexes.begin(), indexes.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<const json::Value::Member*> all;
  for (const auto& [index, member] : indexes) all.push_back(member);
  all.insert(all.end(), order.begin(), order.end());
  return all;
}

// JSON.stringify(value, replacer, space) with liquidjs's replacer, which counts every value it
// sees against the memory budget.
class JsonWriter {
 public:
  JsonWriter(FilterContext& ctx, std::string gap) : ctx_(ctx), gap_(std::move(gap)) {}

  // False when the value has no JSON form (undefined).
  bool write(const Value& v, std::string& out, std::size_t depth = 0) {
    charge(v);
    switch (v.kind()) {
      case Value::Kind::Undefined:
        return false;
      case Value::Kind::Null:
        out.append("null");
        return true;
      case Value::Kind::Boolean:
        out.append(v.asBoolean() ? "true" : "false");
        return true;
      case Value::Kind::Number:
        if (std::isfinite(v.asNumber()))
          json::appendNumber(v.asNumber(), out);
        else
          out.append("null");
        return true;
      case Value::Kind::String:
        appendJsonQuoted(v.asString(), out);
        return true;
      case Value::Kind::Array:
        writeArray(v, out, depth);
        return true;
      case Value::Kind::Object:
        writeObject(*v.json(), out, depth);
        return true;
      default:
        out.append("{}");
        return true;  // the special literals have no own fields
    }
  }

 private:
  void charge(const Value& v) {
    switch (v.kind()) {
      case Value::Kind::Undefined:
        return;
      case Value::Kind::String:
        ctx_.useMemory(jsLength(v.asString()));
        return;
      case Value::Kind::Null:
        ctx_.useMemory(4);
        return;
      case Value::Kind::Boolean:
        ctx_.useMemory(v.asBoolean() ? 4 : 5);
        return;
      case Value::Kind::Number: {
        std::string s;
        if (std::isfinite(v.asNumber()))
          json::appendNumber(v.asNumber(), s);
        else
          s = "null";
        ctx_.useMemory(static_cast<double>(s.size()));
        return;
      }
      case Value::Kind::Array:
        ctx_.useMemory(static_cast<double>(v.arraySize() + 1));
        return;
      default:
        ctx_.useMemory(2);
        return;
    }
  }

  void newline(std::string& out, std::size_t depth) const {
    out.push_back('\n');
    for (std::size_t i = 0; i < depth; ++i) out.append(gap_);
  }

  void writeArray(const Value& v, std::string& out, std::size_t depth) {
    ctx_.countSteps(v.arraySize());
    if (v.arraySize() == 0) {
      out.append("[]");
      return;
    }
    out.push_back('[');
    for (std::size_t i = 0; i < v.arraySize(); ++i) {
      if (i) out.push_back(',');
      if (!gap_.empty()) newline(out, depth + 1);
      if (!write(v.arrayAt(i), out, depth + 1)) out.append("null");
    }
    if (!gap_.empty()) newline(out, depth);
    out.push_back(']');
  }

  void writeObject(const json::Value& o, std::string& out, std::size_t depth) {
    ctx_.countSteps(o.MemberCount());
    if (o.MemberCount() == 0) {
      out.append("{}");
      return;
    }
    out.push_back('{');
    bool first = true;
    for (const json::Value::Member* member : keyOrder(o)) {
      const auto& m = *member;
      if (!first) out.push_back(',');
      first = false;
      if (!gap_.empty()) newline(out, depth + 1);
      appendJsonQuoted(std::string_view(m.name.GetString(), m.name.GetStringLength()), out);
      out.push_back(':');
      if (!gap_.empty()) out.push_back(' ');
      write(Value::fromJson(m.value), out, depth + 1);
    }
    if (!gap_.empty()) newline(out, depth);
    out.push_back('}');
  }

  FilterContext& ctx_;
  std::string gap_;
};

// JSON.stringify's `space`: a number of spaces (at most 10) or the first 10 units of a string.
std::string gapOf(const Value& space) {
  if (space.isNumber()) {
    double n = std::min(10.0, std::trunc(space.asNumber()));
    return n >= 1 ? std::string(static_cast<std::size_t>(n), ' ') : std::string();
  }
  if (space.isString()) {
    std::string_view s = space.asString();
    return std::string(s.substr(0, json::text::offsetOfUtf16(s, 10)));
  }
  return {};
}

Value jsonFilter(FilterContext& ctx, const Value& input, const Args& args) {
  std::string out;
  if (!JsonWriter(ctx, gapOf(argument(args, 0))).write(input, out)) return {};
  return Value::string(std::move(out));
}

// default: the fallback for null, undefined, false, "" and []; `allow_false: true` keeps false.
Value defaultFilter(FilterContext&, const Value& input, const Args& args) {
  Value v = toPrimitive(input);
  const Value& fallback = argument(args, 0);
  if (v.isArray()) return v.arraySize() > 0 ? v : fallback;
  if (v.isString()) return v.asString().empty() ? fallback : v;
  if (v.kind() == Value::Kind::Boolean && !v.asBoolean() && args.size() > 1) {
    // liquidjs reads the options as `new Map(args)`: each must be a [key, value] entry.
    Value allowFalse;
    for (std::size_t i = 1; i < args.size(); ++i) {
      const Value& entry = args[i];
      bool isObject = entry.isArray() || entry.kind() == Value::Kind::Object || entry.isSpecial();
      if (!isObject) {
        throw RenderFailure("Iterator value " + toJsString(entry) + " is not an entry object");
      }
      Value key = readProperty(entry, Value::number(0));
      if (key.isString() && key.asString() == "allow_false") {
        allowFalse = readProperty(entry, Value::number(1));
      }
    }
    if (isJsTruthy(allowFalse)) return v;
  }
  return isTruthy(v) ? v : fallback;
}

Value raw(FilterContext&, const Value& input, const Args&) {
  return input;
}

Value toInteger(FilterContext&, const Value& input, const Args&) {
  return Value::number(toNumber(input));
}

// Node encodes a string's lone surrogate halves as U+FFFD.
std::string nodeUtf8(std::string s) {
  json::text::toWellFormed(s);
  return s;
}

Value base64Encode(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(encoding::base64Encode(nodeUtf8(std::move(s))));
}

bool isBase64(std::string s) {
  s.erase(std::remove_if(
              s.begin(), s.end(),
              [](char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }),
          s.end());
  if (s.size() % 4 == 0) {
    if (!s.empty() && s.back() == '=') s.pop_back();
    if (!s.empty() && s.back() == '=') s.pop_back();
  }
  if (s.size() % 4 == 1) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
  });
}

Value base64Decode(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  if (!isBase64(s)) throw RenderFailure("invalid base64 provided to base64_decode");
  return Value::string(json::text::fromBytes(encoding::base64Decode(s)));
}

Value sha256(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(encoding::sha256Hex(nodeUtf8(std::move(s))));
}

Value hmacSha256(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  std::string key = toOutput(argument(args, 0));
  ctx.useMemory(jsLength(s) + jsLength(key));
  return Value::string(encoding::hmacSha256Hex(nodeUtf8(std::move(key)), nodeUtf8(std::move(s))));
}

constexpr FilterDefinition kFilters[] = {
    {"default", defaultFilter},
    {"raw", raw},
    {"json", jsonFilter},
    {"jsonify", jsonFilter},
    {"inspect", jsonFilter},
    {"to_integer", toInteger},
    {"base64_encode", base64Encode},
    {"base64_decode", base64Decode},
    {"sha256", sha256},
    {"hmac_sha256", hmacSha256},
};

}  // namespace

std::span<const FilterDefinition> miscFilters() {
  return kFilters;
}

}  // namespace actions::liquid
