// @json: JSON.stringify of a value ("encode"), or JSON.parse of a string ("decode"; text that
// does not parse is given back as it is).
#include "mapping/directives/registry.h"
#include "mapping/js/stringify.h"

namespace actions::mapping::directives {
namespace {

// JSON.parse(text), or nothing when it throws. Repeated keys keep their first place with their
// last value, as in JSON.parse. (Unlike JSON.parse, numbers beyond the range of a double are
// refused rather than read as Infinity.)
bool parseLikeJavaScript(std::string_view text, Allocator& alloc, Value& out) {
  json::Document doc;
  if (json::parse(text, doc, js::kMaxValueDepth)) return false;
  out = js::copy(doc, alloc);  // JSON.parse gives JavaScript key order
  return true;
}

class Json final : public Node {
 public:
  enum class Direction { Encode, Decode, Neither };
  Json(Direction d, NodePtr value) : direction_(d), value_(std::move(value)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result r = value_->eval(payload, ctx, direction_ == Direction::Decode ? mode : Mode::Raw);
    if (direction_ == Direction::Neither) return Result::undefined();
    const Value& v = r.value();
    if (direction_ == Direction::Encode) {
      std::string text;
      if (!js::stringify(v, text)) return Result::undefined();
      return Result::owned(Value(text, ctx.alloc));
    }
    if (!v.IsString() || js::isUndefined(v)) return r;
    Value parsed;
    if (!parseLikeJavaScript(js::keyOf(v), ctx.alloc, parsed)) return r;
    return Result::owned(std::move(parsed));
  }

 private:
  Direction direction_;
  NodePtr value_;
};

}  // namespace

NodePtr compileJson(const Value& options, Compiler& compiler) {
  if (!options.IsObject()) return compiler.failing("@json requires an object with a \"value\" key");
  if (!truthyOption(options, "mode")) return compiler.failing("@json requires a \"mode\" key");
  if (!truthyOption(options, "value")) return compiler.failing("@json requires a \"value\" key");
  const Value& mode = *option(options, "mode");
  Json::Direction d = mode == "encode"   ? Json::Direction::Encode
                      : mode == "decode" ? Json::Direction::Decode
                                         : Json::Direction::Neither;
  return std::make_unique<Json>(d, compiler.resolvable(*option(options, "value")));
}

}  // namespace actions::mapping::directives
