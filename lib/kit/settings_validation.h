// Settings validated from a destination's authentication fields: defaults applied, every
// problem listed, each naming its field ("port must be a number between 1 and 65535 but it was
// \"abc\""). A password's value is never repeated in a message.
#pragma once

#include <string>
#include <vector>

#include "json/json.h"
#include "kit/definition.h"

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

// One problem per key of `input` that is not one of the destination's settings, naming it and
// suggesting the setting it most likely meant ("unknown setting \"ssl_mode\": did you mean
// \"sslMode\"?"), or listing the settings when none is near. validateSettings() itself drops
// such keys, as Segment does; a caller reading a user's settings file refuses them with this.
std::vector<std::string> unknownKeyProblems(const DestinationDefinition& destination,
                                            const json::Value& input);

}  // namespace actions::kit
