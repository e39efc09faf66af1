#include "mapping/js/value.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "json/js_text.h"
#include "mapping/mapping.h"

namespace actions::mapping::js {
namespace {

// Builds the copy through a document's SAX interface: members and elements are gathered on its
// stack and each object or array gets one allocation of exactly its size (RapidJSON 1.1 has no
// way to reserve members, and growing by AddMember allocates room for sixteen).
void copyInto(const Value& v, json::Document& builder, unsigned depth) {
  switch (v.GetType()) {
    case rapidjson::kObjectType: {
      if (depth >= kMaxValueDepth) throwTooDeep();
      builder.StartObject();
      forEachMember(v, [&](const Value& name, const Value& value) {
        builder.Key(name.GetString(), name.GetStringLength(), true);
        copyInto(value, builder, depth + 1);
      });
      builder.EndObject(v.MemberCount());
      return;
    }
    case rapidjson::kArrayType: {
      if (depth >= kMaxValueDepth) throwTooDeep();
      builder.StartArray();
      for (const auto& e : v.GetArray()) copyInto(e, builder, depth + 1);
      builder.EndArray(v.Size());
      return;
    }
    case rapidjson::kStringType:
      // The undefined marker keeps its identity; every other string is copied.
      if (isUndefined(v))
        builder.String(kUndefinedTag, 0, false);
      else
        builder.String(v.GetString(), v.GetStringLength(), true);
      return;
    case rapidjson::kNullType:
      builder.Null();
      return;
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      builder.Bool(v.IsTrue());
      return;
    case rapidjson::kNumberType:
      if (v.IsDouble())
        builder.Double(v.GetDouble());
      else if (v.IsInt())
        builder.Int(v.GetInt());
      else if (v.IsUint())
        builder.Uint(v.GetUint());
      else if (v.IsInt64())
        builder.Int64(v.GetInt64());
      else
        builder.Uint64(v.GetUint64());
      return;
  }
}

}  // namespace

const char kUndefinedTag[] = "";

Value undefinedValue() {
  return Value(rapidjson::StringRef(kUndefinedTag, 0));
}

const Value& undefinedRef() {
  static const Value marker(rapidjson::StringRef(kUndefinedTag, 0));
  return marker;
}

const char* realTypeOf(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return "null";
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kNumberType:
      return "number";
    case rapidjson::kStringType:
      return isUndefined(v) ? "undefined" : "string";
    case rapidjson::kObjectType:
      return "object";
    case rapidjson::kArrayType:
      return "array";
  }
  return "undefined";
}

const char* typeOf(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kFalseType:
    case rapidjson::kTrueType:
      return "boolean";
    case rapidjson::kNumberType:
      return "number";
    case rapidjson::kStringType:
      return isUndefined(v) ? "undefined" : "string";
    default:
      return "object";
  }
}

const char* indefiniteArticle(std::string_view word) {
  if (word.empty()) return "a";
  switch (word.front()) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
      return "an";
    default:
      return "a";
  }
}

double numberOf(const Value& v) {
  return json::toDouble(v);
}

bool truthy(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
    case rapidjson::kFalseType:
      return false;
    case rapidjson::kTrueType:
      return true;
    case rapidjson::kNumberType: {
      double d = numberOf(v);
      return d != 0 && !std::isnan(d);
    }
    case rapidjson::kStringType:
      return v.GetStringLength() > 0;  // also false for undefined
    default:
      return true;
  }
}

bool isNullish(const Value& v) {
  return v.IsNull() || isUndefined(v);
}

namespace {
// Whether Array.prototype.join(",") of `array` is the empty string.
bool joinsToEmpty(const Value& array, unsigned depth) {
  if (array.Empty()) return true;
  if (array.Size() > 1) return false;
  const Value& e = array[0];
  if (isNullish(e)) return true;
  if (e.IsString()) return e.GetStringLength() == 0;
  if (e.IsArray()) return depth < kMaxValueDepth && joinsToEmpty(e, depth + 1);
  return false;  // numbers, booleans and "[object Object]" print something
}
}  // namespace

