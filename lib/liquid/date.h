// JavaScript's Date, as the date filters need it: the calendar arithmetic of the ECMAScript
// spec and V8's Date.parse (ISO 8601 forms and the legacy forms browsers accept), in a process
// whose local time zone is UTC (as Segment's is).
#pragma once

#include <cstdint>
#include <string_view>

namespace actions::liquid::dates {

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

// new Date(string).getTime().
double parse(std::string_view s);

}  // namespace actions::liquid::dates
