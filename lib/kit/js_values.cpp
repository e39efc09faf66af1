#include "kit/js_values.h"
#include "json/js_whitespace.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>

namespace actions::kit::js {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool isDigitIn(char c, int radix) {
  int d = (c >= '0' && c <= '9')   ? c - '0'
          : (c >= 'a' && c <= 'z') ? c - 'a' + 10
          : (c >= 'A' && c <= 'Z') ? c - 'A' + 10
                                   : 99;
  return d < radix;
}

// 0x / 0o / 0b literals (no sign allowed, as in JavaScript).
double radixLiteral(std::string_view s, int radix) {
  if (s.empty()) return kNaN;
  for (char c : s)
    if (!isDigitIn(c, radix)) return kNaN;
  if (radix == 16) {
    // strtod reads hexadecimal exactly, rounding once like JavaScript.
    std::string text = "0x" + std::string(s);
    return std::strtod(text.c_str(), nullptr);
  }
  double v = 0;
  for (char c : s) v = v * radix + (c - '0');
  return v;
}

// StrDecimalLiteral: [+-] (Infinity | digits [. digits] | . digits) [(e|E) [+-] digits]
double decimalLiteral(std::string_view s) {
  std::size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::string_view rest = s.substr(i);
  if (rest == "Infinity") return negative ? -HUGE_VAL : HUGE_VAL;
  std::size_t intDigits = 0, fracDigits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++intDigits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++fracDigits;
  }
  if (intDigits + fracDigits == 0) return kNaN;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    std::size_t expDigits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++expDigits;
    if (expDigits == 0) return kNaN;
  }
  if (i != s.size()) return kNaN;
  std::string text(s);
  return std::strtod(text.c_str(), nullptr);
}

std::string_view trimJs(std::string_view s) {
  std::size_t start = 0, end = s.size();
  for (;;) {
    std::size_t j = start;
    if (j >= end || !isWhiteSpace(nextCodePoint(s, j))) break;
    start = j;
  }
  while (end > start) {
    // Step back over one code point.
    std::size_t k = end - 1;
    while (k > start && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) --k;
    std::size_t j = k;
    if (!isWhiteSpace(nextCodePoint(s, j)) || j != end) break;
    end = k;
  }
  return s.substr(start, end - start);
}

}  // namespace

bool isWhiteSpace(char32_t c) {
  return json::isJsWhitespace(c);
}

char32_t nextCodePoint(std::string_view s, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  if (b < 0x80) {
    ++i;
    return b;
  }
  int extra = (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2 : (b & 0xF8) == 0xF0 ? 3 : -1;
  if (extra < 0) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = b & (0x3F >> extra);
  for (int k = 1; k <= extra; ++k) {
    if (i + k >= s.size() || (byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  i += extra + 1;
  return c;
}

std::size_t codePointLength(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size();) {
    if (s.size() - i >= 8) {  // eight ASCII characters are eight code points
      std::uint64_t w;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        n += 8;
        continue;
      }
    }
    nextCodePoint(s, i);
    ++n;
  }
  return n;
}

double toNumber(std::string_view raw) {
  std::string_view s = trimJs(raw);
  if (s.empty()) return 0;
  if (s.size() > 2 && s[0] == '0') {
    char p = s[1];
    if (p == 'x' || p == 'X') return radixLiteral(s.substr(2), 16);
    if (p == 'o' || p == 'O') return radixLiteral(s.substr(2), 8);
    if (p == 'b' || p == 'B') return radixLiteral(s.substr(2), 2);
  }
  return decimalLiteral(s);
}

bool deepEqual(const json::Value& a, const json::Value& b) {
  if (a.IsNumber() && b.IsNumber()) return json::toDouble(a) == json::toDouble(b);
  if (a.GetType() != b.GetType()) {
    // RapidJSON keeps true and false as different types; both are booleans.
    return a.IsBool() && b.IsBool() && a.GetBool() == b.GetBool();
  }
  switch (a.GetType()) {
    case rapidjson::kNullType:
    case rapidjson::kTrueType:
    case rapidjson::kFalseType:
      return true;
    case rapidjson::kStringType:
      return view(a) == view(b);
    case rapidjson::kArrayType: {
      if (a.Size() != b.Size()) return false;
      for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
        if (!deepEqual(a[i], b[i])) return false;
      return true;
    }
    case rapidjson::kObjectType: {
      if (a.MemberCount() != b.MemberCount()) return false;
      for (const auto& m : a.GetObject()) {
        auto it = b.FindMember(m.name);
        if (it == b.MemberEnd() || !deepEqual(m.value, it->value)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

const char* describeType(const json::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsArray()) return "an array";
  if (v.IsObject()) return "an object";
  if (v.IsString()) return "a string";
  if (v.IsNumber()) return "a number";
  return "a boolean";
}

bool isInteger(const json::Value& number) {
  if (number.IsInt64() || number.IsUint64()) return true;
  double d = json::toDouble(number);
  return std::isfinite(d) && std::fmod(d, 1.0) == 0;
}

}  // namespace actions::kit::js
