// Times as Segment's tracking API writes them: ISO 8601 in UTC with milliseconds
// ("2026-01-01T00:00:00.000Z"), the form of receivedAt and of a corrected timestamp; microseconds
// are written only when a time has them (a corrected timestamp of a device that sent them).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace actions::tracking {

// Microseconds since the epoch of a system clock time (truncated).
std::int64_t microsOf(std::chrono::system_clock::time_point t);

// "YYYY-MM-DDTHH:MM:SS.mmmZ", or ".mmmuuuZ" when the microseconds are not a whole millisecond.
std::string isoTime(std::int64_t micros);

}  // namespace actions::tracking
