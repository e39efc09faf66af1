#include "json/js_date.h"

#include <cmath>
#include <limits>

#include "json/js_text.h"

namespace actions::json::js_date {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMsPerDay = 86400000.0;
constexpr int kNone = std::numeric_limits<int>::max();

std::int64_t daysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civilFromDays(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

bool between(int x, int lo, int hi) {
  return x >= lo && x <= hi;
}

// --- V8's Date.parse ---
// It first reads as much of an ES5 ISO date-time as it can, then continues with a lenient legacy
// reader: numbers become date or time components by what follows them, words are month names,
// AM/PM, time-zone names or (before the first number) ignored noise.

enum class KeywordType { Invalid, MonthName, TimeZoneName, TimeSeparator, AmPm };

struct Keyword {
  char prefix[4];
  KeywordType type;
  int value;
};

constexpr Keyword kKeywords[] = {
    {"jan", KeywordType::MonthName, 1},     {"feb", KeywordType::MonthName, 2},
    {"mar", KeywordType::MonthName, 3},     {"apr", KeywordType::MonthName, 4},
    {"may", KeywordType::MonthName, 5},     {"jun", KeywordType::MonthName, 6},
    {"jul", KeywordType::MonthName, 7},     {"aug", KeywordType::MonthName, 8},
    {"sep", KeywordType::MonthName, 9},     {"oct", KeywordType::MonthName, 10},
    {"nov", KeywordType::MonthName, 11},    {"dec", KeywordType::MonthName, 12},
    {"am", KeywordType::AmPm, 0},           {"pm", KeywordType::AmPm, 12},
    {"ut", KeywordType::TimeZoneName, 0},   {"utc", KeywordType::TimeZoneName, 0},
    {"z", KeywordType::TimeZoneName, 0},    {"gmt", KeywordType::TimeZoneName, 0},
    {"cdt", KeywordType::TimeZoneName, -5}, {"cst", KeywordType::TimeZoneName, -6},
    {"edt", KeywordType::TimeZoneName, -4}, {"est", KeywordType::TimeZoneName, -5},
    {"mdt", KeywordType::TimeZoneName, -6}, {"mst", KeywordType::TimeZoneName, -7},
    {"pdt", KeywordType::TimeZoneName, -7}, {"pst", KeywordType::TimeZoneName, -8},
    {"t", KeywordType::TimeSeparator, 0},
};

struct Token {
  enum class Kind { Invalid, Unknown, WhiteSpace, Number, Symbol, Keyword, End };
  Kind kind = Kind::Unknown;
  int length = 0;
  int value = 0;  // number, symbol character, or keyword value
  KeywordType keyword = KeywordType::Invalid;

  bool isNumber() const { return kind == Kind::Number; }
  bool isFixedLengthNumber(int n) const { return kind == Kind::Number && length == n; }
  bool isSymbol(char c) const { return kind == Kind::Symbol && value == c; }
  bool isSign() const { return isSymbol('+') || isSymbol('-'); }
  int sign() const { return value == '+' ? 1 : -1; }
  bool isEnd() const { return kind == Kind::End; }
  bool isKeywordOf(KeywordType t) const { return kind == Kind::Keyword && keyword == t; }
  bool isKeywordZ() const {
    return kind == Kind::Keyword && keyword == KeywordType::TimeZoneName && length == 1 &&
           value == 0;
  }
};

// JavaScript's WhiteSpace without the LineTerminators: what ends a word in V8's scanner (a
// LineTerminator above 'A', U+2028 or U+2029, stays part of the word).
bool isWhiteSpaceChar(char32_t c) {
  return text::isJsWhitespace(c) && c != '\n' && c != '\r' && c != 0x2028 && c != 0x2029;
}

class DateScanner {
 public:
  explicit DateScanner(std::u32string_view chars) : chars_(chars) { next_ = scan(); }

  Token next() {
    Token t = next_;
    next_ = scan();
    return t;
  }
  const Token& peek() const { return next_; }
  bool skipSymbol(char c) {
    if (!next_.isSymbol(c)) return false;
    next();
    return true;
  }

 private:
  // A NUL character ends the input, as in V8.
  char32_t ch() const { return pos_ < chars_.size() ? chars_[pos_] : 0; }
  bool isDigit() const { return ch() >= '0' && ch() <= '9'; }

  Token scan() {
    Token t;
    std::size_t start = pos_;
    if (ch() == 0) {
      t.kind = Token::Kind::End;
      return t;
    }
    if (isDigit()) {
      int n = 0;
      int digits = 0;
      while (ch() == '0') ++pos_;  // leading zeros count in the length only
      while (isDigit()) {
        if (digits < 9) n = n * 10 + static_cast<int>(ch() - '0');  // later digits are ignored
        ++digits;
        ++pos_;
      }
      t.kind = Token::Kind::Number;
      t.value = n;
      t.length = static_cast<int>(pos_ - start);
      return t;
    }
    char32_t c = ch();
    if (c == ':' || c == '-' || c == '+' || c == '.' || c == ')') {
      ++pos_;
      t.kind = Token::Kind::Symbol;
      t.value = static_cast<int>(c);
      return t;
    }
    if (c >= 'A' && !isWhiteSpaceChar(c)) {
      // Lower-cased as V8 does (c | 0x20): a non-ASCII letter can never equal a keyword's.
      char32_t prefix[3] = {0, 0, 0};
      int length = 0;
      while (ch() >= 'A' && !isWhiteSpaceChar(ch())) {
        if (length < 3) prefix[length] = ch() | 0x20;
        ++length;
        ++pos_;
      }
      t.kind = Token::Kind::Keyword;
      t.length = length;
      for (const Keyword& k : kKeywords) {
        bool same = prefix[0] == static_cast<char32_t>(k.prefix[0]) &&
                    prefix[1] == static_cast<char32_t>(k.prefix[1]) &&
                    prefix[2] == static_cast<char32_t>(k.prefix[2]);
        // Words longer than three letters are keywords only when they name a month.
        if (same && (length <= 3 || k.type == KeywordType::MonthName)) {
          t.keyword = k.type;
          t.value = k.value;
          return t;
        }
      }
      return t;
    }
    if (text::isJsWhitespace(c)) {
      while (text::isJsWhitespace(ch())) ++pos_;
      t.kind = Token::Kind::WhiteSpace;
      t.length = static_cast<int>(pos_ - start);
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
      } while (balance > 0 && ch());
      return t;
    }
    ++pos_;
    return t;
  }

  std::u32string_view chars_;
  std::size_t pos_ = 0;
  Token next_;
};

struct DayComposer {
  int comp[3] = {0, 0, 0};
  int index = 0;
  int namedMonth = kNone;
  bool isoDate = false;

