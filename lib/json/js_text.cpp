#include "json/js_text.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "json/js_case.h"
#include "json/js_unicode_tables.h"

namespace actions::json::text {
namespace {

bool isContinuation(unsigned char c) {
  return (c & 0xC0) == 0x80;
}

// Eight bytes at `p` are all ASCII.
bool asciiWord(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return (w & 0x8080808080808080ull) == 0;
}

}  // namespace

namespace {
std::atomic<bool> loneSurrogateMade{false};
}  // namespace

bool loneSurrogateSeen() {
  return loneSurrogateMade.load(std::memory_order_relaxed);
}

void noteLoneSurrogate() {
  if (!loneSurrogateSeen()) loneSurrogateMade.store(true, std::memory_order_relaxed);
}

namespace detail {

// The UTF-8 decoder of the Encoding Standard, with one difference: a surrogate's three-byte
// sequence (ED A0..BF xx) is that surrogate, the library's form of a lone one.
Decoded decodeMultiByte(std::string_view s, std::size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  const std::size_t left = s.size() - i;
  unsigned char c = p[0];
  std::size_t need;
  unsigned char lower = 0x80, upper = 0xBF;  // bounds of the second byte
  char32_t cp;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1, cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2, cp = c & 0x0F;
    if (c == 0xE0) lower = 0xA0;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3, cp = c & 0x07;
    if (c == 0xF0) lower = 0x90;
    if (c == 0xF4) upper = 0x8F;
  } else {
    return {kReplacementCharacter, 1};
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (k >= left) return {kReplacementCharacter, k};
    unsigned char b = p[k];
    if (k == 1 ? (b < lower || b > upper) : !isContinuation(b))
      return {kReplacementCharacter, k};  // the maximal subpart ends before this byte
    cp = (cp << 6) | (b & 0x3F);
  }
  return {cp, need + 1};
}

}  // namespace detail

Decoded decodeBefore(std::string_view s, std::size_t end) {
  std::size_t start = end - 1;
  for (int steps = 0;
       start > 0 && steps < 3 && isContinuation(static_cast<unsigned char>(s[start])); ++steps)
    --start;
  Decoded d = decodeAt(s, start);
  if (start + d.length == end) return d;
  return {kReplacementCharacter, 1};
}

std::size_t findLoneSurrogate(std::string_view s) {
  const char* begin = s.data();
  const char* end = begin + s.size();
  for (const char* p = begin; (p = static_cast<const char*>(std::memchr(p, '\xED', end - p)));
       ++p) {
    if (end - p >= 3 && static_cast<unsigned char>(p[1]) >= 0xA0 &&
        isContinuation(static_cast<unsigned char>(p[2])))
      return static_cast<std::size_t>(p - begin);
  }
  return std::string_view::npos;
}

std::string escapeOfSurrogateAt(std::string_view s, std::size_t at) {
  static constexpr char kHex[] = "0123456789abcdef";
  char32_t unit = decodeAt(s, at).codePoint;
  std::string out = "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out.push_back(kHex[(unit >> shift) & 0xF]);
  return out;
}

namespace {

std::string_view viewOf(const Value& s) {
  return {s.GetString(), s.GetStringLength()};
}

// Depth-first, without recursion: `v` may nest as deep as the reader allows.
std::optional<LoneSurrogateAt> searchValue(const Value& root) {
  struct Step {
    const Value* value;
    std::string path;
  };
  std::vector<Step> stack{{&root, ""}};
  while (!stack.empty()) {
    Step step = std::move(stack.back());
    stack.pop_back();
    const Value& v = *step.value;
    if (v.IsString()) {
      std::size_t at = findLoneSurrogate(viewOf(v));
      if (at != std::string_view::npos)
        return LoneSurrogateAt{step.path, escapeOfSurrogateAt(viewOf(v), at)};
    } else if (v.IsObject()) {
      for (auto m = v.MemberEnd(); m != v.MemberBegin();) {
        --m;  // pushed last to first, so the first member is looked at first
        std::string_view key = viewOf(m->name);
        std::string path =
            step.path.empty() ? std::string(key) : step.path + "." + std::string(key);
        std::size_t at = findLoneSurrogate(key);
        if (at != std::string_view::npos)
          return LoneSurrogateAt{path, escapeOfSurrogateAt(key, at)};
        stack.push_back({&m->value, std::move(path)});
      }
    } else if (v.IsArray()) {
      for (rapidjson::SizeType i = v.Size(); i-- > 0;)
        stack.push_back({&v[i], step.path + "[" + std::to_string(i) + "]"});
    }
  }
  return std::nullopt;
}

// Whether any string of `v` has the byte that starts every lone surrogate: the quick test that
// nearly every value passes.
bool mayHoldLoneSurrogate(const Value& v, unsigned depth) {
  if (v.IsString()) return std::memchr(v.GetString(), '\xED', v.GetStringLength()) != nullptr;
  if (depth > kMaxDepth) return true;  // the exact search decides, without recursion
  if (v.IsObject()) {
    for (const auto& m : v.GetObject())
      if (std::memchr(m.name.GetString(), '\xED', m.name.GetStringLength()) ||
          mayHoldLoneSurrogate(m.value, depth + 1))
        return true;
  } else if (v.IsArray()) {
    for (const auto& e : v.GetArray())
      if (mayHoldLoneSurrogate(e, depth + 1)) return true;
  }
  return false;
}

}  // namespace

