// The compiled form of a mapping: a tree of nodes, each resolving one piece of the mapping
// against a payload, the way upstream's resolve() walks the mapping for every event.
#pragma once

#include <memory>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/mapping.h"
#include "mapping/result.h"

namespace actions::mapping {

// Per-apply state. Values built for the event live in `alloc` (a pool that frees nothing until
// it is cleared), so anything pinned stays where it is until the caller is done with the output.
struct EvalContext {
  Allocator& alloc;
  // Set when a pinned payload holds undefined: values borrowed from it may carry undefined into
  // the output, so the output is cleaned once more at the end.
  bool outputNeedsCleaning = false;
  // Per member of the mapping's top-level object: true where the result may share the event's
  // value (CompiledMapping::shareReadOnlyMembers). Empty: every value is copied.
  const std::vector<bool>* sharedMembers = nullptr;

  // Moves `v` into the pool and returns its stable address, for payloads that nodes borrow from.
  const Value* pin(Value&& v, bool holdsUndefined) {
    outputNeedsCleaning = outputNeedsCleaning || holdsUndefined;
    void* p = alloc.Malloc(sizeof(Value));
    return new (p) Value(std::move(v));
  }
};

struct CompiledMapping::Node {
  virtual ~Node() = default;
  // Resolves this piece of mapping against `payload` (any value, possibly undefined).
  virtual Result eval(const Value& payload, EvalContext& ctx, Mode mode) const = 0;
};

using Node = CompiledMapping::Node;
using NodePtr = std::unique_ptr<const Node>;

// The node of a mapping that is a plain object at its top: its members can share the event's
// values where the caller allows it.
class TopLevelObject {
 public:
  virtual ~TopLevelObject() = default;
  virtual std::vector<std::string_view> memberNames() const = 0;
  virtual Result evalSharing(const Value& payload, EvalContext& ctx, Mode mode,
                             const std::vector<bool>& shared) const = 0;
};

// Removes undefined from a value built for `mode` (see Mode): undefined members go, undefined
// elements become null for the output. Descends only where `v` may hold undefined.
void dropUndefined(Value& v, Mode mode);

}  // namespace actions::mapping