  bool add(int n) {
    if (index >= 3) return false;
    comp[index++] = n;
    return true;
  }
  static bool isMonth(int x) { return between(x, 1, 12); }
  static bool isDay(int x) { return between(x, 1, 31); }

  bool write(double& year, double& month, double& day) {
    if (index < 1) return false;
    while (index < 3) comp[index++] = 1;  // day and month default to 1
    int y = 0;
    int m = kNone;
    int d = kNone;
    if (namedMonth == kNone) {
      if (isoDate || !isDay(comp[0])) {
        y = comp[0], m = comp[1], d = comp[2];
      } else {
        m = comp[0], d = comp[1], y = comp[2];
      }
    } else {
      m = namedMonth;
      if (!isDay(comp[0]))
        y = comp[0], d = comp[1];
      else
        d = comp[0], y = comp[1];
    }
    if (!isoDate) {
      if (between(y, 0, 49))
        y += 2000;
      else if (between(y, 50, 99))
        y += 1900;
    }
    if (!isMonth(m) || !isDay(d)) return false;
    year = y;
    month = m - 1;
    day = d;
    return true;
  }
};

struct TimeComposer {
  int comp[4] = {0, 0, 0, 0};
  int index = 0;
  int hourOffset = kNone;

  static bool isMinute(int x) { return between(x, 0, 59); }
  static bool isHour(int x) { return between(x, 0, 23); }
  static bool isSecond(int x) { return between(x, 0, 59); }
  static bool isHour12(int x) { return between(x, 0, 12); }
  static bool isMillisecond(int x) { return between(x, 0, 999); }

