#include "tracking/clock.h"

#include <fmt/format.h>

#include "json/js_date.h"

namespace actions::tracking {

std::int64_t microsOf(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

std::string isoTime(std::int64_t micros) {
  // Floor division, so times before 1970 keep a positive sub-millisecond part.
  std::int64_t ms = micros / 1000 - (micros % 1000 < 0 ? 1 : 0);
  int subMillis = static_cast<int>(micros - ms * 1000);
  auto f = json::js_date::fieldsOf(static_cast<double>(ms));
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}", f.year, f.month + 1,
                                f.day, f.hours, f.minutes, f.seconds, f.milliseconds);
  if (subMillis) out += fmt::format("{:03}", subMillis);
  out += 'Z';
  return out;
}

}  // namespace actions::tracking
