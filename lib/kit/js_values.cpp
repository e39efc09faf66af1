#include "kit/js_values.h"

#include <cmath>

namespace actions::kit::js {

bool deepEqual(const json::Value& a, const json::Value& b) {
  if (a.IsNumber() && b.IsNumber()) return json::toDouble(a) == json::toDouble(b);
  if (a.GetType() != b.GetType()) {
    // RapidJSON keeps true and false as different types; both are booleans.
    return a.IsBool() && b.IsBool() && a.GetBool() == b.GetBool();
  }
  switch (a.GetType()) {
    case rapidjson::kNullType:
    case rapidjson::kTrueType:
    case rapidjson::kFalseType:
      return true;
    case rapidjson::kStringType:
      return view(a) == view(b);
    case rapidjson::kArrayType: {
      if (a.Size() != b.Size()) return false;
      for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
        if (!deepEqual(a[i], b[i])) return false;
      return true;
    }
    case rapidjson::kObjectType: {
      if (a.MemberCount() != b.MemberCount()) return false;
      for (const auto& m : a.GetObject()) {
        auto it = b.FindMember(m.name);
        if (it == b.MemberEnd() || !deepEqual(m.value, it->value)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const char* describeType(const json::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsArray()) return "an array";
  if (v.IsObject()) return "an object";
  if (v.IsString()) return "a string";
  if (v.IsNumber()) return "a number";
  return "a boolean";
}

bool isInteger(const json::Value& number) {
  if (number.IsInt64() || number.IsUint64()) return true;
  double d = json::toDouble(number);
  return std::isfinite(d) && std::fmod(d, 1.0) == 0;
}

}  // namespace actions::kit::js
