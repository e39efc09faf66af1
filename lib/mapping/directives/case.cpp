// @case: a string value in lower or upper case (other values unchanged).
#include "json/js_text.h"
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class Case final : public Node {
 public:
  enum class Operator { Lower, Upper, Invalid };
  Case(Operator op, NodePtr value) : op_(op), value_(std::move(value)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result r = value_->eval(payload, ctx, mode);
    const Value& v = r.value();
    if (!v.IsString() || js::isUndefined(v)) return r;
    if (op_ == Operator::Invalid)
      throw ApplyError("operator key should have a value of \"lower\" or \"upper\"");
    std::string s = op_ == Operator::Lower ? json::text::toLower(js::keyOf(v))
                                           : json::text::toUpper(js::keyOf(v));
    return Result::owned(Value(s, ctx.alloc));
  }

 private:
  Operator op_;
  NodePtr value_;
};

}  // namespace

NodePtr compileCase(const Value& options, Compiler& compiler) {
  if (!options.IsObject())
    return compiler.failing("@case requires an object with a \"operator\" key");
  if (!truthyOption(options, "operator"))
    return compiler.failing("@case requires a \"operator\" key");
  if (!truthyOption(options, "value")) return compiler.constant(js::undefinedValue());
  const Value& op = *option(options, "operator");
  Case::Operator which = op == "lower"   ? Case::Operator::Lower
                         : op == "upper" ? Case::Operator::Upper
                                         : Case::Operator::Invalid;
  return std::make_unique<Case>(which, compiler.resolvable(*option(options, "value")));
}

}  // namespace actions::mapping::directives
