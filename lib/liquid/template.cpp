#include <memory>
#include <string>

#include "json/js_text.h"
#include "liquid/evaluator.h"
#include "liquid/limits.h"
#include "liquid/liquid.h"
#include "liquid/parser.h"
#include "liquid/program.h"

namespace actions::liquid {

Template Template::compile(std::string_view source) {
  if (json::text::utf16Length(source) > kMaxTemplateLength) {
    throw LiquidError("liquid template values are limited to " +
                      std::to_string(kMaxTemplateLength) + " characters");
  }
  auto program = std::make_unique<Program>();
  program->source.assign(source);
  program->nodes = parseTemplate(program->source);
  return Template(std::move(program));
}

std::string Template::render(const json::Value& scope) const {
  if (!program_) return {};
  return renderProgram(*program_, scope);
}

Template::Template(std::unique_ptr<const Program> program) : program_(std::move(program)) {}
Template::Template(Template&&) noexcept = default;
Template& Template::operator=(Template&&) noexcept = default;
Template::~Template() = default;

}  // namespace actions::liquid
