// JSON text for hosts that write JSON lines of their own (reports, answers) from the records
// this library hands back.
#pragma once

#include <string>
#include <string_view>

#include "actions/export.h"

namespace actions {

// Appends `text` (UTF-8) to `out` as a JSON string literal, quoted and escaped as
// JavaScript's JSON.stringify writes it.
ACTIONS_API void appendJsonString(std::string_view text, std::string& out);

}  // namespace actions
