// @merge: Object.assign of the resolved objects, later ones winning ("right") or earlier ones
// winning ("left").
#include <algorithm>
#include <string>
#include <unordered_map>

#include "json/js_text.h"
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

class Merge final : public Node {
 public:
  Merge(NodePtr direction, std::string failure, std::vector<NodePtr> objects)
      : direction_(std::move(direction)),
        failure_(std::move(failure)),
        objects_(std::move(objects)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result direction = direction_->eval(payload, ctx, Mode::Raw);
    if (!failure_.empty()) throw ApplyError(failure_);
    std::vector<Result> sources;
    sources.reserve(objects_.size());
    for (const auto& o : objects_) sources.push_back(o->eval(payload, ctx, Mode::Raw));
    if (direction.value() == "left") std::reverse(sources.begin(), sources.end());

    Value out(rapidjson::kObjectType);
    std::unordered_map<std::string, rapidjson::SizeType> index;
    bool holdsUndefined = false;
    auto assign = [&](std::string_view key, Value&& value) {
      holdsUndefined = holdsUndefined || js::isUndefined(value);
      auto [it, fresh] = index.try_emplace(std::string(key), out.MemberCount());
      if (!fresh) {
        out.MemberBegin()[it->second].value = std::move(value);
        return;
      }
      out.AddMember(Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), ctx.alloc),
                    std::move(value), ctx.alloc);
    };
    for (auto& s : sources) {
      const Value& v = s.value();
      // Owned sources are ours: their values move instead of being copied.
      auto give = [&](const Value& member) {
        return s.isOwned() ? std::move(const_cast<Value&>(member)) : js::copy(member, ctx.alloc);
      };
      holdsUndefined = holdsUndefined || s.holdsUndefined();
      if (v.IsObject()) {
        js::forEachMember(v, [&](const Value& name, const Value& value) {
          assign(js::keyOf(name), give(value));
        });
      } else if (v.IsArray()) {
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i) assign(std::to_string(i), give(v[i]));
      } else if (v.IsString() && !js::isUndefined(v)) {
        assignCharacters(js::keyOf(v), assign, ctx);
      }
    }
    js::sortMembers(out);
    if (mode != Mode::Raw && holdsUndefined) {
      dropUndefined(out, mode);
      holdsUndefined = mode == Mode::Members;
    }
    return Result::owned(std::move(out), holdsUndefined);
  }

 private:
  // A string source gives one member per UTF-16 unit ("0": first character, ...).
  template <class Assign>
  static void assignCharacters(std::string_view s, Assign& assign, EvalContext& ctx) {
    std::size_t unit = 0;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t start = i;
      char32_t cp = json::text::nextCodePoint(s, i);
      if (cp > 0xFFFF) {  // each half of a surrogate pair on its own, as a lone surrogate
        std::string half;
        json::text::appendUtf8(json::text::highSurrogateOf(cp), half);
        assign(std::to_string(unit++), Value(half, ctx.alloc));
        half.clear();
        json::text::appendUtf8(json::text::lowSurrogateOf(cp), half);
        assign(std::to_string(unit++), Value(half, ctx.alloc));
      } else {
        assign(std::to_string(unit++),
               Value(s.data() + start, static_cast<rapidjson::SizeType>(i - start), ctx.alloc));
      }
    }
  }

  NodePtr direction_;
  std::string failure_;
  std::vector<NodePtr> objects_;
};

}  // namespace

NodePtr compileMerge(const Value& options, Compiler& compiler) {
  if (!options.IsObject())
    return compiler.failing(
        "@merge requires an object with an \"objects\" key and a \"direction\" key");
  if (!truthyOption(options, "direction"))
    return compiler.failing("@merge requires a \"direction\" key");
  NodePtr direction = compiler.resolvable(*option(options, "direction"));
  // These checks come after the direction is resolved, so they fail when the node runs.
  const Value* objects = option(options, "objects");
  std::string failure;
  if (!objects || !js::truthy(*objects))
    failure = "@merge requires a \"objects\" key";
  else if (!objects->IsArray())
    failure = std::string("@merge: expected opts.array, got ") + js::typeOf(*objects);
  std::vector<NodePtr> nodes;
  if (failure.empty()) {
    for (const auto& o : objects->GetArray()) nodes.push_back(compiler.resolvable(o));
  }
  return std::make_unique<Merge>(std::move(direction), std::move(failure), std::move(nodes));
}

}  // namespace actions::mapping::directives