  bool empty() const { return index == 0; }
  bool expecting(int n) const {
    return (index == 1 && isMinute(n)) || (index == 2 && isSecond(n)) ||
           (index == 3 && isMillisecond(n));
  }
  bool add(int n) {
    if (index >= 4) return false;
    comp[index++] = n;
    return true;
  }
  bool addFinal(int n) {
    if (!add(n)) return false;
    while (index < 4) comp[index++] = 0;
    return true;
  }
  bool write(double& h, double& m, double& s, double& ms) {
    while (index < 4) comp[index++] = 0;
    int hour = comp[0];
    if (hourOffset != kNone) {
      if (!isHour12(hour)) return false;
      hour = hour % 12 + hourOffset;
    }
    if (!isHour(hour) || !isMinute(comp[1]) || !isSecond(comp[2]) || !isMillisecond(comp[3])) {
      if (hour != 24 || comp[1] != 0 || comp[2] != 0 || comp[3] != 0) return false;
    }
    h = hour, m = comp[1], s = comp[2], ms = comp[3];
    return true;
  }
};

struct TimeZoneComposer {
  int sign = kNone;
  int hour = kNone;
  int minute = kNone;

  void set(int offsetHours) {
    sign = offsetHours < 0 ? -1 : 1;
    hour = offsetHours * sign;
    minute = 0;
  }
  bool empty() const { return hour == kNone; }
  bool isUtc() const { return hour == 0 && minute == 0; }
  bool expecting(int n) const {
    return hour != kNone && minute == kNone && TimeComposer::isMinute(n);
  }
  // Seconds east of UTC; NaN for local time.
  bool write(double& offsetSeconds) {
    if (sign == kNone) {
      offsetSeconds = kNaN;
      return true;
    }
    if (hour == kNone) hour = 0;
    if (minute == kNone) minute = 0;
    double total = static_cast<double>(hour) * 3600 + static_cast<double>(minute) * 60;
    if (total > 1073741823) return false;
    offsetSeconds = sign < 0 ? -total : total;
    return true;
  }
};

// The first three significant digits of a fraction, judged from its value and digit count.
int readMilliseconds(const Token& t) {
  int n = t.value;
  int length = t.length;
  if (length == 1) return n * 100;
  if (length == 2) return n * 10;
  if (length > 9) length = 9;
  while (length > 3) {
    n /= 10;
    --length;
  }
  return n;
}

// The ES5 ISO form; returns the first token it does not handle (for the legacy parser), End
// when the whole string was ISO, or Invalid.
Token parseIso(DateScanner& scanner, DayComposer& day, TimeComposer& time, TimeZoneComposer& tz) {
  Token invalid;
  invalid.kind = Token::Kind::Invalid;
  if (scanner.peek().isSign()) {
    Token signToken = scanner.next();
    if (!scanner.peek().isFixedLengthNumber(6)) return signToken;
    int year = scanner.next().value;
    if (signToken.sign() < 0 && year == 0) return signToken;
    day.add(signToken.sign() * year);
  } else if (scanner.peek().isFixedLengthNumber(4)) {
    day.add(scanner.next().value);
  } else {
    return scanner.next();
  }
  if (scanner.skipSymbol('-')) {
    if (!scanner.peek().isFixedLengthNumber(2) || !DayComposer::isMonth(scanner.peek().value)) {
      return scanner.next();
    }
    day.add(scanner.next().value);
    if (scanner.skipSymbol('-')) {
      if (!scanner.peek().isFixedLengthNumber(2) || !DayComposer::isDay(scanner.peek().value)) {
        return scanner.next();
      }
      day.add(scanner.next().value);
    }
  }
  if (!scanner.peek().isKeywordOf(KeywordType::TimeSeparator)) {
    if (!scanner.peek().isEnd()) return scanner.next();
  } else {
    scanner.next();
    if (!scanner.peek().isFixedLengthNumber(2) || !between(scanner.peek().value, 0, 24)) {
      return invalid;
    }
    bool hourIs24 = scanner.peek().value == 24;
    time.add(scanner.next().value);
    if (!scanner.skipSymbol(':')) return invalid;
    if (!scanner.peek().isFixedLengthNumber(2) || !TimeComposer::isMinute(scanner.peek().value) ||
        (hourIs24 && scanner.peek().value > 0)) {
      return invalid;
    }
    time.add(scanner.next().value);
    if (scanner.skipSymbol(':')) {
      if (!scanner.peek().isFixedLengthNumber(2) || !TimeComposer::isSecond(scanner.peek().value) ||
          (hourIs24 && scanner.peek().value > 0)) {
        return invalid;
      }
      time.add(scanner.next().value);
      if (scanner.skipSymbol('.')) {
        if (!scanner.peek().isNumber() || (hourIs24 && scanner.peek().value > 0)) return invalid;
        time.add(readMilliseconds(scanner.next()));
      }
    }
    if (scanner.peek().isKeywordZ()) {
      scanner.next();
      tz.set(0);
    } else if (scanner.peek().isSign()) {
      tz.sign = scanner.next().sign();
      if (scanner.peek().isFixedLengthNumber(4)) {
        int hourMinute = scanner.next().value;
        int hour = hourMinute / 100;
        int minute = hourMinute % 100;
        if (!TimeComposer::isHour(hour) || !TimeComposer::isMinute(minute)) return invalid;
        tz.hour = hour;
        tz.minute = minute;
      } else {
        if (!scanner.peek().isFixedLengthNumber(2) || !TimeComposer::isHour(scanner.peek().value)) {
          return invalid;
        }
        tz.hour = scanner.next().value;
        if (!scanner.skipSymbol(':')) return invalid;
        if (!scanner.peek().isFixedLengthNumber(2) ||
            !TimeComposer::isMinute(scanner.peek().value)) {
          return invalid;
        }
        tz.minute = scanner.next().value;
      }
    }
    if (!scanner.peek().isEnd()) return invalid;
  }
  // Date-only forms are UTC; date-time forms without offset are local time (UTC here too).
  if (tz.empty() && time.empty()) tz.set(0);
  day.isoDate = true;
  Token end;
  end.kind = Token::Kind::End;
  return end;
}

}  // namespace

