// JavaScript's locale-independent case conversion (String.prototype.toUpperCase / toLowerCase,
// full mappings, the final-sigma rule) and the case folding of a RegExp with the i flag.
#pragma once

#include <string>
#include <string_view>

namespace actions::mapping::js {

std::string toUpperCase(std::string_view s);
std::string toLowerCase(std::string_view s);

// The RegExp "Canonicalize" of a non-unicode pattern with the i flag, per code point: the
// upper case of a UTF-16 unit when that is one unit and does not turn non-ASCII into ASCII.
char32_t canonicalizeIgnoringCase(char32_t cp);

}  // namespace actions::mapping::js
