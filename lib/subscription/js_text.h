// JavaScript's view of text, which upstream's lexer and comparisons are defined in: strings are
// UTF-16 code units, Number("...") has its own grammar. Kept apart from the lexer so both the
// parser and the evaluator share one definition.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actions::subscription::js {

// UTF-8 to UTF-16. Ill-formed input becomes U+FFFD per maximal subpart, as a JavaScript host
// (TextDecoder, process.argv) decodes it.
std::u16string toUtf16(std::string_view utf8);

// UTF-16 to UTF-8. A lone surrogate is written as U+FFFD (tokens never contain one).
std::string toUtf8(std::u16string_view utf16);

// Appends one code point (or lone code unit) as UTF-8.
void appendUtf8(char32_t codePoint, std::string& out);

// Length of a well-formed UTF-8 sequence starting with `lead` (1 for anything unexpected).
std::size_t sequenceLength(unsigned char lead);

// Decodes the well-formed sequence at `s[i]`.
char32_t decodeAt(std::string_view s, std::size_t i);

// JavaScript's String.prototype.length of a well-formed UTF-8 string.
std::size_t utf16Length(std::string_view utf8);

// JavaScript's Number(string): whitespace trimmed, "" is 0, decimal with optional exponent,
// "Infinity", 0x / 0o / 0b integers; anything else is NaN.
double stringToNumber(std::string_view utf8);

// JavaScript's String(number).
std::string numberToString(double d);

// The low surrogate of a supplementary code point.
inline char16_t lowSurrogateOf(char32_t cp) {
  return static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
}
inline char16_t highSurrogateOf(char32_t cp) {
  return static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
}

}  // namespace actions::subscription::js
