// The SingleStore destination as data (docs/contracts.md): its settings fields, the Send Data
// action with its fields, default subscription and default mapping (mappings/send_data.json,
// embedded at build time), its preset, and the destination rules the table adds to Segment's
// validation.
#pragma once

#include <string_view>

#include "kit/definition.h"

namespace actions::singlestore {

inline constexpr std::string_view kSendDataAction = "send";

// The definition (built once, on first use; thread-safe).
const kit::DestinationDefinition& destination();

// The Send Data action's default mapping as JSON text (mappings/send_data.json).
std::string_view sendDataDefaultMapping();

// Whether this build can deliver (the writer's delivery hook is plugged in).
bool deliveryAvailable();

// The longest messageId, event and type the table's VARCHAR(255) columns hold, in characters.
inline constexpr std::size_t kMaxColumnChars = 255;

}  // namespace actions::singlestore
