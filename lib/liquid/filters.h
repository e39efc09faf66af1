// The filter registry: every filter of liquidjs that Segment leaves enabled, one small function
// each, and the ones Segment disables, which fail with Segment's message when they run.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "liquid/value.h"

namespace actions::liquid {

// What a filter may use of the render in progress.
class FilterContext {
 public:
  virtual ~FilterContext() = default;
  // liquidjs's memory accounting: characters and elements a filter produces count against the
  // render's budget. Throws RenderFailure("memory alloc limit exceeded").
  virtual void useMemory(double count) = 0;
  // Counts work done element by element, against the render's step budget.
  virtual void countSteps(std::size_t count) = 0;
  // Reads `path` (Liquid syntax: a.b[0]["c d"]) from `root` the way a template reads a variable
  // from the event (the `where` filter's property).
  virtual Value readScopePath(const Value& root, std::string_view path) = 0;
  // Milliseconds since the epoch, for the date filter's "now".
  virtual double nowMilliseconds() = 0;
};

// A filter gets its input and its arguments as written (a `name: value` argument arrives as the
// two-element array [name, value], as liquidjs passes it). Throws RenderFailure.
using FilterFunction = Value (*)(FilterContext& context, const Value& input,
                                 const std::vector<Value>& args);

struct FilterDefinition {
  std::string_view name;
  FilterFunction function;  // null: disabled by Segment
};

// The filter named `name`, or null for a name liquidjs does not know (such a filter passes its
// input through unchanged).
const FilterDefinition* findFilter(std::string_view name);
// Every filter liquidjs knows, enabled or disabled, sorted by name.
std::span<const FilterDefinition> allFilters();

// The error a disabled filter gives when it runs.
[[noreturn]] void throwDisabledFilter(std::string_view name);

}  // namespace actions::liquid
