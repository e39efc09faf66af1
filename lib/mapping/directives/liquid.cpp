// @liquid: a Liquid template rendered against the payload. The template is compiled with the
// mapping; a template that does not compile fails each event that reaches it, as upstream
// (which parses at render time) fails.
#include "liquid/liquid.h"
#include "json/js_text.h"
#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

constexpr std::size_t kMaxTemplateLength = 1000;

const Value& emptyObject() {
  static const Value empty(rapidjson::kObjectType);
  return empty;
}

class Liquid final : public Node {
 public:
  explicit Liquid(liquid::Template t) : template_(std::move(t)) {}
  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    try {
      std::string out = template_.render(js::isUndefined(payload) ? emptyObject() : payload);
      return Result::owned(Value(out, ctx.alloc));
    } catch (const liquid::LiquidError& e) {
      throw ApplyError(e.what());
    }
  }

 private:
  liquid::Template template_;
};

}  // namespace

NodePtr compileLiquid(const Value& options, Compiler& compiler) {
  if (!options.IsString()) return compiler.failing("liquid template value must be a string");
  std::string_view source = js::keyOf(options);
  if (source.empty()) return compiler.constant(Value(""));
  if (json::text::utf16Length(source) > kMaxTemplateLength)
    return compiler.failing("liquid template values are limited to 1000 characters");
  try {
    return std::make_unique<Liquid>(liquid::Template::compile(source));
  } catch (const liquid::LiquidError& e) {
    return compiler.failing(e.what());
  }
}

}  // namespace actions::mapping::directives
