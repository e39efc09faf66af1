#include "mapping/js/case.h"

#include <algorithm>

#include "mapping/js/case_tables.h"
#include "mapping/js/utf8.h"

namespace actions::mapping::js {
namespace {

using tables::CaseMapping;
using tables::CodePointRange;

const CaseMapping* findMapping(const CaseMapping* table, std::size_t size, char32_t cp) {
  const CaseMapping* end = table + size;
  const CaseMapping* it =
      std::lower_bound(table, end, cp, [](const CaseMapping& m, char32_t c) { return m.from < c; });
  return it != end && it->from == cp ? it : nullptr;
}

bool inRanges(const CodePointRange* ranges, std::size_t size, char32_t cp) {
  const CodePointRange* end = ranges + size;
  const CodePointRange* it = std::upper_bound(
      ranges, end, cp, [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != ranges && cp <= (it - 1)->last;
}

bool isCased(char32_t cp) {
  return inRanges(tables::kCased, tables::kCasedSize, cp);
}
bool isCaseIgnorable(char32_t cp) {
  return inRanges(tables::kCaseIgnorable, tables::kCaseIgnorableSize, cp);
}

constexpr char32_t kCapitalSigma = 0x3A3;
constexpr char32_t kFinalSigma = 0x3C2;

// Unicode's Final_Sigma context: a cased letter (then case-ignorables) before, and no cased
// letter (after case-ignorables) following.
bool isFinalSigma(std::string_view s, std::size_t start, std::size_t end) {
  bool casedBefore = false;
  for (std::size_t i = start; i > 0;) {
    std::size_t j = i - 1;
    while (j > 0 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) --j;
    std::size_t k = j;
    char32_t cp = decodeUtf8(s, k);
    i = j;
    if (isCaseIgnorable(cp)) continue;
    casedBefore = isCased(cp);
    break;
  }
  if (!casedBefore) return false;
  for (std::size_t i = end; i < s.size();) {
    char32_t cp = decodeUtf8(s, i);
    if (isCaseIgnorable(cp)) continue;
    return !isCased(cp);
  }
  return true;
}

template <bool kUpper>
std::string convert(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const CaseMapping* table = kUpper ? tables::kUpper : tables::kLower;
  std::size_t size = kUpper ? tables::kUpperSize : tables::kLowerSize;
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
      i = run;
      if (i == s.size()) break;
    }
    std::size_t start = i;
    char32_t cp = decodeUtf8(s, i);
    if (!kUpper && cp == kCapitalSigma && isFinalSigma(s, start, i)) {
      appendUtf8(kFinalSigma, out);
      continue;
    }
    if (const CaseMapping* m = findMapping(table, size, cp)) {
      for (int k = 0; k < m->length; ++k) appendUtf8(m->to[k], out);
    } else if (cp == 0xFFFD && s.compare(start, 3, "\xEF\xBF\xBD") != 0) {
      out.append(s.substr(start, i - start));  // keep a malformed byte as it was
    } else {
      appendUtf8(cp, out);
    }
  }
  return out;
}

}  // namespace

std::string toUpperCase(std::string_view s) {
  return convert<true>(s);
}
std::string toLowerCase(std::string_view s) {
  return convert<false>(s);
}

char32_t canonicalizeIgnoringCase(char32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z' ? cp - 32 : cp;
  if (cp > 0xFFFF) return cp;  // each half of a surrogate pair stays as it is
  const CaseMapping* m = findMapping(tables::kUpper, tables::kUpperSize, cp);
  if (!m || m->length != 1 || m->to[0] > 0xFFFF || m->to[0] < 0x80) return cp;
  return m->to[0];
}

}  // namespace actions::mapping::js
