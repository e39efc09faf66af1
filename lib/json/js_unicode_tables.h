// Unicode data of JavaScript's string methods, generated from the engine itself so case mapping
// and character classes agree with it. The tables live in js_unicode_tables.cpp; to regenerate
// them, from the repository root:
//   node lib/json/tools/gen_js_unicode_tables.js > lib/json/js_unicode_tables.cpp
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace actions::json::js_unicode {

// A code point whose full case mapping differs from itself ("ß" upper-cases to "SS").
struct CaseMapping {
  char32_t from;
  char32_t to[3];  // a full mapping has at most three code points
  std::uint8_t length;
};

struct CodePointRange {
  char32_t first, last;
};

// Sorted by code point: String.prototype.toUpperCase / toLowerCase of each single code point.
extern const CaseMapping kUpper[];
extern const std::size_t kUpperSize;
extern const CaseMapping kLower[];
extern const std::size_t kLowerSize;

// Sorted, disjoint ranges: Unicode's Cased and Case_Ignorable properties (the final-sigma rule of
// toLowerCase); letters, marks and decimal digits (/[\p{L}\p{M}\p{Nd}]/u, liquid's slugify).
extern const CodePointRange kCased[];
extern const std::size_t kCasedSize;
extern const CodePointRange kCaseIgnorable[];
extern const std::size_t kCaseIgnorableSize;
extern const CodePointRange kLetterMarkOrDigit[];
extern const std::size_t kLetterMarkOrDigitSize;

inline bool inRanges(const CodePointRange* ranges, std::size_t size, char32_t cp) {
  const CodePointRange* end = ranges + size;
  const CodePointRange* it = std::upper_bound(
      ranges, end, cp, [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != ranges && cp <= (it - 1)->last;
}

}  // namespace actions::json::js_unicode
