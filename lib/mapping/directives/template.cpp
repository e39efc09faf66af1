// @template: text with {{ path }} placeholders filled from the payload.
#include "mapping/js/template.h"
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class StaticTemplate final : public Node {
 public:
  explicit StaticTemplate(js::Template t) : template_(std::move(t)) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    std::string out;
    template_.render(payload, ctx, out);
    return Result::owned(Value(out, ctx.alloc));
  }

 private:
  js::Template template_;
};

class ComputedTemplate final : public Node {
 public:
  explicit ComputedTemplate(NodePtr text) : text_(std::move(text)) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    Result text = text_->eval(payload, ctx, Mode::Raw);
    const Value& t = text.value();
    if (!t.IsString() || js::isUndefined(t))
      throw ApplyError(std::string("@template: expected string, got ") + js::realTypeOf(t));
    std::string out;
    js::Template::parse(js::keyOf(t)).render(payload, ctx, out);
    return Result::owned(Value(out, ctx.alloc));
  }

 private:
  NodePtr text_;
};

}  // namespace

NodePtr compileTemplate(const Value& options, Compiler& compiler) {
  if (options.IsString())
    return std::make_unique<StaticTemplate>(js::Template::parse(js::keyOf(options)));
  return std::make_unique<ComputedTemplate>(compiler.resolvable(options));
}

}  // namespace actions::mapping::directives
