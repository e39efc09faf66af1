#include "subscription/js_text.h"
#include "json/js_whitespace.h"
#include "json/utf8.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

#include "json/json.h"

namespace actions::subscription::js {

namespace {

// Bounds of the second byte of a sequence, by lead byte (the others are always 80..BF).
bool secondByteOk(unsigned char lead, unsigned char b) {
  if (lead == 0xE0) return b >= 0xA0 && b <= 0xBF;
  if (lead == 0xED) return b >= 0x80 && b <= 0x9F;
  if (lead == 0xF0) return b >= 0x90 && b <= 0xBF;
  if (lead == 0xF4) return b >= 0x80 && b <= 0x8F;
  return b >= 0x80 && b <= 0xBF;
}

bool isJsWhitespace(char32_t c) {
  return json::isJsWhitespace(c);
}

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

// StrDecimalLiteral without its sign: digits, optional fraction, optional exponent, at least
// one digit before the exponent.
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

// The value of a decimal literal too large or too small for from_chars: Infinity or 0,
// depending on where its first significant digit sits.
double outOfRange(std::string_view body) {
  std::size_t exponentAt = body.find_first_of("eE");
  std::string_view mantissa = body.substr(0, exponentAt);
  long long exponent = 0;
  if (exponentAt != std::string_view::npos) {
    std::string_view e = body.substr(exponentAt + 1);
    bool negative = !e.empty() && e[0] == '-';
    if (!e.empty() && (e[0] == '-' || e[0] == '+')) e.remove_prefix(1);
    for (char c : e) exponent = std::min<long long>(exponent * 10 + (c - '0'), 1'000'000'000);
    if (negative) exponent = -exponent;
  }
  std::size_t point = mantissa.find('.');
  if (point == std::string_view::npos) point = mantissa.size();
  std::size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return 0;
  long long magnitude = first < point ? static_cast<long long>(point - first)
                                      : -static_cast<long long>(first - point - 1);
  return magnitude + exponent > 0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

std::size_t sequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 1;
}

char32_t decodeAt(std::string_view s, std::size_t i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  std::size_t len = sequenceLength(b(0));
  if (i + len > s.size()) return 0xFFFD;
  switch (len) {
    case 1:
      return b(0);
    case 2:
      return (char32_t(b(0) & 0x1F) << 6) | (b(1) & 0x3F);
    case 3:
      return (char32_t(b(0) & 0x0F) << 12) | (char32_t(b(1) & 0x3F) << 6) | (b(2) & 0x3F);
    default:
      return (char32_t(b(0) & 0x07) << 18) | (char32_t(b(1) & 0x3F) << 12) |
             (char32_t(b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  }
}

std::u16string toUtf16(std::string_view s) {
  std::u16string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    unsigned char lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      out.push_back(lead);
      ++i;
      continue;
    }
    std::size_t len = sequenceLength(lead);
    if (len == 1) {  // a stray continuation byte or an impossible lead
      out.push_back(0xFFFD);
      ++i;
      continue;
    }
    // Consume the longest well-formed prefix; an incomplete one is a single U+FFFD.
    std::size_t k = 1;
    while (k < len && i + k < s.size()) {
      unsigned char b = static_cast<unsigned char>(s[i + k]);
      bool ok = k == 1 ? secondByteOk(lead, b) : (b >= 0x80 && b <= 0xBF);
      if (!ok) break;
      ++k;
    }
    if (k < len) {
      out.push_back(0xFFFD);
      i += k;
      continue;
    }
    char32_t cp = decodeAt(s, i);
    if (cp >= 0x10000) {
      out.push_back(highSurrogateOf(cp));
      out.push_back(lowSurrogateOf(cp));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
    i += len;
  }
  return out;
}

void appendUtf8(char32_t cp, std::string& out) {
  json::appendUtf8(cp, out);
}

std::string toUtf8(std::u16string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    char16_t u = s[i];
    if (u >= 0xD800 && u <= 0xDBFF && i + 1 < s.size() && s[i + 1] >= 0xDC00 &&
        s[i + 1] <= 0xDFFF) {
      appendUtf8(0x10000 + ((char32_t(u) - 0xD800) << 10) + (s[i + 1] - 0xDC00), out);
      ++i;
    } else if (u >= 0xD800 && u <= 0xDFFF) {
      appendUtf8(0xFFFD, out);
    } else {
      appendUtf8(u, out);
    }
  }
  return out;
}

std::size_t utf16Length(std::string_view s) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = sequenceLength(static_cast<unsigned char>(s[i]));
    units += len == 4 ? 2 : 1;
    i += len;
  }
  return units;
}

double stringToNumber(std::string_view s) {
  // Trim JavaScript whitespace (which includes a few multi-byte characters) from both ends.
  std::size_t begin = 0, end = s.size();
  while (begin < end) {
    std::size_t len = sequenceLength(static_cast<unsigned char>(s[begin]));
    if (begin + len > end || !isJsWhitespace(decodeAt(s, begin))) break;
    begin += len;
  }
  while (end > begin) {
    std::size_t start = end - 1;
    while (start > begin && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
    if (start + sequenceLength(static_cast<unsigned char>(s[start])) != end ||
        !isJsWhitespace(decodeAt(s, start)))
      break;
    end = start;
  }
  std::string_view t = s.substr(begin, end - begin);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (t.empty()) return 0;
  if (t.size() > 2 && t[0] == '0') {
    char p = t[1];
    if (p == 'x' || p == 'X') return radixInteger(t.substr(2), 4);
    if (p == 'o' || p == 'O') return radixInteger(t.substr(2), 3);
    if (p == 'b' || p == 'B') return radixInteger(t.substr(2), 1);
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
  if (!isDecimalLiteral(body)) return nan;
  double value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
  if (ec == std::errc::result_out_of_range) value = outOfRange(body);
  return negative ? -value : value;
}

std::string numberToString(double d) {
  std::string out;
  json::appendNumber(d, out);
  return out;
}

}  // namespace actions::subscription::js