std::optional<LoneSurrogateAt> findLoneSurrogate(const Value& v) {
  if (!loneSurrogateSeen() || !mayHoldLoneSurrogate(v, 0)) return std::nullopt;
  return searchValue(v);
}

void joinSurrogatePairs(std::string& s) {
  std::size_t at = findLoneSurrogate(s);
  if (at == std::string::npos) return;
  std::string out(s, 0, at);
  out.reserve(s.size());
  for (std::size_t i = at; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (isHighSurrogate(d.codePoint) && i + d.length < s.size()) {
      Decoded next = decodeAt(s, i + d.length);
      if (isLowSurrogate(next.codePoint)) {
        appendUtf8(joinSurrogates(d.codePoint, next.codePoint), out);
        i += d.length + next.length;
        continue;
      }
    }
    out.append(s, i, d.length);
    i += d.length;
  }
  s.swap(out);
}

std::string fromBytes(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t i = 0; i < bytes.size();) {
    Decoded d = decodeAt(bytes, i);
    if (isSurrogate(d.codePoint)) {
      // To the Encoding Standard's decoder ED is followed only by 80..9F: each of the three
      // bytes is a subpart of its own.
      for (int k = 0; k < 3; ++k) appendUtf8(kReplacementCharacter, out);
    } else if (d.codePoint == kReplacementCharacter &&
               bytes.substr(i, d.length) != "\xEF\xBF\xBD") {
      appendUtf8(kReplacementCharacter, out);  // an ill-formed subpart, not U+FFFD itself
    } else {
      out.append(bytes.substr(i, d.length));
    }
    i += d.length;
  }
  return out;
}

void toWellFormed(std::string& s) {
  joinSurrogatePairs(s);
  std::size_t at = findLoneSurrogate(s);
  if (at == std::string::npos) return;
  std::string out(s, 0, at);
  out.reserve(s.size());
  for (std::size_t i = at; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (isSurrogate(d.codePoint))
      appendUtf8(kReplacementCharacter, out);
    else
      out.append(s, i, d.length);
    i += d.length;
  }
  s.swap(out);
}

namespace {

// The characters of `s`, each counted as `weight` of its code point says; eight ASCII bytes (eight
// characters of weight 1) at a time.
template <class Weight>
std::size_t countCharacters(std::string_view s, Weight weight) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s.size() - i >= 8 && asciiWord(s.data() + i)) {
      i += 8;
      n += 8;
      continue;
    }
    Decoded d = decodeAt(s, i);
    n += weight(d.codePoint);
    i += d.length;
  }
  return n;
}

}  // namespace

std::size_t utf16Length(std::string_view s) {
  return countCharacters(s, utf16Units);
}

