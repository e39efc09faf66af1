// The evaluator: renders a compiled program against one event, with liquidjs's semantics (scopes,
// truthiness, operators, filters) and within the limits of limits.h.
#pragma once

#include <string>

#include "json/json.h"
#include "liquid/program.h"

namespace actions::liquid {

// Renders `program` against `scope` (the event, which the template reads variables from).
// Throws LiquidError with liquidjs's message and position.
std::string renderProgram(const Template::Program& program, const json::Value& scope);

}  // namespace actions::liquid
