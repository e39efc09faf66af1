#include "render_helpers.h"

#include <stdexcept>

#include "json/json.h"
#include "liquid/liquid.h"

namespace liquid_test {

std::string render(std::string_view source, std::string_view eventJson) {
  actions::json::Document event;
  if (auto error = actions::json::parse(eventJson, event)) {
    throw std::invalid_argument("bad test event: " + error->describe());
  }
  return actions::liquid::Template::compile(source).render(event);
}

std::string errorOf(std::string_view source, std::string_view eventJson) {
  try {
    render(source, eventJson);
  } catch (const actions::liquid::LiquidError& e) {
    return e.what();
  }
  return "";
}

}  // namespace liquid_test
