// The messageId of an event too large to be parsed (SendOptions::maxEventBytes): found by one
// pass over the text that builds nothing, so an oversized event is answered with its messageId
// at the cost of reading it once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace actions::kit {

// The top-level "messageId" of a JSON object text, as the library reports it: a string as it is,
// a number as JavaScript's String() writes it. The last copy of the key wins, as in JSON.parse.
// Nothing when the text is not an object, has no such member, or is malformed before it.
std::optional<std::string> scanMessageId(std::string_view json);

}  // namespace actions::kit
