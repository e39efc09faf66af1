#include "kit/date_like.h"

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "json/json.h"
#include "kit/js_values.h"

namespace actions::kit {
namespace {

constexpr double kMaxTimeMs = 8.64e15;  // the range of a JavaScript Date, either side of 1970
constexpr int kNone = 0x7FFFFFFF;       // a component that was not given

bool between(long long x, long long lo, long long hi) {
  return x >= lo && x <= hi;
}

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
      return c == 'T' || c == 't' || js::isWhiteSpace(c);
    case CharClass::Colon:
      return c == ':';
    case CharClass::DotColon:
      return c == '.' || c == ':';
  }
  return false;
}

bool matchFrom(const std::vector<char32_t>& s, std::size_t pos, std::size_t element) {
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

bool matchesDayjsPattern(const std::vector<char32_t>& cps) {
  return matchFrom(cps, 0, 0);
}

// ---------------------------------------------------------------------------------------------
// V8's Date.parse. It first reads as much of an ES5 ISO date-time as it can, then continues with
// a lenient legacy reader: numbers become date or time components by what follows them, words
// are month names, AM/PM, time-zone names or (before the first number) ignored noise.

enum class TokenKind { Number, Symbol, Word, Space, Unknown, End, Invalid };
enum class WordType { None, Month, TimeZone, TimeSeparator, AmPm };

struct Token {
  TokenKind kind = TokenKind::End;
  int length = 0;
  int value = 0;  // number value, symbol character, or keyword value
  WordType word = WordType::None;

  bool isNumber(int len = -1) const {
    return kind == TokenKind::Number && (len < 0 || length == len);
  }
  bool isSymbol(char c) const { return kind == TokenKind::Symbol && value == c; }
  bool isSign() const { return isSymbol('+') || isSymbol('-'); }
  int sign() const { return value == '+' ? 1 : -1; }
  bool isZ() const {
    return kind == TokenKind::Word && word == WordType::TimeZone && length == 1 && value == 0;
  }
};

struct KeywordEntry {
  const char* prefix;  // up to three lower-case letters
  WordType type;
  int value;
};

constexpr std::array<KeywordEntry, 27> kKeywords = {{
    {"jan", WordType::Month, 1},       {"feb", WordType::Month, 2},
    {"mar", WordType::Month, 3},       {"apr", WordType::Month, 4},
    {"may", WordType::Month, 5},       {"jun", WordType::Month, 6},
    {"jul", WordType::Month, 7},       {"aug", WordType::Month, 8},
    {"sep", WordType::Month, 9},       {"oct", WordType::Month, 10},
    {"nov", WordType::Month, 11},      {"dec", WordType::Month, 12},
    {"am", WordType::AmPm, 0},         {"pm", WordType::AmPm, 12},
    {"ut", WordType::TimeZone, 0},     {"utc", WordType::TimeZone, 0},
    {"z", WordType::TimeZone, 0},      {"gmt", WordType::TimeZone, 0},
    {"cdt", WordType::TimeZone, -5},   {"cst", WordType::TimeZone, -6},
    {"edt", WordType::TimeZone, -4},   {"est", WordType::TimeZone, -5},
    {"mdt", WordType::TimeZone, -6},   {"mst", WordType::TimeZone, -7},
    {"pdt", WordType::TimeZone, -7},   {"pst", WordType::TimeZone, -8},
    {"t", WordType::TimeSeparator, 0},
}};

// JavaScript's WhiteSpace (not line terminators): a word ends at one.
bool isSpaceSeparator(char32_t c) {
  return js::isWhiteSpace(c) && c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
}

class Tokenizer {
 public:
  explicit Tokenizer(const std::vector<char32_t>& s) : s_(s) { next_ = scan(); }
  Token next() {
    Token t = next_;
    next_ = scan();
    return t;
  }
  const Token& peek() const { return next_; }
  bool skipSymbol(char c) {
    if (!next_.isSymbol(c)) return false;
    next_ = scan();
    return true;
  }

 private:
  // A NUL character ends the input, as in V8.
  char32_t ch() const { return pos_ < s_.size() ? s_[pos_] : 0; }

  Token scan() {
    Token t;
    char32_t c = ch();
    if (c == 0) return t;  // End
    if (c >= '0' && c <= '9') {
      int n = 0, len = 0, significant = 0;
      while (ch() == '0') ++len, ++pos_;  // leading zeros count in the length only
      while (ch() >= '0' && ch() <= '9') {
        if (significant < 9) n = n * 10 + static_cast<int>(ch() - '0');  // later digits are ignored
        ++significant;
        ++len;
        ++pos_;
      }
      t.kind = TokenKind::Number;
      t.value = n;
      t.length = len;
      return t;
    }
    if (c == ':' || c == '-' || c == '+' || c == '.' || c == ')') {
      ++pos_;
      t.kind = TokenKind::Symbol;
      t.value = static_cast<int>(c);
      t.length = 1;
      return t;
    }
    if (c >= 'A' && !isSpaceSeparator(c)) {
      char prefix[4] = {0, 0, 0, 0};
      int len = 0;
      while (ch() >= 'A' && !isSpaceSeparator(ch())) {
        if (len < 3) prefix[len] = static_cast<char>(ch() < 0x80 ? (ch() | 0x20) : 0x7F);
        ++len;
        ++pos_;
      }
      t.kind = TokenKind::Word;
      t.length = len;
      for (const auto& k : kKeywords) {
        // Words longer than three letters are keywords only when they name a month.
        if (std::string_view(k.prefix) == std::string_view(prefix) &&
            (len <= 3 || k.type == WordType::Month)) {
          t.word = k.type;
          t.value = k.value;
          break;
        }
      }
      return t;
    }
    if (js::isWhiteSpace(c)) {
      ++pos_;
      t.kind = TokenKind::Space;
      t.length = 1;
      return t;
    }
    if (c == '(') {
      int balance = 0;
      do {
        if (ch() == ')')
          --balance;
        else if (ch() == '(')
          ++balance;
        ++pos_;
      } while (balance > 0 && ch() != 0);
    } else {
      ++pos_;
    }
    t.kind = TokenKind::Unknown;
    t.length = 1;
    return t;
  }

  const std::vector<char32_t>& s_;
  std::size_t pos_ = 0;
  Token next_;
};

struct DayParts {
  int comp[3] = {0, 0, 0};
  int count = 0;
  int namedMonth = kNone;
  bool isoDate = false;
  bool add(int n) {
    if (count >= 3) return false;
    comp[count++] = n;
    return true;
  }
};

struct TimeParts {
  int comp[4] = {0, 0, 0, 0};
  int count = 0;
  int hourOffset = kNone;
  bool empty() const { return count == 0; }
  bool expecting(int n) const {
    return (count == 1 && between(n, 0, 59)) || (count == 2 && between(n, 0, 59)) ||
           (count == 3 && between(n, 0, 999));
  }
  bool add(int n) {
    if (count >= 4) return false;
    comp[count++] = n;
    return true;
  }
  bool addFinal(int n) {
    if (!add(n)) return false;
    while (count < 4) comp[count++] = 0;
    return true;
  }
};

struct ZoneParts {
  int sign = kNone;
  int hour = kNone;
  int minute = kNone;
  void set(int offsetHours) {
    sign = offsetHours < 0 ? -1 : 1;
    hour = offsetHours * sign;
    minute = 0;
  }
  bool expecting(int n) const { return hour != kNone && minute == kNone && between(n, 0, 59); }
  bool isUtc() const { return hour == 0 && minute == 0; }
  bool empty() const { return hour == kNone; }
};

// The first three significant digits of a fraction, judged from its value and digit count.
int milliseconds(const Token& t) {
  int n = t.value, len = t.length;
  if (len == 1) return n * 100;
  if (len == 2) return n * 10;
  if (len > 3) {
    if (len > 9) len = 9;
    int factor = 1;
    while (len > 3) factor *= 10, --len;
    n /= factor;
  }
  return n;
}

// The ES5 part. Returns the token the legacy reader continues with: End when the whole string
// was an ISO date-time, Invalid when it cannot be a date at all.
Token parseIso(Tokenizer& in, DayParts& day, TimeParts& time, ZoneParts& zone) {
  if (in.peek().isSign()) {
    Token signToken = in.next();
    if (!in.peek().isNumber(6)) return signToken;
    int year = in.next().value;
    if (signToken.sign() < 0 && year == 0) return signToken;
    day.add(signToken.sign() * year);
  } else if (in.peek().isNumber(4)) {
    day.add(in.next().value);
  } else {
    return in.next();
  }
  if (in.skipSymbol('-')) {
    if (!in.peek().isNumber(2) || !between(in.peek().value, 1, 12)) return in.next();
    day.add(in.next().value);
    if (in.skipSymbol('-')) {
      if (!in.peek().isNumber(2) || !between(in.peek().value, 1, 31)) return in.next();
      day.add(in.next().value);
    }
  }
  Token invalid;
  invalid.kind = TokenKind::Invalid;
  const Token& p = in.peek();
  if (!(p.kind == TokenKind::Word && p.word == WordType::TimeSeparator)) {
    if (p.kind != TokenKind::End) return in.next();
  } else {
    in.next();
    if (!in.peek().isNumber(2) || !between(in.peek().value, 0, 24)) return invalid;
    bool hourIs24 = in.peek().value == 24;
    time.add(in.next().value);
    if (!in.skipSymbol(':')) return invalid;
    if (!in.peek().isNumber(2) || !between(in.peek().value, 0, 59) ||
        (hourIs24 && in.peek().value > 0))
      return invalid;
    time.add(in.next().value);
    if (in.skipSymbol(':')) {
      if (!in.peek().isNumber(2) || !between(in.peek().value, 0, 59) ||
          (hourIs24 && in.peek().value > 0))
        return invalid;
      time.add(in.next().value);
      if (in.skipSymbol('.')) {
        if (!in.peek().isNumber() || (hourIs24 && in.peek().value > 0)) return invalid;
        time.add(milliseconds(in.next()));
      }
    }
    if (in.peek().isZ()) {
      in.next();
      zone.set(0);
    } else if (in.peek().isSign()) {
      zone.sign = in.next().sign();
      if (in.peek().isNumber(4)) {
        int hhmm = in.next().value;
        if (!between(hhmm / 100, 0, 23) || !between(hhmm % 100, 0, 59)) return invalid;
        zone.hour = hhmm / 100;
        zone.minute = hhmm % 100;
      } else {
        if (!in.peek().isNumber(2) || !between(in.peek().value, 0, 23)) return invalid;
        zone.hour = in.next().value;
        if (!in.skipSymbol(':')) return invalid;
        if (!in.peek().isNumber(2) || !between(in.peek().value, 0, 59)) return invalid;
        zone.minute = in.next().value;
      }
    }
    if (in.peek().kind != TokenKind::End) return invalid;
  }
  // Date-only forms are UTC; date-time forms without a zone are local time.
  if (zone.empty() && time.empty()) zone.set(0);
  day.isoDate = true;
  Token end;
  return end;
}

bool writeDay(DayParts& d, int& year, int& month, int& dayOfMonth) {
  if (d.count < 1) return false;
  while (d.count < 3) d.comp[d.count++] = 1;
  year = 0;  // a missing year means 2000, as in old browsers
  month = kNone;
  dayOfMonth = kNone;
  if (d.namedMonth == kNone) {
    if (d.isoDate || (d.count == 3 && !between(d.comp[0], 1, 31))) {
      year = d.comp[0], month = d.comp[1], dayOfMonth = d.comp[2];
    } else {
      month = d.comp[0], dayOfMonth = d.comp[1];
      if (d.count == 3) year = d.comp[2];
    }
  } else {
    month = d.namedMonth;
    if (d.count == 1) {
      dayOfMonth = d.comp[0];
    } else if (!between(d.comp[0], 1, 31)) {
      year = d.comp[0], dayOfMonth = d.comp[1];
    } else {
      dayOfMonth = d.comp[0], year = d.comp[1];
    }
  }
  if (!d.isoDate) {
    if (between(year, 0, 49))
      year += 2000;
    else if (between(year, 50, 99))
      year += 1900;
  }
  // V8 keeps the year in a small integer (31 bits).
  if (year < -(1 << 30) || year > (1 << 30) - 1) return false;
  return between(month, 1, 12) && between(dayOfMonth, 1, 31);
}

bool writeTime(TimeParts& t, int out[4]) {
  while (t.count < 4) t.comp[t.count++] = 0;
  int hour = t.comp[0], minute = t.comp[1], second = t.comp[2], ms = t.comp[3];
  if (t.hourOffset != kNone) {
    if (!between(hour, 0, 12)) return false;
    hour = hour % 12 + t.hourOffset;
  }
  if (!between(hour, 0, 23) || !between(minute, 0, 59) || !between(second, 0, 59) ||
      !between(ms, 0, 999)) {
    if (hour != 24 || minute != 0 || second != 0 || ms != 0) return false;
  }
  out[0] = hour, out[1] = minute, out[2] = second, out[3] = ms;
  return true;
}

// Days from 1970-01-01 to the first of `month` (1-12, any overflow carried into the year).
double daysFromCivil(double year, double month) {
  double y = year + std::floor((month - 1) / 12);
  double m = std::fmod(month - 1, 12);
  if (m < 0) m += 12;
  // Shift the year to start in March so February's length does not matter.
  double mm = m + 1;
  double yy = mm <= 2 ? y - 1 : y;
  double era = std::floor(yy / 400);
  double yoe = yy - era * 400;
  double mp = mm > 2 ? mm - 3 : mm + 9;
  double doy = std::floor((153 * mp + 2) / 5);
  double doe = yoe * 365 + std::floor(yoe / 4) - std::floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

std::optional<double> parseV8(const std::vector<char32_t>& s) {
  Tokenizer in(s);
  DayParts day;
  TimeParts time;
  ZoneParts zone;
  Token token = parseIso(in, day, time, zone);
  if (token.kind == TokenKind::Invalid) return std::nullopt;
  bool hasReadNumber = day.count > 0;
  for (; token.kind != TokenKind::End; token = in.next()) {
    if (token.kind == TokenKind::Number) {
      hasReadNumber = true;
      int n = token.value;
      if (in.skipSymbol(':')) {
        if (in.skipSymbol(':')) {
          if (!time.empty()) return std::nullopt;
          time.add(n);
          time.add(0);
        } else {
          if (!time.add(n)) return std::nullopt;
          if (in.peek().isSymbol('.')) in.next();
        }
      } else if (in.skipSymbol('.') && time.expecting(n)) {
        // (A '.' after a number is consumed even when the number turns out not to be a time.)
        time.add(n);
        if (!in.peek().isNumber()) return std::nullopt;
        time.addFinal(milliseconds(in.next()));
      } else if (zone.expecting(n)) {
        zone.minute = n;
      } else if (time.expecting(n)) {
        time.addFinal(n);
        const Token& p = in.peek();
        if (p.kind != TokenKind::End && p.kind != TokenKind::Space && !p.isZ() && !p.isSign())
          return std::nullopt;
      } else {
        if (!day.add(n)) return std::nullopt;
        in.skipSymbol('-');
      }
    } else if (token.kind == TokenKind::Word) {
      if (token.word == WordType::AmPm && !time.empty()) {
        time.hourOffset = token.value;
      } else if (token.word == WordType::Month) {
        day.namedMonth = token.value;
        in.skipSymbol('-');
      } else if (token.word == WordType::TimeZone && hasReadNumber) {
        zone.set(token.value);
      } else {
        // Noise words are allowed only before the first number, and apart from it.
        if (hasReadNumber) return std::nullopt;
        if (in.peek().isNumber()) return std::nullopt;
      }
    } else if (token.isSign() && (zone.isUtc() || !time.empty())) {
      zone.sign = token.sign();
      int n = 0, length = 0;
      if (in.peek().isNumber()) {
        Token t = in.next();
        length = t.length;
        n = t.value;
      }
      hasReadNumber = true;
      if (in.peek().isSymbol(':')) {
        zone.hour = n;
        zone.minute = kNone;
      } else if (length == 1 || length == 2) {
        zone.hour = n;
        zone.minute = 0;
      } else if (length == 3 || length == 4) {
        zone.hour = n / 100;
        zone.minute = n % 100;
      } else {
        return std::nullopt;
      }
    } else if ((token.isSign() || token.isSymbol(')')) && hasReadNumber) {
      return std::nullopt;
    }
  }
  int year = 0, month = 0, dayOfMonth = 0;
  int clock[4];
  if (!writeDay(day, year, month, dayOfMonth) || !writeTime(time, clock)) return std::nullopt;
  if (year < -1000000 || year > 1000000) return std::nullopt;  // beyond what MakeDay accepts
  double offsetSeconds = 0;  // no zone: local time, which is UTC here
  if (zone.sign != kNone) {
    double h = zone.hour == kNone ? 0 : zone.hour, m = zone.minute == kNone ? 0 : zone.minute;
    double total = h * 3600 + m * 60;
    if (total > 1073741823.0) return std::nullopt;
    offsetSeconds = zone.sign < 0 ? -total : total;
  }
  double days = daysFromCivil(year, month) + dayOfMonth - 1;
  double ms =
      days * 86400000.0 + clock[0] * 3600000.0 + clock[1] * 60000.0 + clock[2] * 1000.0 + clock[3];
  ms -= offsetSeconds * 1000;
  if (!std::isfinite(ms) || std::fabs(ms) > kMaxTimeMs) return std::nullopt;
  return std::trunc(ms);
}

std::vector<char32_t> codePoints(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) out.push_back(js::nextCodePoint(s, i));
  return out;
}

}  // namespace

std::optional<double> jsDateParse(std::string_view s) {
  return parseV8(codePoints(s));
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
  double n = js::toNumber(s);
  std::string canonical;
  json::appendNumber(n, canonical);
  if (canonical == s) return std::isfinite(n) && std::fabs(n * 1000) <= kMaxTimeMs;
  std::vector<char32_t> cps = codePoints(s);
  bool endsInZ = !cps.empty() && (cps.back() == 'Z' || cps.back() == 'z');
  if (!endsInZ && matchesDayjsPattern(cps)) return true;
  return parseV8(cps).has_value();
}

}  // namespace actions::kit
