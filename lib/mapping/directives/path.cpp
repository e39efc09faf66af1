// @path: the value at a path of the payload ("$.a.b", "$." for all of it).
#include "mapping/js/path.h"
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class StaticPath final : public Node {
 public:
  explicit StaticPath(js::Path path) : path_(std::move(path)) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    return path_.get(payload, ctx);
  }

 private:
  js::Path path_;
};

// A path that a directive computes per event.
class ComputedPath final : public Node {
 public:
  explicit ComputedPath(NodePtr path) : path_(std::move(path)) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    Result path = path_->eval(payload, ctx, Mode::Raw);
    const Value& p = path.value();
    if (!p.IsString() || js::isUndefined(p))
      throw ApplyError(std::string("@path: expected string, got ") + js::realTypeOf(p));
    return js::Path::parseDirective(js::keyOf(p)).get(payload, ctx);
  }

 private:
  NodePtr path_;
};

}  // namespace

NodePtr compilePath(const Value& options, Compiler& compiler) {
  if (options.IsString())
    return std::make_unique<StaticPath>(js::Path::parseDirective(js::keyOf(options)));
  return std::make_unique<ComputedPath>(compiler.resolvable(options));
}

}  // namespace actions::mapping::directives
