// JavaScript's view of JSON values, as the mapping kit needs it: an explicit undefined, the
// type names and truthiness rules upstream relies on, and the key order of JavaScript objects
// (array-index keys first, ascending, then the others in insertion order).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace actions::mapping::js {

using json::Allocator;
using json::Value;

// A JavaScript undefined stored in a JSON value: the object member or array element exists but
// has no value. It never reaches the output (members are dropped, elements become null).
Value undefinedValue();
const Value& undefinedRef();
// The address of this buffer is what marks a string value as undefined.
extern const char kUndefinedTag[];
// Inline: asked of nearly every value a mapping copies or checks.
inline bool isUndefined(const Value& v) {
  return v.IsString() && v.GetString() == kUndefinedTag;
}

// Object.prototype.toString's name: undefined, null, boolean, number, string, object, array.
const char* realTypeOf(const Value& v);
// The typeof operator: undefined, object (also null and arrays), boolean, number, string.
const char* typeOf(const Value& v);
// "a" or "an", as upstream's messages choose it.
const char* indefiniteArticle(std::string_view word);

bool truthy(const Value& v);
bool isNullish(const Value& v);  // null or undefined
// v == '' under JavaScript's loose equality.
bool looselyEqualsEmptyString(const Value& v);
// A JSON number as the JavaScript double it stands for.
double numberOf(const Value& v);

// A canonical array index ("0", "17"; not "01" or "4294967295").
bool isArrayIndex(std::string_view key, std::uint32_t* index = nullptr);
inline std::string_view keyOf(const Value& name) {
  return {name.GetString(), name.GetStringLength()};
}

// The members of `object` in JavaScript's key order, as indices into MemberBegin(). Empty
// `order` (the usual case) means the stored order already is that order.
void memberOrder(const Value& object, std::vector<std::uint32_t>& order);

template <class F>
void forEachMember(const Value& object, F&& f) {
  auto begin = object.MemberBegin();
  auto n = object.MemberCount();
  bool anyIndex = false;
  for (rapidjson::SizeType i = 0; i < n && !anyIndex; ++i) {
    const Value& name = begin[i].name;
    anyIndex = name.GetStringLength() > 0 && name.GetString()[0] >= '0' &&
               name.GetString()[0] <= '9' && isArrayIndex(keyOf(name));
  }
  if (!anyIndex) {
    for (rapidjson::SizeType i = 0; i < n; ++i) f(begin[i].name, begin[i].value);
    return;
  }
  std::vector<std::uint32_t> order;
  memberOrder(object, order);
  for (auto i : order) f(begin[i].name, begin[i].value);
}

// Reorders the members of `object` (not its children) into JavaScript's key order.
void sortMembers(Value& object);

// A deep copy in JavaScript's key order. Throws ApplyError past the nesting limit.
Value copy(const Value& v, Allocator& alloc);

// Whether no object in `v` has an array-index key, so that its stored order is JavaScript's
// (false, to be safe, for values nested more than 64 deep).
bool inJavaScriptKeyOrder(const Value& v);
// `v` itself under a second handle: the two share every member, element and string. For values
// in a pool that frees nothing (json::Allocator), that outlive the handle and that nothing edits.
Value shared(const Value& v);

// The most deeply nested value walks go; deeper values are refused with an error.
inline constexpr unsigned kMaxValueDepth = 4 * json::kMaxDepth;
[[noreturn]] void throwTooDeep();

}  // namespace actions::mapping::js
