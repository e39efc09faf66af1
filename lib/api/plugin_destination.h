// The plugin ABI's live destination handles (include/actions/plugin.h): an
// actions::Destination behind an opaque pointer, with JSON requests and answers.
#pragma once

#include "actions/plugin.h"

namespace actions::api::plugin {

actions_destination* openDestination(const char* requestJson, char** errorJson) noexcept;
char* destinationPerformBatch(actions_destination* handle, const char* requestJson) noexcept;
char* destinationCheck(actions_destination* handle) noexcept;
void closeDestination(actions_destination* handle) noexcept;

// execute_batch's answer for `request` (checked for unknown keys by the caller).
}  // namespace actions::api::plugin
