// Event times as the table stores them: parsed from what events carry (docs/contracts.md "The
// table") and normalised to UTC microseconds. Accepted: RFC 3339 / ISO 8601 date-times with "Z"
// or an offset (T, t or a space between date and time, seconds optional, fractions up to
// nanoseconds, kept to microseconds by truncation), a bare date (midnight UTC), date-times without
// a zone (UTC), and epoch seconds (10 integer digits) or milliseconds (13) as a string or number.
// Impossible calendar dates (2021-02-30, 24:00) and times outside DATETIME's range are refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::kit {

struct TimestampResult {
  std::optional<int64_t> micros;  // microseconds since 1970-01-01T00:00:00Z
  std::string error;              // why it was refused ("Timestamp ... is an impossible date")
};

TimestampResult parseTimestamp(std::string_view text);
TimestampResult parseTimestamp(double epoch);
// A string or a number; anything else is refused.
TimestampResult parseTimestamp(const json::Value& value);

// "YYYY-MM-DD HH:MM:SS.ffffff" (UTC), the literal a DATETIME(6) column takes.
void appendDatetime6(int64_t micros, std::string& out);
std::string formatDatetime6(int64_t micros);

}  // namespace actions::kit