bool looselyEqualsEmptyString(const Value& v) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      return false;
    case rapidjson::kFalseType:
      return true;  // false -> 0 == 0
    case rapidjson::kTrueType:
      return false;
    case rapidjson::kNumberType:
      return numberOf(v) == 0;
    case rapidjson::kStringType:
      return !isUndefined(v) && v.GetStringLength() == 0;
    case rapidjson::kObjectType:
      return false;  // "[object Object]"
    case rapidjson::kArrayType:
      return joinsToEmpty(v, 0);
  }
  return false;
}

bool isArrayIndex(std::string_view key, std::uint32_t* index) {
  std::optional<std::uint32_t> n = json::text::arrayIndex(key);
  if (n && index) *index = *n;
  return n.has_value();
}

void memberOrder(const Value& object, std::vector<std::uint32_t>& order) {
  order.clear();
  auto begin = object.MemberBegin();
  auto n = object.MemberCount();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> indexed;  // (array index, member)
  std::vector<std::uint32_t> named;
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    std::uint32_t index;
    if (isArrayIndex(keyOf(begin[i].name), &index))
      indexed.emplace_back(index, i);
    else
      named.push_back(i);
  }
  std::sort(indexed.begin(), indexed.end());
  order.reserve(n);
  for (auto& p : indexed) order.push_back(p.second);
  order.insert(order.end(), named.begin(), named.end());
}

void sortMembers(Value& object) {
  auto n = object.MemberCount();
  bool anyIndex = false;
  for (auto it = object.MemberBegin(); it != object.MemberEnd() && !anyIndex; ++it)
    anyIndex = isArrayIndex(keyOf(it->name));
  if (!anyIndex) return;
  std::vector<std::uint32_t> order;
  memberOrder(object, order);
  // Rebuild the member array in the new order by swapping through a temporary list.
  std::vector<std::pair<Value, Value>> members;
  members.reserve(n);
  for (auto it = object.MemberBegin(); it != object.MemberEnd(); ++it)
    members.emplace_back(std::move(it->name), std::move(it->value));
  auto begin = object.MemberBegin();
  for (rapidjson::SizeType i = 0; i < n; ++i) {
    begin[i].name = std::move(members[order[i]].first);
    begin[i].value = std::move(members[order[i]].second);
  }
}

Value copy(const Value& v, Allocator& alloc) {
  if (!v.IsObject() && !v.IsArray()) return Value(v, alloc);  // the undefined marker stays itself
  json::Document builder(&alloc);
  auto build = [&v](json::Document& d) {
    copyInto(v, d, 0);
    return true;
  };
  builder.Populate(build);
  Value out;
  out.Swap(builder);
  return out;
}

namespace {

// Values nested deeper than this are not looked through: they are copied (and so reordered).
constexpr unsigned kMaxOrderCheckDepth = 64;

bool orderedWithin(const Value& v, unsigned depth) {
  if (v.IsObject()) {
    if (depth >= kMaxOrderCheckDepth) return false;
    for (const auto& m : v.GetObject()) {
      const Value& name = m.name;
      if (name.GetStringLength() > 0 && name.GetString()[0] >= '0' && name.GetString()[0] <= '9' &&
          isArrayIndex(keyOf(name)))
        return false;
      if ((m.value.IsObject() || m.value.IsArray()) && !orderedWithin(m.value, depth + 1))
        return false;
    }
  } else if (v.IsArray()) {
    if (depth >= kMaxOrderCheckDepth) return false;
    for (const auto& e : v.GetArray())
      if ((e.IsObject() || e.IsArray()) && !orderedWithin(e, depth + 1)) return false;
  }
  return true;
}

}  // namespace

bool inJavaScriptKeyOrder(const Value& v) {
  return orderedWithin(v, 0);
}

Value shared(const Value& v) {
  // RapidJSON has no shared handle; its values are plain data over a pool that never frees, so
  // a bitwise copy of the handle is one (RapidJSON moves values the same way).
  Value handle;
  std::memcpy(static_cast<void*>(&handle), static_cast<const void*>(&v), sizeof(Value));
  return handle;
}

void throwTooDeep() {
  throw ApplyError("a value is nested deeper than " + std::to_string(kMaxValueDepth) + " levels");
}

}  // namespace actions::mapping::js
