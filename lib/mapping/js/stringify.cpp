#include "mapping/js/stringify.h"

#include <cmath>

namespace actions::mapping::js {
namespace {

void write(const Value& v, std::string& out, unsigned depth) {
  switch (v.GetType()) {
    case rapidjson::kObjectType: {
      if (depth >= kMaxValueDepth) throwTooDeep();
      out.push_back('{');
      bool first = true;
      forEachMember(v, [&](const Value& name, const Value& value) {
        if (isUndefined(value)) return;
        if (!first) out.push_back(',');
        first = false;
        json::appendQuoted(keyOf(name), out);
        out.push_back(':');
        write(value, out, depth + 1);
      });
      out.push_back('}');
      return;
    }
    case rapidjson::kArrayType: {
      if (depth >= kMaxValueDepth) throwTooDeep();
      out.push_back('[');
      bool first = true;
      for (const auto& e : v.GetArray()) {
        if (!first) out.push_back(',');
        first = false;
        if (isUndefined(e))
          out.append("null");
        else
          write(e, out, depth + 1);
      }
      out.push_back(']');
      return;
    }
    case rapidjson::kNumberType:
      if (v.IsDouble() && !std::isfinite(v.GetDouble()))
        out.append("null");
      else
        json::appendNumber(v, out);
      return;
    default:
      json::stringify(v, out);  // null, booleans, strings
  }
}

}  // namespace

bool stringify(const Value& v, std::string& out) {
  if (isUndefined(v)) return false;
  write(v, out, 0);
  return true;
}

}  // namespace actions::mapping::js
