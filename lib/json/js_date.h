// JavaScript's Date, as both the liquid date filters and the date-like format of datetime fields
// need it: the calendar arithmetic of the ECMAScript spec and V8's Date.parse (ISO 8601 forms and
// the legacy forms browsers accept), in a process whose local time zone is UTC (as Segment's is).
#pragma once

#include <cstdint>
#include <string_view>

namespace actions::json::js_date {

// Time values are milliseconds since the epoch, NaN when invalid.
struct Fields {
  std::int64_t year;
  int month;  // 0-11
  int day;    // 1-31
  int hours;
  int minutes;
  int seconds;
  int milliseconds;
  int weekday;    // 0 = Sunday
  int dayOfYear;  // 1-366
};

// The calendar fields of a (finite) time value.
Fields fieldsOf(double time);
// MakeDate(MakeDay(year, month, day), MakeTime(...)), months and days overflowing as in JS.
double makeTime(double year, double month, double day, double hours, double minutes, double seconds,
                double milliseconds);
// TimeClip: NaN beyond 8.64e15 ms from the epoch.
double timeClip(double time);

// Date.parse of the string whose code points are given. The caller decodes its UTF-8, so each
// module keeps its own rule for malformed bytes.
double parse(std::u32string_view codePoints);

}  // namespace actions::json::js_date
