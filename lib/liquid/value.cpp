#include "liquid/value.h"

#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

#include "json/js_text.h"

namespace actions::liquid {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The element of an array at a number index (negative counts from the end), as liquidjs reads it.
Value elementAt(const Value& array, double index) {
  double n = static_cast<double>(array.arraySize());
  if (index < 0) index += n;
  if (!(index >= 0) || index >= n || index != std::floor(index)) return {};
  return array.arrayAt(static_cast<std::size_t>(index));
}

// JavaScript's ToPrimitive for the relational operators: arrays and objects become strings.
Value relationalPrimitive(const Value& v) {
  Value p = toPrimitive(v);
  switch (p.kind()) {
    case Value::Kind::Array:
    case Value::Kind::Object:
    case Value::Kind::Block:
      return Value::string(toJsString(p));
    default:
      return p;
  }
}

// JavaScript's IsLessThan: nothing when a NaN is involved.
std::optional<bool> jsLessThan(const Value& a, const Value& b) {
  Value x = relationalPrimitive(a);
  Value y = relationalPrimitive(b);
  if (x.isString() && y.isString()) return json::text::compareUtf16(x.asString(), y.asString()) < 0;
  double nx = toNumber(x);
  double ny = toNumber(y);
  if (std::isnan(nx) || std::isnan(ny)) return std::nullopt;
  return nx < ny;
}

bool arrayEquals(const Value& lhs, const Value& rhs) {
  if (lhs.arraySize() != rhs.arraySize()) return false;
  for (std::size_t i = 0; i < lhs.arraySize(); ++i) {
    if (!liquidEquals(lhs.arrayAt(i), rhs.arrayAt(i))) return false;
  }
  return true;
}

bool emptyEquals(const Value& value) {
  if (value.kind() == Value::Kind::Empty || value.kind() == Value::Kind::Blank) return false;
  const Value& v = toPrimitive(value);
  switch (v.kind()) {
    case Value::Kind::String:
      return v.asString().empty();
    case Value::Kind::Array:
      return v.arraySize() == 0;
    case Value::Kind::Object:
      return v.json()->MemberCount() == 0;
    default:
      return false;
  }
}

bool blankEquals(const Value& value) {
  if (value.kind() == Value::Kind::Boolean && !value.asBoolean()) return true;
  if (toPrimitive(value).isNullOrUndefined()) return true;
  if (value.isString()) return json::text::trimStart(value.asString()).empty();
  return emptyEquals(value);
}

// The comparison of a special literal (`empty`, `blank`, `nil`) with any value.
bool specialEquals(const Value& special, const Value& other) {
  switch (special.kind()) {
    case Value::Kind::Nil:
      return toPrimitive(other).isNullOrUndefined();
    case Value::Kind::Empty:
      return emptyEquals(other);
    case Value::Kind::Blank:
      return blankEquals(other);
    default:
      return false;
  }
}

bool isComparable(const Value& v) {
  return v.kind() == Value::Kind::Empty || v.kind() == Value::Kind::Blank ||
         v.kind() == Value::Kind::Nil;
}

}  // namespace

Value Value::boolean(bool b) {
  Value v(Kind::Boolean);
  v.boolean_ = b;
  return v;
}

Value Value::number(double d) {
  Value v(Kind::Number);
  v.u_.number = d;
  return v;
}

Value Value::string(std::string s) {
  if (s.size() > UINT32_MAX) throw std::length_error("string too long for a Liquid value");
  auto owned = std::make_shared<const std::string>(std::move(s));
  Value v(Kind::String);
  v.u_.chars = owned->data();
  v.length_ = static_cast<std::uint32_t>(owned->size());
  v.owner_ = std::move(owned);
  return v;
}

Value Value::borrowedString(std::string_view s) {
  if (s.size() > UINT32_MAX) throw std::length_error("string too long for a Liquid value");
  Value v(Kind::String);
  v.u_.chars = s.data();
  v.length_ = static_cast<std::uint32_t>(s.size());
  return v;
}

Value Value::array(std::vector<Value> items) {
  auto owned = std::make_shared<const std::vector<Value>>(std::move(items));
  Value v(Kind::Array);
  v.u_.items = owned.get();
  v.owner_ = std::move(owned);
  return v;
}

