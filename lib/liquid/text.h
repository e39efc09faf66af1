// UTF-8 text seen the way JavaScript sees strings. Liquid templates and their values are UTF-8
// here, but liquidjs measures, indexes, compares and case-maps UTF-16 strings; these helpers give
// the JavaScript answers over UTF-8. Half of an astral character (which JavaScript can split off)
// is carried as a three-byte surrogate sequence and repaired when the output is finished.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace actions::liquid::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

struct Decoded {
  char32_t codePoint;
  std::size_t length;  // bytes
};

// The code point starting at byte `i` (< s.size()). A byte that starts no valid sequence decodes
// as U+FFFD of length 1; surrogate sequences decode as the surrogate.
Decoded decodeAt(std::string_view s, std::size_t i);
// The code point ending just before byte `end` (> 0).
Decoded decodeBefore(std::string_view s, std::size_t end);
void appendUtf8(char32_t codePoint, std::string& out);

inline std::size_t utf16Units(char32_t codePoint) {
  return codePoint >= 0x10000 ? 2 : 1;
}
// JavaScript's `s.length`.
std::size_t utf16Length(std::string_view s);
std::size_t codePointCount(std::string_view s);
// Byte offset reached from byte `from` after `count` code points (clamped to the end).
std::size_t advanceCodePoints(std::string_view s, std::size_t from, std::size_t count);
// Byte offset of UTF-16 index `units` (clamped to the end; inside an astral character it points
// at the character's start, `splitsCharacter` telling the caller).
std::size_t offsetOfUtf16(std::string_view s, std::size_t units, bool* splitsCharacter = nullptr);

// JavaScript's `a < b` for strings: UTF-16 code unit order.
int compareUtf16(std::string_view a, std::string_view b);

// JavaScript's \s (WhiteSpace and LineTerminator).
bool isJsSpace(char32_t codePoint);
std::string_view trimStart(std::string_view s);
std::string_view trimEnd(std::string_view s);
inline std::string_view trim(std::string_view s) {
  return trimEnd(trimStart(s));
}

// String.prototype.toUpperCase / toLowerCase.
void appendUpper(std::string_view s, std::string& out);
void appendLower(std::string_view s, std::string& out);
std::string toUpper(std::string_view s);
std::string toLower(std::string_view s);

// Letters, marks and decimal digits (/[\p{L}\p{M}\p{Nd}]/u).
bool isLetterMarkOrDigit(char32_t codePoint);

// The string JavaScript's `s[index]` gives: one UTF-16 code unit, or nothing past the end.
std::optional<std::string> codeUnitAt(std::string_view s, std::size_t index);

// Joins surrogate halves that meet again into their character and replaces the others by
// U+FFFD, so finished output is valid UTF-8.
void repairSurrogates(std::string& s);

// 1-based line and column (in UTF-16 units, as liquidjs counts them) of byte `offset`.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view source, std::size_t offset);

}  // namespace actions::liquid::text
