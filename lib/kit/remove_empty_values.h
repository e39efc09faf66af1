// actions-core's removeEmptyValues, run between the mapping and validation: a null where the
// field does not allow null, or an empty string where it does not take a string, counts as "not
// given" and is removed, so that a required field reports missing rather than mistyped.
#pragma once

#include "json/json.h"
#include "kit/schema.h"

namespace actions::kit {

// Cleans `payload` in place. `isRoot` also drops empty strings at the top level (Segment does so
// for single events, not for batches). Returns false when the whole payload counts as removed.
bool removeEmptyValues(json::Value& payload, const schema::Node& schema, bool isRoot);

}  // namespace actions::kit