Value Value::fromJson(const json::Value& j) {
  switch (j.GetType()) {
    case rapidjson::kNullType:
      return null();
    case rapidjson::kFalseType:
      return boolean(false);
    case rapidjson::kTrueType:
      return boolean(true);
    case rapidjson::kNumberType:
      return number(json::toDouble(j));
    case rapidjson::kStringType:
      return borrowedString(std::string_view(j.GetString(), j.GetStringLength()));
    case rapidjson::kArrayType: {
      Value v(Kind::Array);
      v.u_.json = &j;
      return v;
    }
    case rapidjson::kObjectType: {
      Value v(Kind::Object);
      v.u_.json = &j;
      return v;
    }
  }
  return {};
}

std::size_t Value::arraySize() const {
  if (kind_ != Kind::Array) return 0;
  return owner_ ? u_.items->size() : u_.json->Size();
}

Value Value::arrayAt(std::size_t i) const {
  if (!owner_) return fromJson((*u_.json)[static_cast<rapidjson::SizeType>(i)]);
  return (*u_.items)[i];
}

const Value& toPrimitive(const Value& v) {
  static const Value kEmptyString = Value::borrowedString("");
  static const Value kNull = Value::null();
  switch (v.kind()) {
    case Value::Kind::Empty:
    case Value::Kind::Blank:
      return kEmptyString;
    case Value::Kind::Nil:
      return kNull;
    default:
      return v;
  }
}

void appendOutput(const Value& v, std::string& out) {
  const Value& p = toPrimitive(v);
  switch (p.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::Null:
      return;
    case Value::Kind::String:
      out.append(p.asString());
      return;
    case Value::Kind::Array:
      for (std::size_t i = 0; i < p.arraySize(); ++i) appendOutput(p.arrayAt(i), out);
      return;
    default:
      appendJsString(p, out);
  }
}

std::string toOutput(const Value& v) {
  std::string out;
  appendOutput(v, out);
  return out;
}

void appendJsString(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::Undefined:
      out.append("undefined");
      return;
    case Value::Kind::Null:
      out.append("null");
      return;
    case Value::Kind::Boolean:
      out.append(v.asBoolean() ? "true" : "false");
      return;
    case Value::Kind::Number:
      json::appendNumber(v.asNumber(), out);
      return;
    case Value::Kind::String:
      out.append(v.asString());
      return;
    case Value::Kind::Array:
      if (v.json()) {
        json::appendJsString(*v.json(), out);
        return;
      }
      for (std::size_t i = 0; i < v.arraySize(); ++i) {
        if (i) out.push_back(',');
        Value e = v.arrayAt(i);
        if (!e.isNullOrUndefined()) appendJsString(e, out);
      }
      return;
    default:
      out.append("[object Object]");
  }
}

std::string toJsString(const Value& v) {
  std::string out;
  appendJsString(v, out);
  return out;
}

double toNumber(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Undefined:
      return kNaN;
    case Value::Kind::Null:
      return 0;
    case Value::Kind::Boolean:
      return v.asBoolean() ? 1 : 0;
    case Value::Kind::Number:
      return v.asNumber();
    case Value::Kind::String:
      return json::text::toNumber(v.asString());
    case Value::Kind::Array:
      return json::text::toNumber(toJsString(v));
    case Value::Kind::Empty:
    case Value::Kind::Blank:
    case Value::Kind::Nil:
      return 0;
    default:
      return kNaN;
  }
}

double toLiquidNumber(const Value& v) {
  double d = toNumber(toPrimitive(v));
  return std::isnan(d) || d == 0 ? 0.0 : d;
}

bool isTruthy(const Value& v) {
  const Value& p = toPrimitive(v);
  if (p.isNullOrUndefined()) return false;
  return !(p.kind() == Value::Kind::Boolean && !p.asBoolean());
}

bool isJsTruthy(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::Null:
      return false;
    case Value::Kind::Boolean:
      return v.asBoolean();
    case Value::Kind::Number:
      return !(v.asNumber() == 0 || std::isnan(v.asNumber()));
    case Value::Kind::String:
      return !v.asString().empty();
    default:
      return true;
  }
}

bool strictEquals(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case Value::Kind::Boolean:
      return a.asBoolean() == b.asBoolean();
    case Value::Kind::Number:
      return a.asNumber() == b.asNumber();
    case Value::Kind::String:
      return a.asString() == b.asString();
    case Value::Kind::Array:
    case Value::Kind::Object:
      return a.identity() == b.identity();
    default:
      return true;
  }
}

