#include "kit/timestamp.h"

#include <fmt/format.h>

#include <cmath>

namespace actions::kit {
namespace {

constexpr int64_t kMicrosPerSecond = 1000000;
constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t daysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void civilFromDays(int64_t z, int64_t& y, int64_t& m, int64_t& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
}

bool isLeap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int daysInMonth(int64_t y, int64_t m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && isLeap(y) ? 29 : kDays[m - 1];
}

// DATETIME holds 1000-01-01 00:00:00 to 9999-12-31 23:59:59.999999.
const int64_t kMinMicros = daysFromCivil(1000, 1, 1) * kMicrosPerDay;
const int64_t kMaxMicros = daysFromCivil(10000, 1, 1) * kMicrosPerDay - 1;

std::string quoted(std::string_view text) {
  std::string out;
  if (text.size() > 64) {
    json::appendQuoted(text.substr(0, 64), out);
    out.insert(out.size() - 1, "...");
  } else {
    json::appendQuoted(text, out);
  }
  return out;
}

TimestampResult refuse(std::string message) {
  return {std::nullopt, std::move(message)};
}

// `shown` is called only when the time is refused: accepted times build no message.
template <class Shown>
TimestampResult inRange(int64_t micros, const Shown& shown) {
  if (micros < kMinMicros || micros > kMaxMicros)
    return refuse("Timestamp " + shown() +
                  " is outside the range a DATETIME column stores (years 1000 to 9999).");
  return {micros, {}};
}

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ == s_.size(); }
  char peek() const { return i_ < s_.size() ? s_[i_] : '\0'; }
  bool take(char c) {
    if (peek() != c) return false;
    ++i_;
    return true;
  }
  // Exactly `n` digits.
  bool digits(int n, int64_t& out) {
    if (i_ + n > s_.size()) return false;
    int64_t v = 0;
    for (int k = 0; k < n; ++k) {
      char c = s_[i_ + k];
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    i_ += n;
    out = v;
    return true;
  }
  // One or more digits as a fraction of a second, in microseconds (digits past six dropped).
  bool fraction(int64_t& micros) {
    std::size_t start = i_;
    int64_t v = 0;
    int kept = 0;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') {
      if (kept < 6) v = v * 10 + (s_[i_] - '0'), ++kept;
      ++i_;
    }
    if (i_ == start || i_ - start > 9) return false;
    while (kept < 6) v *= 10, ++kept;
    micros = v;
    return true;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

bool allDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "1700000000", "1700000000123", with an optional fraction.
std::optional<TimestampResult> parseEpochText(std::string_view text) {
  auto dot = text.find('.');
  std::string_view whole = text.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (!allDigits(whole) || (dot != std::string_view::npos && !allDigits(frac))) return std::nullopt;
  if (whole.size() != 10 && whole.size() != 13)
    return refuse("Timestamp " + quoted(text) +
                  " is neither epoch seconds (10 digits) nor epoch milliseconds (13 digits).");
  int64_t w = 0;
  for (char c : whole) w = w * 10 + (c - '0');
  // The fraction of the unit, in microseconds of seconds or nanoseconds of milliseconds.
  int64_t unitMicros = whole.size() == 10 ? kMicrosPerSecond : 1000;
  int64_t fracMicros = 0, scale = unitMicros;
  for (char c : frac) {
    scale /= 10;
    if (scale == 0) break;
    fracMicros += (c - '0') * scale;
  }
  return inRange(w * unitMicros + fracMicros, [&] { return quoted(text); });
}

}  // namespace

TimestampResult parseTimestamp(std::string_view text) {
  if (auto epoch = parseEpochText(text)) return *epoch;
  auto shown = [&] { return quoted(text); };
  auto unsupported = [&] {
    return "Timestamp " + shown() +
           " is not in a supported format (RFC 3339, YYYY-MM-DD, YYYY-MM-DD HH:MM:SS, "
           "or epoch seconds or milliseconds).";
  };
  Cursor c(text);
  int64_t year, month, day, hour = 0, minute = 0, second = 0, micros = 0, offsetMinutes = 0;
  if (!c.digits(4, year) || !c.take('-') || !c.digits(2, month) || !c.take('-') ||
      !c.digits(2, day))
    return refuse(unsupported());
  if (!c.done()) {
    if (!(c.take('T') || c.take('t') || c.take(' '))) return refuse(unsupported());
    if (!c.digits(2, hour) || !c.take(':') || !c.digits(2, minute)) return refuse(unsupported());
    if (c.take(':')) {
      if (!c.digits(2, second)) return refuse(unsupported());
      if ((c.take('.') || c.take(',')) && !c.fraction(micros)) return refuse(unsupported());
    }
    if (c.take('Z') || c.take('z')) {
    } else if (c.peek() == '+' || c.peek() == '-') {
      int sign = c.take('-') ? -1 : (c.take('+'), 1);
      int64_t oh = 0, om = 0;
      if (!c.digits(2, oh)) return refuse(unsupported());
      if (c.take(':')) {
        if (!c.digits(2, om)) return refuse(unsupported());
      } else if (!c.done()) {
        if (!c.digits(2, om)) return refuse(unsupported());
      }
      if (oh > 23 || om > 59)
        return refuse("Timestamp " + shown() + " has an impossible UTC offset.");
      offsetMinutes = sign * (oh * 60 + om);
    }
    if (!c.done()) return refuse(unsupported());
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59)
    return refuse("Timestamp " + shown() + " is an impossible date.");
  int64_t total = daysFromCivil(year, month, day) * kMicrosPerDay +
                  ((hour * 60 + minute - offsetMinutes) * 60 + second) * kMicrosPerSecond + micros;
  return inRange(total, shown);
}

TimestampResult parseTimestamp(double epoch) {
  auto shown = [&] {
    std::string s;
    json::appendNumber(epoch, s);
    return s;
  };
  if (!std::isfinite(epoch) || epoch < 0)
    return refuse("Timestamp " + shown() +
                  " is neither epoch seconds (10 digits) nor epoch milliseconds (13 digits).");
  double whole = std::floor(epoch);
  int digits = whole < 1 ? 1 : static_cast<int>(std::floor(std::log10(whole))) + 1;
  if (digits != 10 && digits != 13)
    return refuse("Timestamp " + shown() +
                  " is neither epoch seconds (10 digits) nor epoch milliseconds (13 digits).");
  double micros = digits == 10 ? epoch * 1e6 : epoch * 1e3;
  return inRange(static_cast<int64_t>(std::floor(micros + 0.5)), shown);
}

TimestampResult parseTimestamp(const json::Value& value) {
  if (value.IsString())
    return parseTimestamp(std::string_view(value.GetString(), value.GetStringLength()));
  if (value.IsNumber()) return parseTimestamp(json::toDouble(value));
  return refuse("Timestamp must be a string or a number.");
}

void appendDatetime6(int64_t micros, std::string& out) {
  int64_t days =
      micros >= 0 ? micros / kMicrosPerDay : -((-micros + kMicrosPerDay - 1) / kMicrosPerDay);
  int64_t rest = micros - days * kMicrosPerDay;
  int64_t y, m, d;
  civilFromDays(days, y, m, d);
  int64_t secs = rest / kMicrosPerSecond;
  if (y < 0 || y > 9999) {  // beyond DATETIME: rare, written as the server would read it
    fmt::format_to(std::back_inserter(out), "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}", y, m, d,
                   secs / 3600, (secs / 60) % 60, secs % 60, rest % kMicrosPerSecond);
    return;
  }
  // Digit by digit into a fixed buffer: this runs once per row on the write path, where a
  // format string's parsing cost more than the rest of the row's encoding.
  char text[26] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', ' ', '0', '0',
                   ':', '0', '0', ':', '0', '0', '.', '0', '0', '0', '0', '0', '0'};
  auto digits = [&text](int end, int64_t value, int count) {
    for (int i = 0; i < count; ++i, value /= 10)
      text[end - i] = static_cast<char>('0' + value % 10);
  };
  digits(3, y, 4);
  digits(6, m, 2);
  digits(9, d, 2);
  digits(12, secs / 3600, 2);
  digits(15, (secs / 60) % 60, 2);
  digits(18, secs % 60, 2);
  digits(25, rest % kMicrosPerSecond, 6);
  out.append(text, sizeof text);
}

std::string formatDatetime6(int64_t micros) {
  std::string out;
  appendDatetime6(micros, out);
  return out;
}

}  // namespace actions::kit
