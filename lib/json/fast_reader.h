// A reader for the common case only: well-formed JSON in well-formed UTF-8, numbers without an
// exponent and with at most 18 integer digits, nesting within the limit, no lone surrogate
// escape. It builds exactly the document the general reader (json::parse) builds and declines
// everything else, which then goes to the general reader for its result or its error.
#pragma once

#include <string_view>

#include "json/json.h"

namespace actions::json::detail {

enum class FastParse {
  Done,           // `doc` holds the document; no object can have a repeated key
  DoneCheckKeys,  // `doc` holds the document; some object may repeat a key
  Declined,       // not the common case (or not JSON): `doc` is unchanged
};

FastParse parseCommonCase(std::string_view text, Document& doc, unsigned maxDepth);

}  // namespace actions::json::detail
