// Segment's "date-like" string format, as actions-core defines it for datetime fields: a string
// is date-like when dayjs can read it, and dayjs falls back on JavaScript's Date parser. dayjs's
// own pattern is reproduced here; the Date parser is V8's (json/js_date.h), with the process time
// zone taken as UTC.
#pragma once

#include <optional>
#include <string_view>

namespace actions::kit {

// True when actions-core's `date-like` format accepts `s`.
bool isDateLike(std::string_view s);

// V8's Date.parse(s) in milliseconds since the epoch, or nothing where it gives NaN.
std::optional<double> jsDateParse(std::string_view s);

}  // namespace actions::kit
