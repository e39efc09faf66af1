// Runs a mapping over one event through the public API, for short assertions.
#pragma once

#include <string>

#include "actions/mapping/mapping.h"

namespace mappingtest {

// The output JSON, "ERROR: <message>" when the event fails, or "INVALID: <problems>" when the
// mapping is refused.
inline std::string run(const std::string& mapping, const std::string& event = "{}") {
  try {
    auto m = actions::mapping::Mapping::fromJson(mapping);
    auto r = m.apply(event);
    return r.ok ? r.output : "ERROR: " + r.error;
  } catch (const actions::mapping::InvalidMapping& e) {
    return std::string("INVALID: ") + e.what();
  }
}

}  // namespace mappingtest
