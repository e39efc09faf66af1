// @arrayPath: the array at a path, each item reshaped by an item mapping that reads the item.
#include <optional>

#include "mapping/directives/registry.h"
#include "mapping/js/path.h"

namespace actions::mapping::directives {
namespace {

class ArrayPath final : public Node {
 public:
  ArrayPath(std::optional<js::Path> path, NodePtr root, NodePtr itemShape)
      : path_(std::move(path)), root_(std::move(root)), itemShape_(std::move(itemShape)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    // Without an item shape the root is the result, so it is resolved for where it goes.
    Result root =
        path_ ? path_->get(payload, ctx) : root_->eval(payload, ctx, itemShape_ ? Mode::Raw : mode);
    if (!itemShape_) return root;
    const Value& r = root.value();
    if (!r.IsObject() && !r.IsArray()) return root;
    // The items are payloads of the item shape, which may borrow from them: keep them in place.
    const Value* items = &r;
    if (root.isOwned()) items = ctx.pin(root.take(ctx.alloc), root.holdsUndefined());
    Value out(rapidjson::kArrayType);
    bool holdsUndefined = false;
    auto map = [&](const Value& item) {
      Result shaped = itemShape_->eval(item, ctx, mode);
      if (shaped.isUndefined() && mode == Mode::Output) {
        out.PushBack(Value(), ctx.alloc);
        return;
      }
      holdsUndefined = holdsUndefined || shaped.isUndefined() || shaped.holdsUndefined();
      out.PushBack(shaped.take(ctx.alloc), ctx.alloc);
    };
    if (items->IsArray()) {
      out.Reserve(items->Size(), ctx.alloc);
      for (const auto& item : items->GetArray()) map(item);
    } else {
      map(*items);  // arrify: a single object is a list of one
    }
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  std::optional<js::Path> path_;
  NodePtr root_;
  NodePtr itemShape_;
};

}  // namespace

NodePtr compileArrayPath(const Value& options, Compiler& compiler) {
  if (!options.IsArray())
    return compiler.failing(std::string("@arrayPath expected array, got ") +
                            js::realTypeOf(options));
  const Value* path = options.Size() > 0 ? &options[0] : nullptr;
  const Value* shape = options.Size() > 1 ? &options[1] : nullptr;
  NodePtr itemShape;
  if (shape && shape->IsObject() && shape->MemberCount() > 0)
    itemShape = compiler.resolvable(*shape);
  if (path && path->IsString())
    return std::make_unique<ArrayPath>(js::Path::parseDirective(js::keyOf(*path)), nullptr,
                                       std::move(itemShape));
  NodePtr root = path ? compiler.resolvable(*path) : compiler.constant(js::undefinedValue());
  return std::make_unique<ArrayPath>(std::nullopt, std::move(root), std::move(itemShape));
}

}  // namespace actions::mapping::directives