Fields fieldsOf(double time) {
  Fields f{};
  double days = std::floor(time / kMsPerDay);
  double msInDay = time - days * kMsPerDay;
  auto z = static_cast<std::int64_t>(days);
  std::int64_t y;
  unsigned m, d;
  civilFromDays(z, y, m, d);
  f.year = y;
  f.month = static_cast<int>(m) - 1;
  f.day = static_cast<int>(d);
  auto ms = static_cast<std::int64_t>(msInDay);
  f.hours = static_cast<int>(ms / 3600000);
  f.minutes = static_cast<int>(ms / 60000 % 60);
  f.seconds = static_cast<int>(ms / 1000 % 60);
  f.milliseconds = static_cast<int>(ms % 1000);
  f.weekday = static_cast<int>(((z + 4) % 7 + 7) % 7);
  f.dayOfYear = static_cast<int>(z - daysFromCivil(y, 1, 1) + 1);
  return f;
}

double makeTime(double year, double month, double day, double hours, double minutes, double seconds,
                double milliseconds) {
  for (double v : {year, month, day, hours, minutes, seconds, milliseconds}) {
    if (!std::isfinite(v)) return kNaN;
  }
  double y = std::trunc(year);
  double m = std::trunc(month);
  double ym = y + std::floor(m / 12);
  if (std::fabs(ym) > 400000) return kNaN;
  double mn = std::fmod(m, 12);
  if (mn < 0) mn += 12;
  double days = static_cast<double>(daysFromCivil(static_cast<std::int64_t>(ym),
                                                  static_cast<unsigned>(mn) + 1, 1)) +
                std::trunc(day) - 1;
  double t = std::trunc(hours) * 3600000 + std::trunc(minutes) * 60000 +
             std::trunc(seconds) * 1000 + std::trunc(milliseconds);
  return days * kMsPerDay + t;
}

