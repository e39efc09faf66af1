// IANA time zones for the date filter's zone argument ("America/New_York"), read from the
// system's zoneinfo files, named case-insensitively as JavaScript's Intl names them.
#pragma once

#include <optional>
#include <string_view>

namespace actions::liquid::timezone {

// The offset of zone `name` at `time` (ms since the epoch) in minutes west of UTC (JavaScript's
// getTimezoneOffset sign), or nothing for a zone that does not exist.
std::optional<double> offsetMinutesWest(std::string_view name, double time);

}  // namespace actions::liquid::timezone
