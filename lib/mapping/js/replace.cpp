#include "mapping/js/replace.h"

#include <vector>

#include "json/js_text.h"
#include "mapping/js/case.h"

namespace actions::mapping::js {
namespace {

// GetSubstitution for a RegExp without capture groups.
void substitute(std::string_view replacement, std::string_view value, std::size_t at,
                std::size_t length, std::string& out) {
  for (std::size_t i = 0; i < replacement.size(); ++i) {
    char c = replacement[i];
    if (c != '$' || i + 1 == replacement.size()) {
      out.push_back(c);
      continue;
    }
    char next = replacement[i + 1];
    if (next == '$') {
      out.push_back('$');
    } else if (next == '&') {
      out.append(value.substr(at, length));
    } else if (next == '`') {
      out.append(value.substr(0, at));
    } else if (next == '\'') {
      out.append(value.substr(at + length));
    } else {
      out.push_back('$');  // "$1" and "$<" stay as they are: there are no groups
      continue;
    }
    ++i;
  }
}

// Byte offset and length of the first match at or after `from`, or npos.
std::size_t findIgnoringCase(std::string_view value, const std::vector<char32_t>& pattern,
                             std::size_t from, std::size_t& length) {
  for (std::size_t start = from; start < value.size();) {
    std::size_t i = start;
    std::size_t k = 0;
    while (k < pattern.size() && i < value.size()) {
      if (canonicalizeIgnoringCase(json::text::nextCodePoint(value, i)) != pattern[k]) break;
      ++k;
    }
    if (k == pattern.size()) {
      length = i - start;
      return start;
    }
    json::text::nextCodePoint(value, start);  // next character
  }
  return std::string_view::npos;
}

}  // namespace

std::string replaceLiteral(std::string_view value, std::string_view pattern,
                           std::string_view replacement, bool global, bool ignoreCase) {
  std::vector<char32_t> folded;
  if (ignoreCase) {
    for (std::size_t i = 0; i < pattern.size();)
      folded.push_back(canonicalizeIgnoringCase(json::text::nextCodePoint(pattern, i)));
  }
  std::string out;
  out.reserve(value.size());
  std::size_t pos = 0;
  while (pos <= value.size() && !pattern.empty()) {
    std::size_t length = pattern.size();
    std::size_t at =
        ignoreCase ? findIgnoringCase(value, folded, pos, length) : value.find(pattern, pos);
    if (at == std::string_view::npos) break;
    out.append(value.substr(pos, at - pos));
    substitute(replacement, value, at, length, out);
    pos = at + length;
    if (!global) break;
  }
  if (pos < value.size()) out.append(value.substr(pos));
  return out;
}

}  // namespace actions::mapping::js