std::size_t codePointCount(std::string_view s) {
  return countCharacters(s, [](char32_t) { return std::size_t{1}; });
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

std::optional<std::string> codeUnitAt(std::string_view s, std::size_t index) {
  std::size_t u = 0;
  for (std::size_t i = 0; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (d.codePoint >= 0x10000) {
      if (index == u || index == u + 1) {
        std::string out;
        appendUtf8(index == u ? highSurrogateOf(d.codePoint) : lowSurrogateOf(d.codePoint), out);
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

namespace {

// Every surrogate's three bytes, in order.
struct SurrogateTable {
  char bytes[0x800 * 3];
  constexpr SurrogateTable() : bytes() {
    for (unsigned u = 0; u < 0x800; ++u) {
      unsigned unit = 0xD800 + u;
      bytes[3 * u] = static_cast<char>(0xE0 | (unit >> 12));
      bytes[3 * u + 1] = static_cast<char>(0x80 | ((unit >> 6) & 0x3F));
      bytes[3 * u + 2] = static_cast<char>(0x80 | (unit & 0x3F));
    }
  }
};
constexpr SurrogateTable kSurrogates;

}  // namespace

std::string_view surrogateText(char16_t unit) {
  noteLoneSurrogate();
  return {kSurrogates.bytes + 3 * (unit - 0xD800u), 3};
}

// With no lone surrogate in the needle, bytes match exactly where code units match: both sides
// then meet only on whole characters (a pair is always one four-byte sequence).
bool startsWith(std::string_view s, std::string_view prefix) {
  if (!hasLoneSurrogate(prefix)) return s.substr(0, prefix.size()) == prefix;
  std::u16string a = toUtf16(s), b = toUtf16(prefix);
  return std::u16string_view(a).substr(0, b.size()) == b;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  if (!hasLoneSurrogate(suffix))
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  std::u16string a = toUtf16(s), b = toUtf16(suffix);
  return a.size() >= b.size() && std::u16string_view(a).substr(a.size() - b.size()) == b;
}

bool includes(std::string_view s, std::string_view needle) {
  if (!hasLoneSurrogate(needle)) return s.find(needle) != std::string_view::npos;
  std::u16string a = toUtf16(s), b = toUtf16(needle);
  return std::u16string_view(a).find(b) != std::u16string_view::npos;
}

namespace {

// A string's UTF-16 code units, one at a time.
class CodeUnits {
 public:
  CodeUnits(std::string_view s, std::size_t from) : s_(s), i_(from) {}
  bool done() const { return pending_ == 0 && i_ >= s_.size(); }
  char16_t next() {
    if (pending_) return std::exchange(pending_, char16_t{0});
    Decoded d = decodeAt(s_, i_);
    i_ += d.length;
    if (d.codePoint < 0x10000) return static_cast<char16_t>(d.codePoint);
    pending_ = lowSurrogateOf(d.codePoint);
    return highSurrogateOf(d.codePoint);
  }

 private:
  std::string_view s_;
  std::size_t i_;
  char16_t pending_ = 0;
};

}  // namespace

std::optional<std::uint32_t> arrayIndex(std::string_view key) {
  if (key.empty() || key.size() > 10 || (key.size() > 1 && key[0] == '0')) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : key) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + static_cast<unsigned>(c - '0');
  }
  if (n >= 4294967295ull) return std::nullopt;
  return static_cast<std::uint32_t>(n);
}

int compareUtf16(std::string_view a, std::string_view b) {
  // Up to the first byte that differs the strings are the same; from the start of the character
  // holding it they are compared by code unit (byte order differs from UTF-16 order only
  // between characters beyond U+FFFF and those from U+E000).
  std::size_t same = static_cast<std::size_t>(
      std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
      a.begin());
  auto insideCharacter = [&](std::size_t k) {
    return (k < a.size() && isContinuation(static_cast<unsigned char>(a[k]))) ||
           (k < b.size() && isContinuation(static_cast<unsigned char>(b[k])));
  };
  while (same > 0 && insideCharacter(same)) --same;
  CodeUnits x(a, same), y(b, same);
  while (!x.done() && !y.done()) {
    char16_t u = x.next(), v = y.next();
    if (u != v) return u < v ? -1 : 1;
  }
  if (!x.done()) return 1;
  if (!y.done()) return -1;
  return 0;
}

std::u16string toUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    Decoded d = decodeAt(s, i);
    if (d.codePoint >= 0x10000) {
      out.push_back(highSurrogateOf(d.codePoint));
      out.push_back(lowSurrogateOf(d.codePoint));
    } else {
      out.push_back(static_cast<char16_t>(d.codePoint));
    }
    i += d.length;
  }
  return out;
}

std::string fromUtf16(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char16_t u = s[i];
    if (isHighSurrogate(u) && i + 1 < s.size() && isLowSurrogate(s[i + 1])) {
      appendUtf8(joinSurrogates(u, s[i + 1]), out);
      ++i;
    } else {
      appendUtf8(u, out);
    }
  }
  return out;
}

