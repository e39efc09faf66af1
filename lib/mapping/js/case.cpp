#include "mapping/js/case.h"

#include "json/js_case.h"
#include "mapping/js/utf8.h"

namespace actions::mapping::js {
namespace {

// The shared conversion walks the string with this module's own UTF-8 decoding.
json::js_case::Decoded decodeAt(std::string_view s, std::size_t i) {
  std::size_t start = i;
  char32_t cp = decodeUtf8(s, i);
  return {cp, i - start};
}

}  // namespace

std::string toUpperCase(std::string_view s) {
  std::string out;
  json::js_case::appendUpperCase(s, decodeAt, out);
  return out;
}
std::string toLowerCase(std::string_view s) {
  std::string out;
  json::js_case::appendLowerCase(s, decodeAt, out);
  return out;
}

char32_t canonicalizeIgnoringCase(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  if (cp > 0xFFFF) return cp;  // each half of a surrogate pair stays as it is
  std::u32string_view upper = json::js_case::upperCaseOf(cp);
  if (upper.size() != 1 || upper[0] > 0xFFFF || upper[0] < 0x80) return cp;
  return upper[0];
}

}  // namespace actions::mapping::js
