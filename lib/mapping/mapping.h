// Segment's mapping kit: a mapping is validated and compiled once, then applied to many events.
// Semantics follow @segment/actions-core's mapping-kit exactly (see test/conformance/).
#pragma once

#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "json/json.h"

namespace actions::mapping {

// A mapping that failed validation: every problem, each naming its JSON pointer
// ("/props/@merge/objects should be an array but it is an object.").
class MappingError : public std::runtime_error {
 public:
  explicit MappingError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// An event the mapping cannot be applied to (not an object, a directive failing at run time).
class ApplyError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class CompiledMapping {
 public:
  // Validates `mapping` as upstream does and compiles it. Throws MappingError.
  static CompiledMapping compile(const json::Value& mapping);

  // Applies the mapping to `event`, writing the result into `out` (allocated from `alloc`).
  // Returns false when the whole result is undefined. Throws ApplyError. Thread-safe.
  bool apply(const json::Value& event, json::Value& out, json::Allocator& alloc) const;

  // Lets apply() give the top-level members named by `readOnly` the event's own value instead of
  // a copy, where the mapping reads it unchanged from the event (a @path, as "$." for the whole
  // event) and its objects are in JavaScript's key order already, as upstream's mapping hands
  // on the event's object itself. For members that nothing edits afterwards: `event` must then
  // outlive `out`, and `out` shares those values with it. Call before applying.
  void shareReadOnlyMembers(const std::function<bool(std::string_view key)>& readOnly);

  CompiledMapping(CompiledMapping&&) noexcept;
  CompiledMapping& operator=(CompiledMapping&&) noexcept;
  ~CompiledMapping();

  struct Node;  // the compiled tree (private to the implementation)

 private:
  explicit CompiledMapping(std::unique_ptr<const Node> root);
  std::unique_ptr<const Node> root_;
  std::vector<bool> shared_;  // per top-level member, by shareReadOnlyMembers
};

}  // namespace actions::mapping
