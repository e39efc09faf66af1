#include "tracking/integrations.h"

namespace actions::tracking {
namespace {

// JavaScript's Boolean(v) for a JSON value.
bool truthy(const json::Value& v) {
  if (v.IsNull()) return false;
  if (v.IsBool()) return v.GetBool();
  if (v.IsString()) return v.GetStringLength() > 0;
  if (v.IsNumber()) {
    double d = json::toDouble(v);
    return d == d && d != 0;  // NaN and 0 are false
  }
  return true;  // objects and arrays
}

const json::Value* member(const json::Value& object, std::string_view key) {
  auto it = object.FindMember(
      json::Value(key.data(), static_cast<rapidjson::SizeType>(key.size())).Move());
  return it == object.MemberEnd() ? nullptr : &it->value;
}

}  // namespace

bool sendsTo(const json::Value* integrations, std::string_view name) {
  if (!integrations || !integrations->IsObject()) return true;
  const json::Value* own = member(*integrations, name);
  if (own && own->IsBool() && !own->GetBool()) return false;
  const json::Value* all = member(*integrations, "All");
  bool allOff = all && all->IsBool() && !all->GetBool();
  return !allOff || (own && truthy(*own));
}

}  // namespace actions::tracking
