// JavaScript's rules for text, in one place for every module that reproduces them (mapping kit,
// liquid, subscriptions, validation): strings are sequences of UTF-16 code units, measured,
// indexed and compared as such; Number(string) has its own grammar; white space is a fixed set.
//
// The library holds strings as UTF-8, extended the way WTF-8 extends it so that every JavaScript
// string has a form: a surrogate code unit that is not half of a pair (what JSON.stringify writes
// as "\ud83d" when a string was cut inside an emoji) is kept as its own three-byte sequence
// (ED A0..BF 80..BF), while a pair is always the four-byte sequence of its character. The JSON
// reader produces that form, the JSON writer escapes such a unit back as \uXXXX, and the helpers
// below treat it as the single code unit it is.
//
// Bytes that are not UTF-8 in that sense decode by one rule everywhere: U+FFFD for each maximal
// ill-formed subpart, as JavaScript hosts decode bytes (TextDecoder, Buffer#toString).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::json::text {

inline constexpr char32_t kReplacementCharacter = 0xFFFD;

// One character (or lone surrogate, or ill-formed subpart) of a string.
struct Decoded {
  char32_t codePoint;
  std::size_t length;  // bytes, at least 1
};

namespace detail {
Decoded decodeMultiByte(std::string_view s, std::size_t i);
}

// The code point starting at byte `i` (< s.size()).
inline Decoded decodeAt(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return {c, 1};
  return detail::decodeMultiByte(s, i);
}
// The code point starting at byte `i` (< s.size()), moving `i` past it.
inline char32_t nextCodePoint(std::string_view s, std::size_t& i) {
  Decoded d = decodeAt(s, i);
  i += d.length;
  return d.codePoint;
}
// The code point ending just before byte `end` (> 0).
Decoded decodeBefore(std::string_view s, std::size_t end);

// Whether this process has made a lone surrogate's three bytes, which every maker of them
// (appendUtf8 and surrogateText, so the reader, slicing, indexing) notes. Until one has, no string
// holds one and findLoneSurrogate(const Value&) need not look: nearly every event never has one.
bool loneSurrogateSeen();
void noteLoneSurrogate();

// Appends `cp` as UTF-8 (a surrogate as its three-byte form).
inline void appendUtf8(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF) noteLoneSurrogate();
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Surrogates: the halves a character beyond U+FFFF takes in UTF-16.
constexpr bool isSurrogate(char32_t cp) {
  return cp >= 0xD800 && cp <= 0xDFFF;
}
constexpr bool isHighSurrogate(char32_t cp) {
  return cp >= 0xD800 && cp <= 0xDBFF;
}
constexpr bool isLowSurrogate(char32_t cp) {
  return cp >= 0xDC00 && cp <= 0xDFFF;
}
constexpr char16_t highSurrogateOf(char32_t cp) {
  return static_cast<char16_t>(0xD800 + ((cp - 0x10000) >> 10));
}
constexpr char16_t lowSurrogateOf(char32_t cp) {
  return static_cast<char16_t>(0xDC00 + ((cp - 0x10000) & 0x3FF));
}
constexpr char32_t joinSurrogates(char32_t high, char32_t low) {
  return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}
// UTF-16 code units of one code point.
constexpr std::size_t utf16Units(char32_t cp) {
  return cp >= 0x10000 ? 2 : 1;
}

// Byte offset of the first lone surrogate in `s`, or npos.
std::size_t findLoneSurrogate(std::string_view s);
inline bool hasLoneSurrogate(std::string_view s) {
  return findLoneSurrogate(s) != std::string_view::npos;
}
// Where in `v` a string (a key or a value) first holds a lone surrogate, as a path ("", "a.b",
// "list[2]", the key itself for a key), with the surrogate's \uXXXX escape; nothing when none
// does. For a value about to go where only whole characters can be stored.
struct LoneSurrogateAt {
  std::string path;
  std::string escape;  // "\\ud83d"
};
std::optional<LoneSurrogateAt> findLoneSurrogate(const Value& v);
// The \uXXXX escape of the lone surrogate at byte `at` of `s`.
std::string escapeOfSurrogateAt(std::string_view s, std::size_t at);

