// Segment's `integrations` object: which destinations an event goes to. `false` under the
// destination's own name keeps the event away; "All": false keeps it away too unless the
// destination's own value is truthy (true, or an object of options). The rule analytics.js
// applies to its own Segment.io destination, with JavaScript's truthiness.
#pragma once

#include <string_view>

#include "json/json.h"

namespace actions::tracking {

// Whether an event whose integrations object is `integrations` (anything: only an object
// counts) goes to the destination named `name`.
bool sendsTo(const json::Value* integrations, std::string_view name);

}  // namespace actions::tracking
