// The values a Liquid template computes with: the event's JSON (borrowed, never copied), the
// strings, numbers and arrays filters make (owned, shared cheaply), and liquidjs's special
// literals `empty`, `blank` and `nil`, which compare by their own rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace actions::liquid {

class Value {
 public:
  enum class Kind : std::uint8_t {
    Undefined,
    Null,
    Boolean,
    Number,
    String,
    Array,   // a JSON array of the event, or one a filter made
    Object,  // a JSON object of the event
    Empty,   // the literal `empty`
    Blank,   // the literal `blank`
    Nil,     // the literals `nil` and `null` (equal to any null or undefined value)
    Block,   // the `block` variable inside {% block %} (only `block.super` means something)
  };

  Value() = default;  // undefined
  static Value null() { return Value(Kind::Null); }
  static Value boolean(bool b);
  static Value number(double d);
  static Value string(std::string s);
  // A string the caller keeps alive for as long as the value is used (the event, the template).
  static Value borrowedString(std::string_view s);
  static Value array(std::vector<Value> items);
  // Borrows `v`, which must outlive the value.
  static Value fromJson(const json::Value& v);
  static Value special(Kind kind) { return Value(kind); }

  Kind kind() const { return kind_; }
  bool isUndefined() const { return kind_ == Kind::Undefined; }
  bool isNullOrUndefined() const { return kind_ == Kind::Undefined || kind_ == Kind::Null; }
  bool isString() const { return kind_ == Kind::String; }
  bool isNumber() const { return kind_ == Kind::Number; }
  bool isArray() const { return kind_ == Kind::Array; }
  bool isSpecial() const { return kind_ >= Kind::Empty; }

  bool asBoolean() const { return boolean_; }
  double asNumber() const { return kind_ == Kind::Number ? u_.number : 0; }
  std::string_view asString() const {
    return kind_ == Kind::String ? std::string_view(u_.chars, length_) : std::string_view();
  }

  std::size_t arraySize() const;
  Value arrayAt(std::size_t i) const;
  // The JSON behind an event object or array (null for arrays a filter made).
  const json::Value* json() const { return isJsonBacked() ? u_.json : nullptr; }
  // What JavaScript's === compares for objects and arrays.
  const void* identity() const { return u_.identity; }

 private:
  explicit Value(Kind kind) : kind_(kind) {}
  bool isJsonBacked() const { return kind_ == Kind::Object || (kind_ == Kind::Array && !owner_); }

  // 32 bytes: arrays of values stay compact.
  Kind kind_ = Kind::Undefined;
  bool boolean_ = false;
  std::uint32_t length_ = 0;  // of a string, in bytes
  union {
    double number;
    const char* chars;
    const json::Value* json;
    const std::vector<Value>* items;
    const void* identity;
  } u_{0.0};
  std::shared_ptr<const void> owner_;  // keeps an owned string or array alive
};

// --- JavaScript's view of values (liquidjs computes in JavaScript) ---

// liquidjs's toValue: `empty` and `blank` stand for "", `nil` for null. The result lives as long
// as `v` (bind it to a reference only when `v` is not a temporary).
const Value& toPrimitive(const Value& v);

// What {{ v }} prints (liquidjs's stringify): nothing for null and undefined, arrays as their
// elements' output joined without separator, objects as "[object Object]".
void appendOutput(const Value& v, std::string& out);
std::string toOutput(const Value& v);

// JavaScript's String(v) (arrays joined with ",").
void appendJsString(const Value& v, std::string& out);
std::string toJsString(const Value& v);

// JavaScript's Number(v) (of a string: json::text::toNumber).
double toNumber(const Value& v);
// liquidjs's toNumber: Number(v) with NaN and -0 turned into 0.
double toLiquidNumber(const Value& v);

// Liquid truthiness: only false, null and undefined (and `nil`) are false.
bool isTruthy(const Value& v);
// JavaScript truthiness (0, "", NaN are false; every object is true).
bool isJsTruthy(const Value& v);

// JavaScript's ===.
bool strictEquals(const Value& a, const Value& b);
// Liquid's == (the special literals, arrays element by element).
bool liquidEquals(const Value& lhs, const Value& rhs);
enum class Comparison { Less, LessOrEqual, Greater, GreaterOrEqual };
// Liquid's <, <=, >, >= (JavaScript's relational comparison; false against special literals).
bool liquidCompare(Comparison op, const Value& lhs, const Value& rhs);
// Liquid's `contains`: array membership or substring.
bool liquidContains(const Value& lhs, const Value& rhs);

// JavaScript's property key for `key` (String(key)).
std::string propertyKey(const Value& key);
// liquidjs's readProperty: own properties only, negative array indexes, and the `size`,
// `first` and `last` pseudo-properties.
Value readProperty(const Value& object, const Value& key);
// Whether `object` has `key` as an own property (the scope lookup of a template's variables).
bool hasOwnProperty(const Value& object, const std::string& key);

// A `length` property that is a number (liquidjs's isArrayLike), and the element reads of
// liquidjs's readArrayElement on such values.
bool isArrayLike(const Value& v);
Value readArrayElement(const Value& v, double index);

}  // namespace actions::liquid
