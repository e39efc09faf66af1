// Unicode data of JavaScript's string methods, as tables generated from the engine itself
// (test/liquid/tools/gen_unicode_tables.js), so case mapping and character classes agree with it.
#pragma once

#include <cstddef>

namespace actions::liquid::unicode {

// A code point and its mapping, or the first and last code points of a range.
struct CodePointPair {
  char32_t first;
  char32_t second;
};

// A code point whose case mapping is several code points ("ß" upper-cases to "SS").
struct SpecialMapping {
  char32_t codePoint;
  const char* utf8;
};

// Sorted by code point.
extern const CodePointPair kUpperSingle[];
extern const std::size_t kUpperSingleSize;
extern const SpecialMapping kUpperSpecial[];
extern const std::size_t kUpperSpecialSize;
extern const CodePointPair kLowerSingle[];
extern const std::size_t kLowerSingleSize;
extern const SpecialMapping kLowerSpecial[];
extern const std::size_t kLowerSpecialSize;

// Sorted, disjoint ranges: letters, marks and decimal digits (slugify's kept characters);
// Unicode's Cased and Case_Ignorable properties (the final-sigma rule of toLowerCase).
extern const CodePointPair kSlugWordRanges[];
extern const std::size_t kSlugWordRangesSize;
extern const CodePointPair kCasedRanges[];
extern const std::size_t kCasedRangesSize;
extern const CodePointPair kCaseIgnorableRanges[];
extern const std::size_t kCaseIgnorableRangesSize;

}  // namespace actions::liquid::unicode