std::string_view trimStart(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    Decoded d = decodeAt(s, i);
    if (!isJsWhitespace(d.codePoint)) break;
    i += d.length;
  }
  return s.substr(i);
}

std::string_view trimEnd(std::string_view s) {
  std::size_t end = s.size();
  while (end > 0) {
    Decoded d = decodeBefore(s, end);
    if (!isJsWhitespace(d.codePoint)) break;
    end -= d.length;
  }
  return s.substr(0, end);
}

namespace {

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// An integer in base 2, 8 or 16, rounded to the nearest double (ties to even) as JavaScript
// does, however many digits it has.
double radixInteger(std::string_view digits, int bitsPerDigit) {
  const int radix = 1 << bitsPerDigit;
  std::uint64_t top = 0;  // the first (up to) 64 significant bits
  int topBits = 0;
  long long droppedBits = 0;  // significant bits beyond the first 64
  bool sticky = false;        // any of the dropped bits set
  for (char c : digits) {
    int d = digitValue(c);
    if (d >= radix) return std::numeric_limits<double>::quiet_NaN();
    for (int b = bitsPerDigit - 1; b >= 0; --b) {
      unsigned bit = (d >> b) & 1;
      if (topBits == 0 && bit == 0) continue;  // leading zero
      if (topBits < 64) {
        top = (top << 1) | bit;
        ++topBits;
      } else {
        sticky = sticky || bit;
        ++droppedBits;
      }
    }
  }
  if (topBits <= 53) return static_cast<double>(top);
  int drop = topBits - 53;
  std::uint64_t keep = top >> drop;
  std::uint64_t rest = top & ((std::uint64_t{1} << drop) - 1);
  std::uint64_t half = std::uint64_t{1} << (drop - 1);
  if (rest > half || (rest == half && (sticky || (keep & 1)))) ++keep;
  long long exponent = drop + droppedBits;
  if (exponent > 2000) return std::numeric_limits<double>::infinity();
  return std::ldexp(static_cast<double>(keep), static_cast<int>(exponent));
}

// StrUnsignedDecimalLiteral without Infinity: digits, optional fraction, optional exponent, at
// least one digit before the exponent.
bool isDecimalLiteral(std::string_view s) {
  std::size_t i = 0, n = s.size(), mantissaDigits = 0;
  while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++mantissaDigits;
  if (i < n && s[i] == '.') {
    ++i;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++mantissaDigits;
  }
  if (mantissaDigits == 0) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t expDigits = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') ++i, ++expDigits;
    if (expDigits == 0) return false;
  }
  return i == n;
}

}  // namespace

double toNumber(std::string_view s) {
  std::string_view t = trim(s);
  if (t.empty()) return 0;
  if (t.size() > 2 && t[0] == '0') {
    switch (t[1]) {
      case 'x':
      case 'X':
        return radixInteger(t.substr(2), 4);
      case 'o':
      case 'O':
        return radixInteger(t.substr(2), 3);
      case 'b':
      case 'B':
        return radixInteger(t.substr(2), 1);
      default:
        break;
    }
  }
  bool negative = false;
  std::string_view body = t;
  if (body[0] == '+' || body[0] == '-') {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "Infinity") {
    return negative ? -std::numeric_limits<double>::infinity()
                    : std::numeric_limits<double>::infinity();
  }
  if (!isDecimalLiteral(body)) return std::numeric_limits<double>::quiet_NaN();
  double value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec == std::errc::result_out_of_range) {
    // Beyond the range of a double, or in its subnormal range: strtod rounds both as JavaScript
    // does (to Infinity, to 0, or to the nearest subnormal).
    value = std::strtod(std::string(body).c_str(), nullptr);
  } else if (ec != std::errc() || ptr != body.data() + body.size()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return negative ? -value : value;
}

void appendUpper(std::string_view s, std::string& out) {
  js_case::appendUpperCase(s, out);
}

void appendLower(std::string_view s, std::string& out) {
  js_case::appendLowerCase(s, out);
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
  return js_unicode::inRanges(js_unicode::kLetterMarkOrDigit, js_unicode::kLetterMarkOrDigitSize,
                              cp);
}

}  // namespace actions::json::text
