// An action's default mapping: the one it declares, or (as Segment builds presets) an object of
// its fields' defaults.
#pragma once

#include "json/json.h"
#include "kit/definition.h"

namespace actions::kit {

// Fills `out` with the action's default mapping. Throws std::invalid_argument when a declared
// mapping or a field default is not JSON.
void defaultMapping(const ActionDefinition& action, json::Document& out);

}  // namespace actions::kit