// Joins a high and a low surrogate that meet (after concatenation or slicing) into their
// character, as JavaScript reads such a string; lone ones stay.
void joinSurrogatePairs(std::string& s);

// JavaScript's `s.length`: UTF-16 code units.
std::size_t utf16Length(std::string_view s);
// Code points, a surrogate pair counting once and a lone surrogate once (ajv's string length,
// liquidjs's Array.from(s).length).
std::size_t codePointCount(std::string_view s);
// Byte offset reached from byte `from` after `count` code points (clamped to the end).
std::size_t advanceCodePoints(std::string_view s, std::size_t from, std::size_t count);
// Byte offset of UTF-16 index `units` (clamped to the end; inside a character beyond U+FFFF it
// points at the character's start, `splitsCharacter` telling the caller).
std::size_t offsetOfUtf16(std::string_view s, std::size_t units, bool* splitsCharacter = nullptr);
// JavaScript's `s[index]`: one UTF-16 code unit (half of a pair is a lone surrogate), or nothing
// past the end.
std::optional<std::string> codeUnitAt(std::string_view s, std::size_t index);

// The three bytes of a lone surrogate `unit` (0xD800..0xDFFF), as static text.
std::string_view surrogateText(char16_t unit);

// String.prototype.startsWith / endsWith / includes, by UTF-16 code unit: a needle that holds a
// lone surrogate matches half of a character in `s`, as in JavaScript.
bool startsWith(std::string_view s, std::string_view prefix);
bool endsWith(std::string_view s, std::string_view suffix);
bool includes(std::string_view s, std::string_view needle);

// The array index a property key names, as JavaScript reads keys: a canonical decimal ("0",
// "17"; not "01", "+1" or "1.0") below 2^32 - 1. Such keys come first in an object's key order.
std::optional<std::uint32_t> arrayIndex(std::string_view key);

// JavaScript's `a < b` for strings: UTF-16 code unit order (-1, 0, 1).
int compareUtf16(std::string_view a, std::string_view b);

// Bytes from outside read as text the way JavaScript hosts read them (TextDecoder,
// Buffer#toString): a maximal ill-formed subpart, and each byte of a surrogate's encoding,
// becomes U+FFFD.
std::string fromBytes(std::string_view bytes);
// String.prototype.toWellFormed in place: a lone surrogate becomes U+FFFD (what Node writes
// when it encodes a string as UTF-8), pairs that meet are joined.
void toWellFormed(std::string& s);

// The same string in UTF-16, and back (a lone surrogate keeps its place both ways).
std::u16string toUtf16(std::string_view s);
std::string fromUtf16(std::u16string_view s);

// JavaScript's WhiteSpace and LineTerminator code points: what String.prototype.trim, \s and
// Number("...") skip.
constexpr bool isJsWhitespace(char32_t c) {
  switch (c) {
    case 0x09:
    case 0x0A:
    case 0x0B:
    case 0x0C:
    case 0x0D:
    case 0x20:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0xFEFF:
      return true;
    default:
      return c >= 0x2000 && c <= 0x200A;
  }
}
std::string_view trimStart(std::string_view s);
std::string_view trimEnd(std::string_view s);
inline std::string_view trim(std::string_view s) {
  return trimEnd(trimStart(s));
}

// JavaScript's Number(s): white space trimmed, "" is 0, a decimal literal with an optional sign
// and exponent, [+-]Infinity, unsigned 0x / 0o / 0b integers (rounded to the nearest double,
// however long); anything else is NaN.
double toNumber(std::string_view s);

// String.prototype.toUpperCase / toLowerCase, locale-independent (json/js_case.h).
void appendUpper(std::string_view s, std::string& out);
void appendLower(std::string_view s, std::string& out);
std::string toUpper(std::string_view s);
std::string toLower(std::string_view s);

// Letters, marks and decimal digits (/[\p{L}\p{M}\p{Nd}]/u).
bool isLetterMarkOrDigit(char32_t cp);

}  // namespace actions::json::text
