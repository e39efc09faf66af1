// Date filters (liquidjs's filters/date): parse the input as liquidjs does (seconds since the
// epoch, "now", or any string JavaScript's Date accepts) and format it with liquidjs's strftime,
// in UTC (Segment's local time) unless a time zone offset is given.
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "json/js_date.h"
#include "liquid/error.h"
#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"
#include "liquid/timezone.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                 "Thursday", "Friday", "Saturday"};
constexpr std::string_view kDefaultFormat = "%A, %B %-e, %Y at %-l:%M %P %z";

// liquidjs's LiquidDate: a moment and the offset it is shown in (minutes west of UTC, as
// JavaScript's getTimezoneOffset counts them).
struct LiquidDate {
  double time = 0;  // the moment
  double offsetMinutes = 0;
  bool zoneGiven = false;  // a zone argument was given (its name, if any, prints for %Z)
  std::string zoneName;
  json::js_date::Fields shown{};  // the wall-clock fields in that offset

  double shownTime() const { return time - offsetMinutes * 60000; }
};

// new Date(s).getTime(), the string decoded as every liquid string is.
double parseJsDate(std::string_view s) {
  std::u32string codePoints;
  codePoints.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    codePoints.push_back(d.codePoint);
    i += d.length;
  }
  return json::js_date::parse(codePoints);
}

std::optional<LiquidDate> makeDate(double time, const Value& zone) {
  LiquidDate d;
  d.time = time;
  if (!zone.isNullOrUndefined()) {  // liquidjs takes `zone ?? the default`
    d.zoneGiven = true;
    if (zone.isString()) {
      d.zoneName = std::string(zone.asString());
      if (std::isnan(time)) return std::nullopt;
      std::optional<double> offset = timezone::offsetMinutesWest(d.zoneName, time);
      if (!offset) throw RenderFailure("Invalid time zone specified: " + d.zoneName);
      d.offsetMinutes = *offset;
    } else {
      d.offsetMinutes = toNumber(toPrimitive(zone));
    }
  }
  double shown = json::js_date::timeClip(d.shownTime());
  if (std::isnan(shown)) return std::nullopt;
  d.shown = json::js_date::fieldsOf(shown);
  return d;
}

// liquidjs's parseDate: nil is no date; "now" and "today" are now; numbers and digit strings are
// seconds; other strings are parsed as JavaScript's Date parses them.
std::optional<LiquidDate> parseDate(FilterContext& ctx, const Value& input, const Value& zone) {
  Value v = toPrimitive(input);
  double time;
  switch (v.kind()) {
    case Value::Kind::Undefined:
    case Value::Kind::Null:
      return std::nullopt;
    case Value::Kind::Number:
      time = v.asNumber() * 1000;
      break;
    case Value::Kind::String: {
      std::string_view s = v.asString();
      bool digits = !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
      if (s == "now" || s == "today")
        time = ctx.nowMilliseconds();
      else if (digits)
        time = json::text::toNumber(s) * 1000;
      else
        time = parseJsDate(s);
      break;
    }
    case Value::Kind::Boolean:
      time = v.asBoolean() ? 1 : 0;
      break;
    default:
      time = parseJsDate(toJsString(v));
      break;
  }
  time = json::js_date::timeClip(time);
  if (std::isnan(time)) return std::nullopt;
  return makeDate(time, zone);
}

std::string padStart(std::string s, double width, char pad) {
  if (static_cast<double>(json::text::utf16Length(s)) < width) {
    s.insert(0, static_cast<std::size_t>(width) - json::text::utf16Length(s), pad);
  }
  return s;
}

std::string number(double n) {
  std::string s;
  json::appendNumber(n, s);
  return s;
}

// "+0530" / "+05:30" ('-' west of UTC).
std::string offsetText(const LiquidDate& d, bool colon) {
  double n = std::fabs(d.offsetMinutes);
  std::string out = d.offsetMinutes > 0 ? "-" : "+";
  out += padStart(number(std::floor(n / 60)), 2, '0');
  if (colon) out.push_back(':');
  out += padStart(number(std::fmod(n, 60)), 2, '0');
  return out;
}

std::string clock12(const json::js_date::Fields& f) {
  return std::to_string(f.hours % 12 == 0 ? 12 : f.hours % 12);
}

// toLocaleString() and friends in en-US.
std::string localeDate(const json::js_date::Fields& f) {
  return std::to_string(f.month + 1) + "/" + std::to_string(f.day) + "/" + std::to_string(f.year);
}
std::string localeTime(const json::js_date::Fields& f) {
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  return clock12(f) + ":" + two(f.minutes) + ":" + two(f.seconds) + (f.hours < 12 ? " AM" : " PM");
}

std::string weekOfYear(const json::js_date::Fields& f, int startDay) {
  int sinceStart = (f.weekday - startDay + 7) % 7;
  return std::to_string((f.dayOfYear - 1 - sinceStart + 7) / 7);
}

std::string ordinalSuffix(int day) {
  if (day >= 11 && day <= 13) return "th";
  switch (day % 10) {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
  }
}