bool liquidEquals(const Value& lhs, const Value& rhs) {
  if (isComparable(lhs)) return specialEquals(lhs, rhs);
  if (isComparable(rhs)) return specialEquals(rhs, lhs);
  if (lhs.isArray()) return rhs.isArray() && arrayEquals(lhs, rhs);
  return strictEquals(lhs, rhs);
}

bool liquidCompare(Comparison op, const Value& lhs, const Value& rhs) {
  if (isComparable(lhs) || isComparable(rhs)) return false;
  switch (op) {
    case Comparison::Less:
      return jsLessThan(lhs, rhs).value_or(false);
    case Comparison::Greater:
      return jsLessThan(rhs, lhs).value_or(false);
    case Comparison::LessOrEqual: {
      auto r = jsLessThan(rhs, lhs);
      return r.has_value() && !*r;
    }
    case Comparison::GreaterOrEqual: {
      auto r = jsLessThan(lhs, rhs);
      return r.has_value() && !*r;
    }
  }
  return false;
}

bool liquidContains(const Value& lhs, const Value& rhs) {
  const Value& l = toPrimitive(lhs);
  if (l.isArray()) {
    for (std::size_t i = 0; i < l.arraySize(); ++i) {
      if (liquidEquals(l.arrayAt(i), rhs)) return true;
    }
    return false;
  }
  if (l.isString()) {
    std::string needle = toJsString(toPrimitive(rhs));
    return l.asString().find(needle) != std::string_view::npos;
  }
  return false;
}

std::string propertyKey(const Value& key) {
  return toJsString(toPrimitive(key));
}

bool hasOwnProperty(const Value& object, const std::string& key) {
  switch (object.kind()) {
    case Value::Kind::Object:
      return object.json()->FindMember(
                 rapidjson::StringRef(key.data(), static_cast<rapidjson::SizeType>(key.size()))) !=
             object.json()->MemberEnd();
    case Value::Kind::Array: {
      if (key == "length") return true;
      auto index = json::text::arrayIndex(key);
      return index && *index < object.arraySize();
    }
    case Value::Kind::String: {
      if (key == "length") return true;
      auto index = json::text::arrayIndex(key);
      return index && *index < json::text::utf16Length(object.asString());
    }
    default:
      return false;
  }
}

Value readProperty(const Value& object, const Value& rawKey) {
  const Value& key = toPrimitive(rawKey);
  switch (object.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::Null:
      return object;
    case Value::Kind::Block:
      return propertyKey(key) == "super" ? Value::borrowedString("") : Value();
    case Value::Kind::Array: {
      if (key.isNumber()) return elementAt(object, key.asNumber());
      std::string k = propertyKey(key);
      if (auto index = json::text::arrayIndex(k)) {
        return *index < object.arraySize() ? object.arrayAt(*index) : Value();
      }
      if (k == "length" || k == "size")
        return Value::number(static_cast<double>(object.arraySize()));
      if (k == "first") return elementAt(object, 0);
      if (k == "last") return elementAt(object, -1);
      return {};
    }
    case Value::Kind::String: {
      std::string_view s = object.asString();
      std::string k = propertyKey(key);
      if (auto index = json::text::arrayIndex(k)) {
        if (auto unit = json::text::codeUnitAt(s, *index)) return Value::string(std::move(*unit));
        return {};
      }
      if (k == "length" || k == "size")
        return Value::number(static_cast<double>(json::text::utf16Length(s)));
      return {};
    }
    case Value::Kind::Object: {
      std::string k = propertyKey(key);
      const json::Value& j = *object.json();
      auto it =
          j.FindMember(rapidjson::StringRef(k.data(), static_cast<rapidjson::SizeType>(k.size())));
      if (it != j.MemberEnd()) return Value::fromJson(it->value);
      if (k == "size") return Value::number(static_cast<double>(j.MemberCount()));
      return {};
    }
    default:
      return {};
  }
}

bool isArrayLike(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::Array:
      return true;
    case Value::Kind::String:
      return !v.asString().empty();
    case Value::Kind::Object:
      return readProperty(v, Value::borrowedString("length")).isNumber();
    default:
      return false;
  }
}

Value readArrayElement(const Value& v, double index) {
  if (v.isArray()) return elementAt(v, index);
  double length = v.isString() ? static_cast<double>(json::text::utf16Length(v.asString()))
                               : readProperty(v, Value::borrowedString("length")).asNumber();
  if (index < 0) index += length;
  return readProperty(v, Value::string(propertyKey(Value::number(index))));
}

}  // namespace actions::liquid
