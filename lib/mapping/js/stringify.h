// JSON.stringify over values that may hold undefined: undefined members are left out,
// undefined elements written as null, and an undefined value gives no text at all.
#pragma once

#include <string>

#include "mapping/js/value.h"

namespace actions::mapping::js {

// Appends JSON.stringify(v) to `out`; false (nothing appended) when v is undefined.
bool stringify(const Value& v, std::string& out);

}  // namespace actions::mapping::js
