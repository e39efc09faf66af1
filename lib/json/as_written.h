// Writing back what was just read, without writing it: events from Segment's libraries are
// JSON.stringify's own output, and the Send Data payload's `message` is the event itself (a
// shared handle, mapping/js/value.h). When the event's text is exactly what the writer would
// write for it, the payload's writer copies that text instead of writing the event value by
// value (about a third of a dry run's work otherwise).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::json {

// json::parse for a caller that keeps `text` as it is for as long as it keeps the document and
// any value copied from it (a copy of a string value refers to the same text): strings without
// escapes are left in the text rather than copied. It also says whether `text` is byte for byte
// what stringify writes for the document: no white space anywhere, JSON.stringify's escapes and no
// others, numbers as JavaScript writes them, no key given twice (false whenever unsure).
std::optional<ParseError> parseKeepingText(std::string_view text, Document& doc, bool& asWritten,
                                           unsigned maxDepth = kMaxDepth);

// A value whose text is known: `value` is a handle on a document whose text is `text`, as
// parseKeepingText(text, doc, asWritten) found it (asWritten true), and that nothing has changed
// since.
struct KnownText {
  const Value* value = nullptr;
  std::string_view text;
};

// stringify(v, out), except that a member of the object `v` that is `known.value` itself (the
// same handle: the same members, not an equal copy) is written as `known.text`. The result is the
// same bytes.
void stringify(const Value& v, std::string& out, const KnownText& known);

}  // namespace actions::json
