#include "subscription/js_value.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "json/js_text.h"
#include "subscription/evaluation_error.h"

namespace actions::subscription {

namespace {

// The built-in objects, generated from Node by gen_js_builtins.js: each object's own
// properties sorted by key, and its prototype.
struct Builtin {
  enum Kind { Object, Number, String, ProtoAccessor, Throws };
};
struct BuiltinProperty {
  std::string_view key;
  Builtin::Kind kind;
  double number;
  std::string_view text;
  int object;
};
struct BuiltinObject {
  int prototype;  // -1 for none
  int first;      // index of the first own property in kProperties
  int count;
};

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();

#include "subscription/js_builtins_table.inc"

JsValue numberValue(double d) {
  JsValue v;
  v.kind = JsValue::Kind::Number;
  v.number = d;
  return v;
}

JsValue builtinValue(int id) {
  JsValue v;
  if (id < 0) {
    v.kind = JsValue::Kind::Null;
  } else {
    v.kind = JsValue::Kind::Builtin;
    v.builtin = id;
  }
  return v;
}

// The [[Prototype]] of a value that is neither null nor undefined.
int prototypeOf(const JsValue& v) {
  switch (v.kind) {
    case JsValue::Kind::Boolean:
      return kBooleanPrototype;
    case JsValue::Kind::Number:
      return kNumberPrototype;
    case JsValue::Kind::String:
      return kStringPrototype;
    case JsValue::Kind::Array:
      return kArrayPrototype;
    case JsValue::Kind::Builtin:
      return kObjects[v.builtin].prototype;
    default:
      return kObjectPrototype;
  }
}

const BuiltinProperty* ownBuiltinProperty(int object, std::string_view key) {
  const BuiltinObject& o = kObjects[object];
  const BuiltinProperty* begin = kProperties + o.first;
  const BuiltinProperty* end = begin + o.count;
  while (begin < end) {  // binary search by key
    const BuiltinProperty* mid = begin + (end - begin) / 2;
    if (mid->key < key)
      begin = mid + 1;
    else
      end = mid;
  }
  return begin < kProperties + o.first + o.count && begin->key == key ? begin : nullptr;
}

// Looks `key` up along the prototype chain starting at `object`, for `receiver`.
JsValue inherited(int object, std::string_view key, const JsValue& receiver) {
  for (; object >= 0; object = kObjects[object].prototype) {
    const BuiltinProperty* p = ownBuiltinProperty(object, key);
    if (!p) continue;
    switch (p->kind) {
      case Builtin::Object:
        return builtinValue(p->object);
      case Builtin::Number:
        return numberValue(p->number);
      case Builtin::String: {
        JsValue v;
        v.kind = JsValue::Kind::String;
        v.string = p->text;
        return v;
      }
      case Builtin::ProtoAccessor:
        return builtinValue(prototypeOf(receiver));
      case Builtin::Throws:
        throw EvaluationError("reading \"" + std::string(key) +
                              "\" of a built-in function throws in JavaScript");
    }
  }
  return {};
}

// A canonical array index ("0", "17"; not "01", "-0", "1.0") below `length`.
bool indexBelow(std::string_view key, std::size_t length, std::size_t& index) {
  std::optional<std::uint32_t> n = json::text::arrayIndex(key);
  if (!n || *n >= length) return false;
  index = *n;
  return true;
}

// str[index] in UTF-16 units: a whole BMP character, or half of a supplementary one.
JsValue codeUnitAt(std::string_view s, std::size_t index) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    std::size_t width = json::text::utf16Units(d.codePoint);
    if (index < units + width) {
      JsValue v;
      v.kind = JsValue::Kind::String;
      if (width == 2)  // half of the character: a lone surrogate
        v.string =
            json::text::surrogateText(index == units ? json::text::highSurrogateOf(d.codePoint)
                                                     : json::text::lowSurrogateOf(d.codePoint));
      else
        v.string = s.substr(i, d.length);
      return v;
    }
    units += width;
    i += d.length;
  }
  return {};
}

}  // namespace

JsValue JsValue::of(const json::Value& j) {
  JsValue v;
  switch (j.GetType()) {
    case rapidjson::kNullType:
      v.kind = Kind::Null;
      break;
    case rapidjson::kFalseType:
      v.kind = Kind::Boolean;
      break;
    case rapidjson::kTrueType:
      v.kind = Kind::Boolean;
      v.boolean = true;
      break;
    case rapidjson::kNumberType:
      v.kind = Kind::Number;
      v.number = json::toDouble(j);
      break;
    case rapidjson::kStringType:
      v.kind = Kind::String;
      v.string = std::string_view(j.GetString(), j.GetStringLength());
      break;
    case rapidjson::kObjectType:
      v.kind = Kind::Object;
      v.json = &j;
      break;
    case rapidjson::kArrayType:
      v.kind = Kind::Array;
      v.json = &j;
      break;
  }
  return v;
}

bool JsValue::truthy() const {
  switch (kind) {
    case Kind::Undefined:
    case Kind::Null:
      return false;
    case Kind::Boolean:
      return boolean;
    case Kind::Number:
      return number != 0 && !std::isnan(number);
    case Kind::String:
      return !string.empty();
    default:
      return true;
  }
}

bool isObjectPrototypeName(std::string_view key) {
  return ownBuiltinProperty(kObjectPrototype, key) != nullptr;
}

JsValue member(const JsValue& value, std::string_view key) {
  std::size_t index = 0;
  switch (value.kind) {
    case JsValue::Kind::Undefined:
    case JsValue::Kind::Null:
      return {};
    case JsValue::Kind::Object: {
      json::Value name(rapidjson::StringRef(key.data(), key.size()));
      auto it = value.json->FindMember(name);
      if (it != value.json->MemberEnd()) return JsValue::of(it->value);
      break;
    }
    case JsValue::Kind::Array:
      if (key == "length") return numberValue(static_cast<double>(value.json->Size()));
      if (indexBelow(key, value.json->Size(), index)) return JsValue::of((*value.json)[index]);
      break;
    case JsValue::Kind::String: {
      std::size_t length = json::text::utf16Length(value.string);
      if (key == "length") return numberValue(static_cast<double>(length));
      if (indexBelow(key, length, index)) return codeUnitAt(value.string, index);
      break;
    }
    default:
      break;
  }
  if (value.kind == JsValue::Kind::Builtin)
    return inherited(value.builtin, key, value);  // own properties first, then its chain
  return inherited(prototypeOf(value), key, value);
}

}  // namespace actions::subscription
