// A messageId in the form Segment's tracking API gives an event that has none: "api-" and a
// KSUID (27 base62 characters: a 4-byte timestamp, seconds since 2014-05-13T16:53:20Z, then 16
// random bytes), e.g. "api-1joj5LZSzuVCI9KshnaX059JYKo". Unique without coordination between
// servers, and sorted by time.
#pragma once

#include <cstdint>
#include <string>

namespace actions::tracking {

// `unixSeconds`: the time to put in it.
std::string generateMessageId(std::int64_t unixSeconds);

}  // namespace actions::tracking
