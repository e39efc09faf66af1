// @flatten: nested objects (and arrays, unless omitArrays) as one object whose keys are the
// paths joined with the separator.
#include <string>
#include <unordered_map>

#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class Flattener {
 public:
  Flattener(std::string_view separator, bool omitArrays, Allocator& alloc)
      : separator_(separator),
        omitArrays_(omitArrays),
        alloc_(alloc),
        out_(rapidjson::kObjectType) {}

  void visit(const Value& input, std::string& prefix, unsigned depth) {
    bool object = input.IsObject();
    if (object || (!omitArrays_ && input.IsArray())) {
      if (depth >= js::kMaxValueDepth) js::throwTooDeep();
      std::size_t mark = prefix.size();
      auto child = [&](std::string_view key, const Value& value) {
        if (mark > 0) prefix += separator_;  // an empty prefix adds no separator
        prefix += key;
        visit(value, prefix, depth + 1);
        prefix.resize(mark);
      };
      if (object) {
        js::forEachMember(
            input, [&](const Value& name, const Value& value) { child(js::keyOf(name), value); });
      } else {
        for (rapidjson::SizeType i = 0; i < input.Size(); ++i) child(std::to_string(i), input[i]);
      }
      return;
    }
    assign(prefix, input);
  }

  // `sourceHoldsUndefined`: the flattened value had undefined somewhere inside.
  Value finish(bool sourceHoldsUndefined, bool& holdsUndefined) {
    holdsUndefined = undefinedLeaf_ || (arrayLeaf_ && sourceHoldsUndefined);
    js::sortMembers(out_);
    return std::move(out_);
  }

 private:
  // Like a later spread ({...acc, [key]: value}): a repeated key keeps its place.
  void assign(const std::string& key, const Value& value) {
    undefinedLeaf_ = undefinedLeaf_ || js::isUndefined(value);
    arrayLeaf_ = arrayLeaf_ || value.IsArray();
    auto [it, inserted] = index_.try_emplace(key, out_.MemberCount());
    if (!inserted) {
      out_.MemberBegin()[it->second].value = js::copy(value, alloc_);
      return;
    }
    out_.AddMember(Value(key, alloc_), js::copy(value, alloc_), alloc_);
  }

  std::string_view separator_;
  bool omitArrays_;
  Allocator& alloc_;
  Value out_;
  std::unordered_map<std::string, rapidjson::SizeType> index_;
  bool undefinedLeaf_ = false, arrayLeaf_ = false;
};

class Flatten final : public Node {
 public:
  Flatten(NodePtr separator, NodePtr value, bool omitArrays)
      : separator_(std::move(separator)), value_(std::move(value)), omitArrays_(omitArrays) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result sep = separator_->eval(payload, ctx, Mode::Raw);
    if (!sep.value().IsString() || js::isUndefined(sep.value()))
      throw ApplyError("@flatten requires a string separator");
    Result value = value_->eval(payload, ctx, Mode::Raw);
    Flattener f(js::keyOf(sep.value()), omitArrays_, ctx.alloc);
    std::string prefix;
    f.visit(value.value(), prefix, 0);
    bool holdsUndefined = false;
    Value out = f.finish(value.holdsUndefined(), holdsUndefined);
    if (mode != Mode::Raw && holdsUndefined) {
      dropUndefined(out, mode);
      holdsUndefined = mode == Mode::Members;  // arrays keep their undefined elements
    }
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  NodePtr separator_, value_;
  bool omitArrays_;
};

}  // namespace

NodePtr compileFlatten(const Value& options, Compiler& compiler) {
  if (!options.IsObject())
    return compiler.failing("@flatten requires an object with a \"separator\" key");
  if (!truthyOption(options, "separator"))
    return compiler.failing("@flatten requires a \"separator\" key");
  const Value* value = option(options, "value");
  return std::make_unique<Flatten>(
      compiler.resolvable(*option(options, "separator")),
      value ? compiler.resolvable(*value) : compiler.constant(js::undefinedValue()),
      truthyOption(options, "omitArrays"));
}

}  // namespace actions::mapping::directives
