// A small Liquid engine restricted the way Segment's @liquid directive restricts liquidjs
// (@segment/actions-core 3.170.0, liquidjs 10.30): compiled once per mapping, rendered per event
// with bounded output and work.
//
// When upstream fails, and so where the mapping kit reports a LiquidError:
//  - Mapping validation only checks that the @liquid value is a string ("/f/@liquid should be a
//    string but it is a number."). Nothing in the template itself makes a mapping invalid.
//  - Upstream parses and renders the template each time the directive is evaluated, so every
//    other failure is a transform-time failure of the event being mapped, and only when the
//    directive is actually reached (a template in an @if branch not taken never fails):
//      * compile(): a template over 1,000 characters ("liquid template values are limited to 1000
//        characters"), syntax errors ("tag {% if x %} not closed, line:1, col:1"), unknown tags
//        ("tag \"foo\" not found, ..."), tags Segment disables ("tag \"case\" is disabled,
//        line:1, col:1"). Compile with the mapping, keep the error, and throw it for each event
//        that reaches the directive.
//      * render(): filters Segment disables, when they run ("filter \"sort\" is disabled, line:1,
//        col:1"), other filter failures ("append expect 2 arguments, ...", "URI malformed, ...",
//        "invalid base64 provided to base64_decode, ..."), and the limits below.
//  - An empty template renders "" (upstream does not parse it).
// Messages are liquidjs's, position included.
//
// Limits (lib/liquid/limits.h): Segment's 1,000-character template length and liquidjs memory
// accounting (1e8, "memory alloc limit exceeded"); in place of Segment's 500 ms render time limit
// a step budget ("template render limit exceeded"); and 64 MiB per string or output, 1,000,000
// elements per array, 1,000 levels of nesting.
//
// Deliberate differences: the process's local time zone is taken to be UTC (Segment's); counters
// of {% increment %} / {% decrement %} live for one render (liquidjs writes them into the event
// object, where later directives of the same mapping would see them); half of an astral
// character (which JavaScript can split off) prints as U+FFFD.
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
  // Renders against `scope` (the payload the directive sees; any JSON value). Throws LiquidError
  // on render errors. Thread-safe: a compiled template is immutable.
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
