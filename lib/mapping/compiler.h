// Turns mapping JSON into nodes once, so applying a mapping never re-reads it: paths are split,
// templates parsed and constant parts stored ready to copy.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "mapping/node.h"

namespace actions::mapping {

class Compiler {
 public:
  Compiler();

  // A node with upstream's resolve() semantics for `m` (directives, objects, arrays, values).
  NodePtr resolvable(const Value& m);
  // A node that gives `v` (a constant; stored in JavaScript key order).
  NodePtr constant(const Value& v);
  // A node that fails with `message` when it is reached, as upstream fails at run time.
  NodePtr failing(std::string message);

  // `mapping` as upstream's transform() takes it: the root directive key folded in, then
  // validated, then compiled. `problems` is filled instead when it is not valid.
  NodePtr transformRoot(const Value& mapping, std::vector<std::string>& problems);

  // Storage for constants, shared by all nodes of one compiled mapping.
  Allocator& pool() { return *pool_; }
  std::shared_ptr<Allocator> sharedPool() const { return pool_; }

 private:
  std::shared_ptr<Allocator> pool_;
};

// A constant in the compiler's pool, given as it is (borrowed; copied only into an output).
class ConstantNode final : public Node {
 public:
  explicit ConstantNode(const Value* v) : value_(v) {}
  Result eval(const Value&, EvalContext&, Mode) const override { return Result::borrowed(*value_); }
  const Value& value() const { return *value_; }

 private:
  const Value* value_;
};

}  // namespace actions::mapping
