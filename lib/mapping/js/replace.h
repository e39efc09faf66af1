// String.prototype.replace with a RegExp built from an escaped (so literal) pattern, as
// upstream's @replace does it: flags g and i, and the "$" patterns of the replacement.
#pragma once

#include <string>
#include <string_view>

namespace actions::mapping::js {

std::string replaceLiteral(std::string_view value, std::string_view pattern,
                           std::string_view replacement, bool global, bool ignoreCase);

}  // namespace actions::mapping::js
