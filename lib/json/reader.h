// The JSON reader: builds the document json::parse gives, exactly as RapidJSON's own reader
// would build it (the same number representations), and reads what JSON.parse reads beyond that:
// a \u escape of a lone surrogate becomes its three-byte form (json/js_text.h). It reports only
// that a text is not JSON; json::parse asks RapidJSON's reader where and why.
#pragma once

#include <cstddef>
#include <string_view>

#include "json/json.h"

namespace actions::json::detail {

enum class ReadResult {
  Done,           // `doc` holds the document; no object can have a repeated key
  DoneCheckKeys,  // `doc` holds the document; some object may repeat a key
  Failed,         // not JSON, or nested deeper than allowed: `doc` is unchanged
};

// `asWritten`, when given and the text is read: whether the text is byte for byte what
// json::stringify writes for the document (json/as_written.h). `inText`: the document's strings
// without escapes are references into `text` (which must outlive it), not copies.
ReadResult read(std::string_view text, Document& doc, unsigned maxDepth, bool* asWritten = nullptr,
                bool inText = false);

// The same reading told as it goes, for a host that wants where things are rather than a
// document (serve hands events on as slices of the request). Offsets are bytes into the text.
enum class ScanKind { Null, Bool, Number, String, Object, Array };
class Scanner {
 public:
  // A value begins at `at` (a container at its opening bracket, a string at its quote).
  virtual void begin(ScanKind kind, std::size_t at) = 0;
  // An object's key, decoded, before its value begins.
  virtual void key(std::string_view name) = 0;
  // A string value's content, decoded, just after its begin().
  virtual void string(std::string_view value) = 0;
  // The value begun last and not yet ended ends just before `at` (a container after everything
  // it holds has ended).
  virtual void end(std::size_t at) = 0;

 protected:
  ~Scanner() = default;
};
// Reads `text` by the rules read() reads it by; false when it is not JSON or nests deeper than
// `maxDepth` (the scanner may have been told part of it).
bool scan(std::string_view text, Scanner& scanner, unsigned maxDepth);

}  // namespace actions::json::detail
