// @excludeWhenNull: nothing when the value is null; in objects, null members are left out
// (also in nested objects, not in arrays).
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

// cleanNulls: null members become undefined (Raw) or go (for output), nested objects likewise.
Value withoutNulls(const Value& object, bool owned, Mode mode, Allocator& alloc,
                   bool& holdsUndefined, unsigned depth) {
  if (depth >= js::kMaxValueDepth) js::throwTooDeep();
  Value out(rapidjson::kObjectType);
  js::forEachMember(object, [&](const Value& name, const Value& value) {
    Value cleaned;
    if (value.IsNull()) {
      if (mode != Mode::Raw) return;
      cleaned = js::undefinedValue();
      holdsUndefined = true;
    } else if (value.IsObject()) {
      cleaned = withoutNulls(value, owned, mode, alloc, holdsUndefined, depth + 1);
    } else {
      cleaned = owned ? std::move(const_cast<Value&>(value)) : js::copy(value, alloc);
    }
    out.AddMember(Value(name, alloc), std::move(cleaned), alloc);
  });
  return out;
}

class ExcludeWhenNull final : public Node {
 public:
  explicit ExcludeWhenNull(NodePtr value) : value_(std::move(value)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result r = value_->eval(payload, ctx, mode);
    const Value& v = r.value();
    if (v.IsNull()) return Result::undefined();
    if (!v.IsObject()) return r;
    bool holdsUndefined = r.holdsUndefined();
    Value out = withoutNulls(v, r.isOwned(), mode, ctx.alloc, holdsUndefined, 0);
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  NodePtr value_;
};

}  // namespace

NodePtr compileExcludeWhenNull(const Value& options, Compiler& compiler) {
  return std::make_unique<ExcludeWhenNull>(compiler.resolvable(options));
}

}  // namespace actions::mapping::directives