double timeClip(double time) {
  if (!std::isfinite(time) || std::fabs(time) > 8.64e15) return kNaN;
  return std::trunc(time) + 0.0;
}

double parse(std::u32string_view codePoints) {
  DateScanner scanner(codePoints);
  DayComposer day;
  TimeComposer time;
  TimeZoneComposer tz;
  Token next = parseIso(scanner, day, time, tz);
  if (next.kind == Token::Kind::Invalid) return kNaN;
  bool hasReadNumber = day.index > 0;
  for (Token token = next; !token.isEnd(); token = scanner.next()) {
    if (token.isNumber()) {
      hasReadNumber = true;
      int n = token.value;
      if (scanner.skipSymbol(':')) {
        if (scanner.skipSymbol(':')) {
          if (!time.empty()) return kNaN;
          time.add(n);
          time.add(0);
        } else {
          if (!time.add(n)) return kNaN;
          if (scanner.peek().isSymbol('.')) scanner.next();
        }
      } else if (scanner.skipSymbol('.') && time.expecting(n)) {
        // (A '.' after a number is consumed even when the number turns out not to be a time.)
        time.add(n);
        if (!scanner.peek().isNumber()) return kNaN;
        time.addFinal(readMilliseconds(scanner.next()));
      } else if (tz.expecting(n)) {
        tz.minute = n;
      } else if (time.expecting(n)) {
        time.addFinal(n);
        const Token& peek = scanner.peek();
        if (!peek.isEnd() && peek.kind != Token::Kind::WhiteSpace && !peek.isKeywordZ() &&
            !peek.isSign()) {
          return kNaN;
        }
      } else {
        if (!day.add(n)) return kNaN;
        scanner.skipSymbol('-');
      }
    } else if (token.kind == Token::Kind::Keyword) {
      if (token.keyword == KeywordType::AmPm && !time.empty()) {
        time.hourOffset = token.value;
      } else if (token.keyword == KeywordType::MonthName) {
        day.namedMonth = token.value;
        scanner.skipSymbol('-');
      } else if (token.keyword == KeywordType::TimeZoneName && hasReadNumber) {
        tz.set(token.value);
      } else {
        // Noise words are allowed only before the first number, and apart from it.
        if (hasReadNumber) return kNaN;
        if (scanner.peek().isNumber()) return kNaN;
      }
    } else if (token.isSign() && (tz.isUtc() || !time.empty())) {
      tz.sign = token.sign();
      int n = 0;
      int length = 0;
      if (scanner.peek().isNumber()) {
        Token number = scanner.next();
        length = number.length;
        n = number.value;
      }
      hasReadNumber = true;
      if (scanner.peek().isSymbol(':')) {
        tz.hour = n;
        tz.minute = kNone;
      } else if (length == 1 || length == 2) {
        tz.hour = n;
        tz.minute = 0;
      } else if (length == 3 || length == 4) {
        tz.hour = n / 100;
        tz.minute = n % 100;
      } else {
        return kNaN;
      }
    } else if ((token.isSign() || token.isSymbol(')')) && hasReadNumber) {
      return kNaN;
    }
  }
  double year, month, dayOfMonth, h, m, sec, ms, offset;
  if (!day.write(year, month, dayOfMonth) || !time.write(h, m, sec, ms) || !tz.write(offset)) {
    return kNaN;
  }
  double t = makeTime(year, month, dayOfMonth, h, m, sec, ms);
  if (!std::isnan(offset)) t -= offset * 1000;
  return timeClip(t);
}

}  // namespace actions::json::js_date
