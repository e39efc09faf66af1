// JavaScript's locale-independent case conversion, String.prototype.toUpperCase / toLowerCase:
// full mappings ("ß" upper-cases to "SS") and the final-sigma rule, for every module that
// reproduces it (mapping's @case and enum checks, liquid's upcase / downcase / capitalize).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actions::json::js_case {

// One character of the text being converted, as the caller decoded it.
struct Decoded {
  char32_t codePoint;
  std::size_t length;  // bytes, at least 1
};

// Decodes the character starting at byte `i` (< s.size()). The caller supplies its own decoder,
// so each module keeps its rule for malformed UTF-8: bytes it decodes as U+FFFD are copied to
// the output unchanged, any other character is written as the UTF-8 of its code point.
using Decoder = Decoded (*)(std::string_view s, std::size_t i);

void appendUpperCase(std::string_view s, Decoder decode, std::string& out);
void appendLowerCase(std::string_view s, Decoder decode, std::string& out);

// The full upper-case mapping of one code point (at most three), empty when it maps to itself.
std::u32string_view upperCaseOf(char32_t cp);

}  // namespace actions::json::js_case
