// @if: "then" when "exists" resolves to a value (not null / undefined) or "blank" to a
// non-blank one, else "else".
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class If final : public Node {
 public:
  If(NodePtr condition, bool blankTest, NodePtr then, NodePtr otherwise)
      : condition_(std::move(condition)),
        blankTest_(blankTest),
        then_(std::move(then)),
        else_(std::move(otherwise)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result c = condition_->eval(payload, ctx, Mode::Raw);
    bool holds =
        !js::isNullish(c.value()) && !(blankTest_ && js::looselyEqualsEmptyString(c.value()));
    const NodePtr& branch = holds ? then_ : else_;
    return branch ? branch->eval(payload, ctx, mode) : Result::undefined();
  }

 private:
  NodePtr condition_;
  bool blankTest_;
  NodePtr then_, else_;
};

}  // namespace

NodePtr compileIf(const Value& options, Compiler& compiler) {
  if (!options.IsObject()) return compiler.failing("@if requires an object with an \"exists\" key");
  if (!truthyOption(options, "exists") && !truthyOption(options, "blank"))
    return compiler.failing("@if requires an \"exists\" key or a \"blank\" key");
  const Value* exists = option(options, "exists");
  const Value* condition = exists ? exists : option(options, "blank");
  const Value* then = option(options, "then");
  // Upstream takes "else" only when it is truthy as written.
  const Value* otherwise = truthyOption(options, "else") ? option(options, "else") : nullptr;
  return std::make_unique<If>(compiler.resolvable(*condition), exists == nullptr,
                              then ? compiler.resolvable(*then) : nullptr,
                              otherwise ? compiler.resolvable(*otherwise) : nullptr);
}

}  // namespace actions::mapping::directives
