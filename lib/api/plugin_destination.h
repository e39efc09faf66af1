// The plugin ABI's live destination handles (include/actions/plugin.h): an
// actions::Destination behind an opaque pointer, with JSON requests and answers. Open handles are
// kept in a registry: a handle that is not in it (closed already, or never opened) is answered
// with an error, never followed.
#pragma once

#include <string>
#include <vector>

#include "actions/destination.h"
#include "actions/plugin.h"

namespace actions::api::plugin {

actions_destination* openDestination(const char* requestJson, char** errorJson) noexcept;
char* destinationPerformBatch(actions_destination* handle, const char* requestJson) noexcept;
void destinationPerformBatchAsync(actions_destination* handle, const char* requestJson,
                                  actions_answer_fn done, void* context) noexcept;
char* destinationCheck(actions_destination* handle) noexcept;
void closeDestination(actions_destination* handle) noexcept;
char* destinationClose(actions_destination* handle) noexcept;
char* destinationStats(actions_destination* handle) noexcept;

// {"ok":true,"results":[one multi-status entry per result]} (actions/multistatus.h).
std::string resultsAnswer(const std::vector<EventResult>& results);

}  // namespace actions::api::plugin