int defaultWidth(char32_t conversion) {
  switch (conversion) {
    case 'C':
    case 'd':
    case 'e':
    case 'H':
    case 'I':
    case 'k':
    case 'l':
    case 'm':
    case 'M':
    case 'S':
    case 'U':
    case 'W':
    case 'y':
      return 2;
    case 'j':
    case 'L':
      return 3;
    case 'Y':
      return 4;
    default:
      return 0;
  }
}

bool padsWithSpace(char32_t conversion) {
  switch (conversion) {
    case 'a':
    case 'A':
    case 'b':
    case 'B':
    case 'c':
    case 'e':
    case 'k':
    case 'l':
    case 'p':
    case 'P':
      return true;
    default:
      return false;
  }
}

// One conversion's text before padding, or nothing for an unknown conversion.
std::optional<std::string> convert(const LiquidDate& d, char32_t c, std::string_view flags,
                                   std::string_view width, FilterContext& ctx) {
  const json::js_date::Fields& f = d.shown;
  switch (c) {
    case 'a':
      return std::string(kDays[f.weekday], 3);
    case 'A':
      return std::string(kDays[f.weekday]);
    case 'b':
    case 'h':
      return std::string(kMonths[f.month], 3);
    case 'B':
      return std::string(kMonths[f.month]);
    case 'c':
      return localeDate(f) + ", " + localeTime(f);
    case 'C':
      return number(std::floor(static_cast<double>(f.year) / 100));
    case 'd':
    case 'e':
      return std::to_string(f.day);
    case 'H':
    case 'k':
      return std::to_string(f.hours);
    case 'I':
    case 'l':
      return clock12(f);
    case 'j':
      return std::to_string(f.dayOfYear);
    case 'L':
      return std::to_string(f.milliseconds);
    case 'm':
      return std::to_string(f.month + 1);
    case 'M':
      return std::to_string(f.minutes);
    case 'N': {
      double w = json::text::toNumber(width);
      std::size_t digits = w > 0 ? static_cast<std::size_t>(std::min(w, 1e6)) : 9;
      std::string ms = padStart(std::to_string(f.milliseconds), 3, '0');
      if (ms.size() > digits) ms.resize(digits);
      ctx.useMemory(static_cast<double>(digits - ms.size()));
      ms.resize(digits, '0');
      return ms;
    }
    case 'p':
      return std::string(f.hours < 12 ? "AM" : "PM");
    case 'P':
      return std::string(f.hours < 12 ? "am" : "pm");
    case 'q':
      return ordinalSuffix(f.day);
    case 's':
      return number(std::floor(d.time / 1000));
    case 'S':
      return std::to_string(f.seconds);
    case 'u':
      return std::to_string(f.weekday == 0 ? 7 : f.weekday);
    case 'U':
      return weekOfYear(f, 0);
    case 'w':
      return std::to_string(f.weekday);
    case 'W':
      return weekOfYear(f, 1);
    case 'x':
      return localeDate(f);
    case 'X':
      return localeTime(f);
    case 'y':
      return std::to_string(((f.year % 100) + 100) % 100);
    case 'Y':
      return std::to_string(f.year);
    case 'z':
      return offsetText(d, flags.find(':') != std::string_view::npos);
    case 'Z':
      if (!d.zoneGiven) return std::string("UTC");
      if (!d.zoneName.empty()) return d.zoneName;
      return offsetText(d, flags.find(':') != std::string_view::npos);
    case 't':
      return std::string("\t");
    case 'n':
      return std::string("\n");
    case '%':
      return std::string("%");
    default:
      return std::nullopt;
  }
}

