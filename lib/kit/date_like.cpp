#include "kit/date_like.h"

#include <array>
#include <cmath>
#include <string>

#include "json/js_date.h"
#include "json/js_text.h"
#include "json/json.h"
#include "kit/js_values.h"

namespace actions::kit {
namespace {

constexpr double kMaxTimeMs = 8.64e15;  // the range of a JavaScript Date, either side of 1970

// ---------------------------------------------------------------------------------------------
// dayjs's own pattern, tried before the Date parser for strings that do not end in "Z":
//   ^(\d{4})[-/]?(\d{1,2})?[-/]?(\d{0,2})[Tt\s]*(\d{1,2})?:?(\d{1,2})?:?(\d{1,2})?[.:]?(\d+)?$
// Every match builds a valid local date, so only whether it matches matters. The pattern is a
// sequence of character classes with repetition bounds, matched by backtracking.

enum class CharClass { Digit, DashSlash, TimeSep, Colon, DotColon };

struct Element {
  CharClass cls;
  int min;
  int max;  // -1: unbounded
};

constexpr std::array<Element, 13> kDayjsPattern = {{
    {CharClass::Digit, 4, 4},
    {CharClass::DashSlash, 0, 1},
    {CharClass::Digit, 0, 2},  // (\d{1,2})? : zero, one or two digits
    {CharClass::DashSlash, 0, 1},
    {CharClass::Digit, 0, 2},
    {CharClass::TimeSep, 0, -1},
    {CharClass::Digit, 0, 2},
    {CharClass::Colon, 0, 1},
    {CharClass::Digit, 0, 2},
    {CharClass::Colon, 0, 1},
    {CharClass::Digit, 0, 2},
    {CharClass::DotColon, 0, 1},
    {CharClass::Digit, 0, -1},
}};

bool inClass(CharClass cls, char32_t c) {
  switch (cls) {
    case CharClass::Digit:
      return c >= '0' && c <= '9';
    case CharClass::DashSlash:
      return c == '-' || c == '/';
    case CharClass::TimeSep:
      return c == 'T' || c == 't' || json::text::isJsWhitespace(c);
    case CharClass::Colon:
      return c == ':';
    case CharClass::DotColon:
      return c == '.' || c == ':';
  }
  return false;
}

bool matchFrom(std::u32string_view s, std::size_t pos, std::size_t element) {
  if (element == kDayjsPattern.size()) return pos == s.size();
  const Element& e = kDayjsPattern[element];
  // Count how many characters of the class are available, then try the longest first.
  std::size_t available = 0;
  while (pos + available < s.size() && inClass(e.cls, s[pos + available]) &&
         (e.max < 0 || available < static_cast<std::size_t>(e.max)))
    ++available;
  // Unbounded runs (the date-time separators, the trailing fraction) are followed by nothing that
  // could match their characters, so only the longest run can succeed: trying shorter ones would
  // only cost quadratic time on long inputs.
  if (e.max < 0)
    return available >= static_cast<std::size_t>(e.min) &&
           matchFrom(s, pos + available, element + 1);
  for (std::size_t n = available + 1; n-- > static_cast<std::size_t>(e.min);) {
    if (matchFrom(s, pos + n, element + 1)) return true;
  }
  return false;
}

bool matchesDayjsPattern(std::u32string_view cps) {
  return matchFrom(cps, 0, 0);
}

std::u32string codePoints(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(json::text::nextCodePoint(s, i));
  return out;
}

}  // namespace

std::optional<double> jsDateParse(std::string_view s) {
  double time = json::js_date::parse(codePoints(s));
  if (std::isnan(time)) return std::nullopt;
  return time;
}

namespace {

// "YYYY-MM-DDTHH:MM:SS[.sss]Z" with every field in its everyday range (days up to 28): the form
// nearly every event's timestamp takes, and one V8's ISO reader always accepts. Anything else
// takes the full path.
bool isPlainIsoUtc(std::string_view s) {
  if (s.size() != 20 && s.size() != 24) return false;
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9'; };
  auto two = [&](std::size_t i) { return (s[i] - '0') * 10 + (s[i + 1] - '0'); };
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18})
    if (!digit(i)) return false;
  if (s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
  if (s.size() == 24 && (s[19] != '.' || !digit(20) || !digit(21) || !digit(22))) return false;
  if (s.back() != 'Z') return false;
  int month = two(5), day = two(8);
  return month >= 1 && month <= 12 && day >= 1 && day <= 28 && two(11) <= 23 && two(14) <= 59 &&
         two(17) <= 59;
}

}  // namespace

bool isDateLike(std::string_view s) {
  if (isPlainIsoUtc(s)) return true;
  // A numeric string in JavaScript's canonical spelling is read as epoch seconds.
  double n = json::text::toNumber(s);
  std::string canonical;
  json::appendNumber(n, canonical);
  if (canonical == s) return std::isfinite(n) && std::fabs(n * 1000) <= kMaxTimeMs;
  std::u32string cps = codePoints(s);
  bool endsInZ = !cps.empty() && (cps.back() == 'Z' || cps.back() == 'z');
  if (!endsInZ && matchesDayjsPattern(cps)) return true;
  return !std::isnan(json::js_date::parse(cps));
}

}  // namespace actions::kit
