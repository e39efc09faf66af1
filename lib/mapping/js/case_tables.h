// Raw tables behind js/case.h, generated from the JavaScript engine (see tools/gen_case_tables.js).
#pragma once

#include <cstddef>
#include <cstdint>

namespace actions::mapping::js::tables {

struct CaseMapping {
  char32_t from;
  char32_t to[3];  // a full mapping has at most three code points
  std::uint8_t length;
};

struct CodePointRange {
  char32_t first, last;
};

extern const CaseMapping kUpper[];
extern const std::size_t kUpperSize;
extern const CaseMapping kLower[];
extern const std::size_t kLowerSize;
extern const CodePointRange kCased[];
extern const std::size_t kCasedSize;
extern const CodePointRange kCaseIgnorable[];
extern const std::size_t kCaseIgnorableSize;

}  // namespace actions::mapping::js::tables
