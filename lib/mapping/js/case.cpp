#include "mapping/js/case.h"

#include "json/js_case.h"

namespace actions::mapping::js {

char32_t canonicalizeIgnoringCase(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  if (cp > 0xFFFF) return cp;  // each half of a surrogate pair stays as it is
  std::u32string_view upper = json::js_case::upperCaseOf(cp);
  if (upper.size() != 1 || upper[0] > 0xFFFF || upper[0] < 0x80) return cp;
  return upper[0];
}

}  // namespace actions::mapping::js
