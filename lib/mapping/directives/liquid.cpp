// @liquid: a Liquid template rendered against the payload. The template is compiled with the
// mapping; a template that does not compile fails each event that reaches it, as upstream
// (which parses at render time) fails.
#include "mapping/directives/registry.h"
#include "mapping/js/utf8.h"

// Set to 1 once lib/liquid implements liquid::Template.
#define ACTIONS_MAPPING_HAS_LIQUID 0

#if ACTIONS_MAPPING_HAS_LIQUID
#include "liquid/liquid.h"
#endif

namespace actions::mapping::directives {
namespace {

constexpr std::size_t kMaxTemplateLength = 1000;

#if ACTIONS_MAPPING_HAS_LIQUID
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
#endif

}  // namespace

bool liquidSupported() {
  return ACTIONS_MAPPING_HAS_LIQUID != 0;
}

NodePtr compileLiquid(const Value& options, Compiler& compiler) {
  if (!options.IsString()) return compiler.failing("liquid template value must be a string");
  std::string_view source = js::keyOf(options);
  if (source.empty()) return compiler.constant(Value(""));
  if (js::utf16Length(source) > kMaxTemplateLength)
    return compiler.failing("liquid template values are limited to 1000 characters");
#if ACTIONS_MAPPING_HAS_LIQUID
  try {
    return std::make_unique<Liquid>(liquid::Template::compile(source));
  } catch (const liquid::LiquidError& e) {
    return compiler.failing(e.what());
  }
#else
  return compiler.failing("the @liquid directive is not supported in this build");
#endif
}

}  // namespace actions::mapping::directives
