// The JSON reader: builds the document json::parse gives, exactly as RapidJSON's own reader
// would build it (the same number representations), and reads what JSON.parse reads beyond that:
// a \u escape of a lone surrogate becomes its three-byte form (json/js_text.h). It reports only
// that a text is not JSON; json::parse asks RapidJSON's reader where and why.
#pragma once

#include <string_view>

#include "json/json.h"

namespace actions::json::detail {

enum class ReadResult {
  Done,           // `doc` holds the document; no object can have a repeated key
  DoneCheckKeys,  // `doc` holds the document; some object may repeat a key
  Failed,         // not JSON, or nested deeper than allowed: `doc` is unchanged
};

ReadResult read(std::string_view text, Document& doc, unsigned maxDepth);

}  // namespace actions::json::detail
