// What the filter families share: arguments as JavaScript passes them (missing ones are
// undefined) and liquidjs's conversions of filter inputs.
#pragma once

#include <cmath>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "json/js_text.h"
#include "liquid/value.h"

namespace actions::liquid {

inline const Value& argument(const std::vector<Value>& args, std::size_t i) {
  static const Value kUndefined;
  return i < args.size() ? args[i] : kUndefined;
}

// JavaScript's `s.length`, as liquidjs counts memory.
inline double jsLength(std::string_view s) {
  return static_cast<double>(json::text::utf16Length(s));
}

// liquidjs's toArray: nothing for null and undefined, an array as it is, anything else alone.
inline std::vector<Value> toArray(const Value& v) {
  Value p = toPrimitive(v);
  std::vector<Value> items;
  if (p.isNullOrUndefined()) return items;
  if (!p.isArray()) {
    items.push_back(p);
    return items;
  }
  items.reserve(p.arraySize());
  for (std::size_t i = 0; i < p.arraySize(); ++i) items.push_back(p.arrayAt(i));
  return items;
}

// A number argument of a filter written in JavaScript without conversion: undefined gives the
// parameter's default, anything else what JavaScript's arithmetic makes of it.
inline double numberOr(const Value& v, double fallback) {
  return v.isUndefined() ? fallback : toNumber(toPrimitive(v));
}

// How many times a JavaScript loop `for (i = 0; i < count; i++)` runs.
inline std::size_t loopCount(double count) {
  if (!(count > 0)) return 0;
  return count >= 1e15 ? std::size_t{1} << 50 : static_cast<std::size_t>(std::ceil(count));
}

}  // namespace actions::liquid
