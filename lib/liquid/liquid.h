// A small Liquid engine restricted the way Segment's @liquid directive restricts liquidjs:
// compiled once per mapping, rendered per event with bounded output and work.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::liquid {

// A template that does not parse, or uses a disabled tag or filter (message as upstream gives it).
class LiquidError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Template {
 public:
  // Parses `source`. Throws LiquidError.
  static Template compile(std::string_view source);
  // Renders against `scope` (the event). Throws LiquidError on render errors. Thread-safe.
  std::string render(const json::Value& scope) const;

  Template(Template&&) noexcept;
  Template& operator=(Template&&) noexcept;
  ~Template();

  struct Program;  // compiled form (private to the implementation)

 private:
  explicit Template(std::unique_ptr<const Program> program);
  std::unique_ptr<const Program> program_;
};

}  // namespace actions::liquid
