// Compiling and rendering a template against an event given as JSON text, for the tests.
#pragma once

#include <string>
#include <string_view>

namespace liquid_test {

// Renders `source` against the event `eventJson`. Throws what compile or render throws.
std::string render(std::string_view source, std::string_view eventJson = "{}");

// The error message compile or render gives, or "" when the template renders.
std::string errorOf(std::string_view source, std::string_view eventJson = "{}");

}  // namespace liquid_test