bool isFlag(char c) {
  return c == '-' || c == '_' || c == '0' || c == '^' || c == '#' || c == ':';
}
bool isLineTerminator(char32_t c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

struct Directive {
  std::string_view flags;
  std::string_view width;
  char32_t conversion;
  std::size_t length;  // bytes, from the '%'
};

// liquidjs's /%([-_0^#:]+)?(\d+)?([EO])?(.)/ at the '%' at `i`, with the regex's backtracking.
std::optional<Directive> matchDirective(std::string_view s, std::size_t i) {
  std::size_t flagsMax = 0;
  while (i + 1 + flagsMax < s.size() && isFlag(s[i + 1 + flagsMax])) ++flagsMax;
  for (std::size_t f = flagsMax + 1; f-- > 0;) {
    std::size_t j = i + 1 + f;
    std::size_t digitsMax = 0;
    while (j + digitsMax < s.size() && s[j + digitsMax] >= '0' && s[j + digitsMax] <= '9')
      ++digitsMax;
    for (std::size_t w = digitsMax + 1; w-- > 0;) {
      std::size_t k = j + w;
      for (int modifier = 1; modifier >= 0; --modifier) {
        std::size_t c = k;
        if (modifier) {
          if (c >= s.size() || (s[c] != 'E' && s[c] != 'O')) continue;
          ++c;
        }
        if (c >= s.size()) continue;
        json::text::Decoded d = json::text::decodeAt(s, c);
        if (isLineTerminator(d.codePoint)) continue;
        return Directive{s.substr(i + 1, f), s.substr(j, w), d.codePoint, c + d.length - i};
      }
    }
  }
  return std::nullopt;
}

std::string changeCase(const std::string& s) {
  bool hasLower = s.find_first_of("abcdefghijklmnopqrstuvwxyz") != std::string::npos;
  return hasLower ? json::text::toUpper(s) : json::text::toLower(s);
}

// liquidjs's strftime.
std::string strftime(const LiquidDate& d, std::string_view format, FilterContext& ctx) {
  std::string out;
  std::size_t i = 0;
  while (i < format.size()) {
    std::size_t percent = format.find('%', i);
    if (percent == std::string_view::npos) break;
    std::optional<Directive> m = matchDirective(format, percent);
    if (!m) {
      out.append(format.substr(i, percent + 1 - i));
      i = percent + 1;
      continue;
    }
    out.append(format.substr(i, percent - i));
    i = percent + m->length;
    std::optional<std::string> text = convert(d, m->conversion, m->flags, m->width, ctx);
    if (!text) {
      out.append(format.substr(percent, m->length));
      continue;
    }
    char pad = padsWithSpace(m->conversion) ? ' ' : '0';
    double width = json::text::toNumber(m->width);
    if (!(width > 0)) width = defaultWidth(m->conversion);
    auto has = [&](char flag) { return m->flags.find(flag) != std::string_view::npos; };
    if (has('^'))
      *text = json::text::toUpper(*text);
    else if (has('#'))
      *text = changeCase(*text);
    if (has('_'))
      pad = ' ';
    else if (has('0'))
      pad = '0';
    if (has('-')) width = 0;
    ctx.useMemory(width - static_cast<double>(json::text::utf16Length(*text)));
    if (pad == '0' && !text->empty() && (*text)[0] == '-') {
      out += "-" + padStart(text->substr(1), width - 1, pad);
    } else {
      out += padStart(std::move(*text), width, pad);
    }
  }
  out.append(format.substr(i));
  return out;
}

std::string formatArgument(FilterContext& ctx, const Value& formatArg) {
  Value f = toPrimitive(formatArg);
  std::string format = f.isNullOrUndefined() ? std::string(kDefaultFormat) : toOutput(f);
  ctx.useMemory(jsLength(format));
  return format;
}

double lengthOf(const Value& v) {
  if (v.isString()) return jsLength(v.asString());
  if (v.isArray()) return static_cast<double>(v.arraySize());
  return 0;
}

Value date(FilterContext& ctx, const Value& input, const Args& args) {
  const Value& zone = argument(args, 1);
  ctx.useMemory(lengthOf(input) + lengthOf(zone));
  std::optional<LiquidDate> d = parseDate(ctx, input, zone);
  if (!d) return input;
  return Value::string(strftime(*d, formatArgument(ctx, argument(args, 0)), ctx));
}

Value dateToXmlschema(FilterContext& ctx, const Value& input, const Args&) {
  return date(ctx, input, {Value::borrowedString("%Y-%m-%dT%H:%M:%S%:z")});
}

Value dateToRfc822(FilterContext& ctx, const Value& input, const Args&) {
  std::optional<LiquidDate> d = parseDate(ctx, input, Value());
  if (!d) return input;
  return Value::string(strftime(*d, "%a, %d %b %Y %H:%M:%S %z", ctx));
}

// date_to_string / date_to_long_string: "07 Nov 2008", or with "ordinal" "7th Nov 2008"
// ("Nov 7th, 2008" in the "US" style).
Value dateToText(FilterContext& ctx, const Value& input, const Args& args, std::string_view month) {
  std::optional<LiquidDate> d = parseDate(ctx, input, Value());
  if (!d) return input;
  const Value& type = argument(args, 0);
  const Value& style = argument(args, 1);
  std::string format;
  if (type.isString() && type.asString() == "ordinal") {
    std::string day = std::to_string(d->shown.day);
    if (style.isString() && style.asString() == "US")
      format = std::string(month) + " " + day + "%q, %Y";
    else
      format = day + "%q " + std::string(month) + " %Y";
  } else {
    format = "%d " + std::string(month) + " %Y";
  }
  return Value::string(strftime(*d, format, ctx));
}

Value dateToString(FilterContext& ctx, const Value& input, const Args& args) {
  return dateToText(ctx, input, args, "%b");
}

Value dateToLongString(FilterContext& ctx, const Value& input, const Args& args) {
  return dateToText(ctx, input, args, "%B");
}

constexpr FilterDefinition kFilters[] = {
    {"date", date},
    {"date_to_xmlschema", dateToXmlschema},
    {"date_to_rfc822", dateToRfc822},
    {"date_to_string", dateToString},
    {"date_to_long_string", dateToLongString},
};

}  // namespace

std::span<const FilterDefinition> dateFilters() {
  return kFilters;
}

}  // namespace actions::liquid
