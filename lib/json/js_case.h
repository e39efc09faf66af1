// JavaScript's locale-independent case conversion, String.prototype.toUpperCase / toLowerCase:
// full mappings ("ß" upper-cases to "SS") and the final-sigma rule, for every module that
// reproduces it (mapping's @case and enum checks, liquid's upcase / downcase / capitalize).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actions::json::js_case {

// The text is decoded by json/js_text.h's rule: bytes that decode as U+FFFD (ill-formed input)
// are copied to the output unchanged, a lone surrogate stays as it is, any other character is
// written as the UTF-8 of its mapping.
void appendUpperCase(std::string_view s, std::string& out);
void appendLowerCase(std::string_view s, std::string& out);

// The full upper-case mapping of one code point (at most three), empty when it maps to itself.
std::u32string_view upperCaseOf(char32_t cp);

}  // namespace actions::json::js_case
