// Settings validated from a destination's authentication fields: defaults applied, every
// problem listed, each naming its field ("port must be a number between 1 and 65535 but it was
// \"abc\""). A password's value is never repeated in a message.
#pragma once

#include <string>
#include <vector>

#include "kit/definition.h"
#include "json/json.h"

namespace actions::kit {

struct SettingsValidation {
  json::Document settings;            // the validated settings with defaults (null when invalid)
  std::vector<std::string> problems;  // one line per problem, in field order
  bool ok() const { return problems.empty(); }
};

// Checks `input` against `fields`, then the destination's own rules (`check`, when set and the
// fields are fine). Keys that are not fields are dropped, as Segment drops them.
SettingsValidation validateSettings(const DestinationDefinition& destination,
                                    const json::Value& input);

}  // namespace actions::kit
