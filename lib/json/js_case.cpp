#include "json/js_case.h"

#include <algorithm>

#include "json/js_text.h"
#include "json/js_unicode_tables.h"

namespace actions::json::js_case {
namespace {

using js_unicode::CaseMapping;
using text::appendUtf8;
using text::decodeAt;
using text::Decoded;

std::u32string_view mappingOf(const CaseMapping* table, std::size_t size, char32_t cp) {
  const CaseMapping* end = table + size;
  const CaseMapping* it =
      std::lower_bound(table, end, cp, [](const CaseMapping& m, char32_t c) { return m.from < c; });
  if (it == end || it->from != cp) return {};
  return {it->to, it->length};
}

bool isCased(char32_t cp) {
  return js_unicode::inRanges(js_unicode::kCased, js_unicode::kCasedSize, cp);
}
bool isCaseIgnorable(char32_t cp) {
  return js_unicode::inRanges(js_unicode::kCaseIgnorable, js_unicode::kCaseIgnorableSize, cp);
}

constexpr char32_t kCapitalSigma = 0x3A3;
constexpr char32_t kFinalSigma = 0x3C2;
using text::kReplacementCharacter;

// The right half of Unicode's Final_Sigma condition: past any case-ignorable characters from
// byte `i`, a cased character follows.
bool casedAfter(std::string_view s, std::size_t i) {
  while (i < s.size()) {
    Decoded d = decodeAt(s, i);
    if (!isCaseIgnorable(d.codePoint)) return isCased(d.codePoint);
    i += d.length;
  }
  return false;
}

template <bool kUpper>
void convert(std::string_view s, std::string& out) {
  out.reserve(out.size() + s.size());
  // The left half of the Final_Sigma condition, kept while walking forward (so nothing is
  // decoded backwards): the last character before here that is not case-ignorable is cased.
  bool casedBefore = false;
  for (std::size_t i = 0; i < s.size();) {
    // A run of ASCII converts byte by byte, in place.
    std::size_t run = i;
    while (run < s.size() && static_cast<unsigned char>(s[run]) < 0x80) ++run;
    if (run > i) {
      std::size_t at = out.size();
      out.append(s.substr(i, run - i));
      for (std::size_t k = at; k < out.size(); ++k) {
        char& c = out[k];
        if (kUpper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
        if (!kUpper && c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
      }
      if constexpr (!kUpper) {  // the run's last character that is not case-ignorable decides
        for (std::size_t k = run; k > i; --k) {
          char32_t c = static_cast<unsigned char>(s[k - 1]);
          if (isCaseIgnorable(c)) continue;
          casedBefore = isCased(c);
          break;
        }
      }
      i = run;
      if (i == s.size()) break;
    }
    Decoded d = decodeAt(s, i);
    char32_t cp = d.codePoint;
    std::u32string_view to = kUpper ? mappingOf(js_unicode::kUpper, js_unicode::kUpperSize, cp)
                                    : mappingOf(js_unicode::kLower, js_unicode::kLowerSize, cp);
    if (!kUpper && cp == kCapitalSigma && casedBefore && !casedAfter(s, i + d.length)) {
      appendUtf8(kFinalSigma, out);
    } else if (!to.empty()) {
      for (char32_t c : to) appendUtf8(c, out);
    } else if (cp == kReplacementCharacter) {
      out.append(s.substr(i, d.length));  // bytes that are not text stay as they were
    } else {
      appendUtf8(cp, out);
    }
    if constexpr (!kUpper) {
      if (!isCaseIgnorable(cp)) casedBefore = isCased(cp);
    }
    i += d.length;
  }
}

}  // namespace

void appendUpperCase(std::string_view s, std::string& out) {
  convert<true>(s, out);
}
void appendLowerCase(std::string_view s, std::string& out) {
  convert<false>(s, out);
}

std::u32string_view upperCaseOf(char32_t cp) {
  return mappingOf(js_unicode::kUpper, js_unicode::kUpperSize, cp);
}

}  // namespace actions::json::js_case
