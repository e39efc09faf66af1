#include "liquid/text.h"
#include "json/js_case.h"
#include "json/js_unicode_tables.h"
#include "json/js_whitespace.h"
#include "json/utf8.h"

#include <algorithm>

namespace actions::liquid::text {
namespace {

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

bool isSurrogate(char32_t cp) {
  return cp >= 0xD800 && cp <= 0xDFFF;
}

// The shared case conversion walks the string with liquid's own UTF-8 decoding.
json::js_case::Decoded decodeForCase(std::string_view s, std::size_t i) {
  Decoded d = decodeAt(s, i);
  return {d.codePoint, d.length};
}

}  // namespace

Decoded decodeAt(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  unsigned char c = p[0];
  if (c < 0x80) return {c, 1};
  std::size_t need;
  char32_t cp;
  char32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1, cp = c & 0x1F, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2, cp = c & 0x0F, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3, cp = c & 0x07, min = 0x10000;
  } else {
    return {kReplacementCharacter, 1};
  }
  if (left <= need) return {kReplacementCharacter, 1};
  for (std::size_t k = 1; k <= need; ++k) {
    if (!isContinuation(p[k])) return {kReplacementCharacter, 1};
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF) return {kReplacementCharacter, 1};
  return {cp, need + 1};
}

Decoded decodeBefore(std::string_view s, std::size_t end) {
  std::size_t start = end - 1;
  std::size_t steps = 0;
  while (start > 0 && steps < 3 && isContinuation(static_cast<unsigned char>(s[start]))) {
    --start;
    ++steps;
  }
  Decoded d = decodeAt(s, start);
  if (start + d.length == end) return d;
  return {kReplacementCharacter, 1};
}

void appendUtf8(char32_t cp, std::string& out) {
  json::appendUtf8(cp, out);
}

std::size_t utf16Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if (!isContinuation(c)) ++n;
    if (c >= 0xF0) ++n;  // a four-byte sequence is two UTF-16 units
  }
  return n;
}

std::size_t codePointCount(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); i += decodeAt(s, i).length) ++n;
  return n;
}

std::size_t advanceCodePoints(std::string_view s, std::size_t from, std::size_t count) {
  std::size_t i = from;
  for (std::size_t k = 0; k < count && i < s.size(); ++k) i += decodeAt(s, i).length;
  return std::min(i, s.size());
}

std::size_t offsetOfUtf16(std::string_view s, std::size_t units, bool* splitsCharacter) {
  if (splitsCharacter) *splitsCharacter = false;
  std::size_t i = 0;
  std::size_t u = 0;
  while (i < s.size() && u < units) {
    Decoded d = decodeAt(s, i);
    std::size_t w = utf16Units(d.codePoint);
    if (u + w > units) {
      if (splitsCharacter) *splitsCharacter = true;
      return i;
    }
    u += w;
    i += d.length;
  }
  return i;
}

int compareUtf16(std::string_view a, std::string_view b) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() && j < b.size()) {
    Decoded x = decodeAt(a, i);
    Decoded y = decodeAt(b, j);
    if (x.codePoint != y.codePoint) {
      // An astral character compares as its leading surrogate (0xD800-0xDBFF).
      auto key = [](char32_t cp) -> char32_t {
        return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp;
      };
      char32_t kx = key(x.codePoint);
      char32_t ky = key(y.codePoint);
      if (kx == ky) return x.codePoint < y.codePoint ? -1 : 1;
      return kx < ky ? -1 : 1;
    }
    i += x.length;
    j += y.length;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

bool isJsSpace(char32_t cp) {
  return json::isJsWhitespace(cp);
}

std::string_view trimStart(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    Decoded d = decodeAt(s, i);
    if (!isJsSpace(d.codePoint)) break;
    i += d.length;
  }
  return s.substr(i);
}

std::string_view trimEnd(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0) {
    Decoded d = decodeBefore(s, end);
    if (!isJsSpace(d.codePoint)) break;
    end -= d.length;
  }
  return s.substr(0, end);
}

void appendUpper(std::string_view s, std::string& out) {
  json::js_case::appendUpperCase(s, decodeForCase, out);
}

void appendLower(std::string_view s, std::string& out) {
  json::js_case::appendLowerCase(s, decodeForCase, out);
}

std::string toUpper(std::string_view s) {
  std::string out;
  appendUpper(s, out);
  return out;
}

std::string toLower(std::string_view s) {
  std::string out;
  appendLower(s, out);
  return out;
}

bool isLetterMarkOrDigit(char32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  return json::js_unicode::inRanges(json::js_unicode::kLetterMarkOrDigit,
                                    json::js_unicode::kLetterMarkOrDigitSize, cp);
}

std::optional<std::string> codeUnitAt(std::string_view s, std::size_t index) {
  std::size_t u = 0;
  for (std::size_t i = 0; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (d.codePoint >= 0x10000) {
      if (index == u || index == u + 1) {
        char32_t v = d.codePoint - 0x10000;
        std::string out;
        appendUtf8(index == u ? 0xD800 + (v >> 10) : 0xDC00 + (v & 0x3FF), out);
        return out;
      }
      u += 2;
    } else {
      if (index == u) return std::string(s.substr(i, d.length));
      u += 1;
    }
    i += d.length;
  }
  return std::nullopt;
}

void repairSurrogates(std::string& s) {
  // Surrogates are encoded ED A0..BF xx; nothing to do in the common case.
  if (s.find('\xED') == std::string::npos) return;
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (!isSurrogate(d.codePoint)) {
      out.append(s, i, d.length);
      i += d.length;
      continue;
    }
    if (d.codePoint < 0xDC00 && i + d.length < s.size()) {
      Decoded next = decodeAt(s, i + d.length);
      if (next.codePoint >= 0xDC00 && next.codePoint <= 0xDFFF) {
        appendUtf8(0x10000 + ((d.codePoint - 0xD800) << 10) + (next.codePoint - 0xDC00), out);
        i += d.length + next.length;
        continue;
      }
    }
    appendUtf8(kReplacementCharacter, out);
    i += d.length;
  }
  s.swap(out);
}

std::pair<std::size_t, std::size_t> lineColumn(std::string_view source, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  offset = std::min(offset, source.size());
  for (std::size_t i = 0; i < offset; ++i) {
    unsigned char c = static_cast<unsigned char>(source[i]);
    if (c == '\n') {
      ++line;
      column = 1;
    } else if (!isContinuation(c)) {
      column += c >= 0xF0 ? 2 : 1;
    }
  }
  return {line, column};
}

}  // namespace actions::liquid::text
