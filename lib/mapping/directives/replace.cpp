// @replace: replaces a literal pattern (and optionally a second one) in a string value;
// numbers and booleans are replaced in their string form, anything else gives "".
#include <optional>

#include "json/js_text.h"
#include "mapping/directives/registry.h"
#include "mapping/js/replace.h"

namespace actions::mapping::directives {
namespace {

constexpr std::size_t kMaxPatternLength = 10;
constexpr std::size_t kMaxReplacementLength = 10;

struct Substitution {
  std::string pattern, replacement;
};

class Replace final : public Node {
 public:
  Replace(NodePtr value, bool typesFit, Substitution first, std::optional<Substitution> second,
          bool global, bool ignoreCase)
      : value_(std::move(value)),
        typesFit_(typesFit),
        first_(std::move(first)),
        second_(std::move(second)),
        global_(global),
        ignoreCase_(ignoreCase) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode) const override {
    Result r = value_->eval(payload, ctx, Mode::Raw);
    const Value& v = r.value();
    std::string text;
    bool isString = v.IsString() && !js::isUndefined(v);
    if (v.IsBool() || v.IsNumber()) {
      json::appendJsString(v, text);
      isString = true;
    } else if (isString) {
      text.assign(v.GetString(), v.GetStringLength());
    }
    std::string out;
    if (isString && typesFit_) {
      out = perform(text, first_);
      if (second_) out = perform(out, *second_);
    }
    return Result::owned(Value(out, ctx.alloc));
  }

 private:
  std::string perform(const std::string& value, const Substitution& s) const {
    if (json::text::utf16Length(s.pattern) > kMaxPatternLength)
      throw ApplyError("@replace requires a \"pattern\" less than " +
                       std::to_string(kMaxPatternLength) + " characters");
    if (json::text::utf16Length(s.replacement) > kMaxReplacementLength)
      throw ApplyError("@replace requires a \"replacement\" less than " +
                       std::to_string(kMaxReplacementLength) + " characters");
    return js::replaceLiteral(value, s.pattern, s.replacement, global_, ignoreCase_);
  }

  NodePtr value_;
  bool typesFit_;
  Substitution first_;
  std::optional<Substitution> second_;
  bool global_, ignoreCase_;
};

bool isString(const Value* v) {
  return v && v->IsString();
}
std::string text(const Value* v) {
  return isString(v) ? std::string(js::keyOf(*v)) : std::string();
}

}  // namespace

NodePtr compileReplace(const Value& options, Compiler& compiler) {
  if (!options.IsObject())
    return compiler.failing("@replace requires an object with a \"pattern\" key");
  if (!truthyOption(options, "pattern"))
    return compiler.failing("@replace requires a \"pattern\" key");
  if (!truthyOption(options, "value")) return compiler.constant(js::undefinedValue());
  const Value* pattern = option(options, "pattern");
  const Value* replacement = option(options, "replacement");
  const Value* ignoreCase = option(options, "ignorecase");
  const Value* global = option(options, "global");
  // Upstream fills in defaults for missing (or null) options, then checks the types.
  bool replacementFits = !replacement || replacement->IsNull() || replacement->IsString();
  bool ignoreCaseFits = !ignoreCase || ignoreCase->IsNull() || ignoreCase->IsBool();
  bool globalFits = !global || global->IsNull() || global->IsBool();
  bool typesFit = pattern->IsString() && replacementFits && ignoreCaseFits && globalFits;

  std::optional<Substitution> second;
  const Value* pattern2 = option(options, "pattern2");
  const Value* replacement2 = option(options, "replacement2");
  if (pattern2 && js::truthy(*pattern2) && pattern2->IsString() &&
      (!replacement2 || replacement2->IsNull() || replacement2->IsString()))
    second = Substitution{text(pattern2), text(replacement2)};

  return std::make_unique<Replace>(
      compiler.resolvable(*option(options, "value")), typesFit,
      Substitution{text(pattern), text(replacement)}, std::move(second),
      !global || global->IsNull() || global->IsTrue(), ignoreCase && ignoreCase->IsTrue());
}

}  // namespace actions::mapping::directives
