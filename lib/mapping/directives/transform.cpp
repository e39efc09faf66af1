// @transform: runs "apply" over the payload as a mapping of its own, then "mapping" over the
// result of that.
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

const Value& emptyObject() {
  static const Value empty(rapidjson::kObjectType);
  return empty;
}

class Transform final : public Node {
 public:
  Transform(NodePtr apply, std::string applyProblems, NodePtr mapping)
      : apply_(std::move(apply)),
        applyProblems_(std::move(applyProblems)),
        mapping_(std::move(mapping)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    // transform(apply, payload): an undefined payload stands for {}, anything else must be an
    // object.
    const Value& data = js::isUndefined(payload) ? emptyObject() : payload;
    if (!data.IsObject())
      throw ApplyError(std::string("data must be an object, got ") + js::realTypeOf(data));
    if (!applyProblems_.empty()) throw ApplyError(applyProblems_);
    Result applied = apply_->eval(data, ctx, Mode::Members);
    const Value* next = &js::undefinedRef();
    if (applied.isOwned())
      next = ctx.pin(applied.take(ctx.alloc), applied.holdsUndefined());
    else if (!applied.isUndefined())
      next = &applied.value();
    return mapping_->eval(*next, ctx, mode);
  }

 private:
  NodePtr apply_;
  std::string applyProblems_;
  NodePtr mapping_;
};

}  // namespace

NodePtr compileTransform(const Value& options, Compiler& compiler) {
  if (!options.IsObject())
    return compiler.failing(
        "@transform requires an object with an \"apply\" key and a \"mapping\" key");
  if (!truthyOption(options, "mapping"))
    return compiler.failing("@transform requires a \"mapping\" key");
  if (!truthyOption(options, "apply"))
    return compiler.failing("@transform requires a \"apply\" key");
  const Value& apply = *option(options, "apply");
  if (!apply.IsObject()) return compiler.failing("@transform \"apply\" key should be an object");
  // "apply" goes through transform() again at run time: root directive key and validation.
  std::vector<std::string> problems;
  NodePtr applyNode = compiler.transformRoot(apply, problems);
  std::string joined;
  for (const auto& p : problems) joined += (joined.empty() ? "" : "\n") + p;
  return std::make_unique<Transform>(std::move(applyNode), std::move(joined),
                                     compiler.resolvable(*option(options, "mapping")));
}

}  // namespace actions::mapping::directives
