// String filters (liquidjs's filters/string): every input is first printed as {{ }} prints it,
// and lengths are counted in UTF-16 units, as liquidjs counts them.
#include <algorithm>
#include <string>
#include <vector>

#include "liquid/error.h"
#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"
#include "liquid/limits.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

// The pieces JavaScript's `s.split(separator)` gives; an empty separator splits UTF-16 units.
std::vector<std::string> jsSplit(std::string_view s, std::string_view separator) {
  std::vector<std::string> parts;
  auto add = [&parts](std::string piece) {
    if (parts.size() >= kMaxArrayLength) {
      throw RenderFailure("liquid arrays are limited to " + std::to_string(kMaxArrayLength) +
                          " elements");
    }
    parts.push_back(std::move(piece));
  };
  if (separator.empty()) {
    for (std::size_t i = 0; i < s.size();) {
      json::text::Decoded d = json::text::decodeAt(s, i);
      if (d.codePoint >= 0x10000) {
        add(std::string(json::text::surrogateText(json::text::highSurrogateOf(d.codePoint))));
        add(std::string(json::text::surrogateText(json::text::lowSurrogateOf(d.codePoint))));
      } else {
        add(std::string(s.substr(i, d.length)));
      }
      i += d.length;
    }
    return parts;
  }
  std::size_t start = 0;
  for (;;) {
    std::size_t at = s.find(separator, start);
    if (at == std::string_view::npos) break;
    add(std::string(s.substr(start, at - start)));
    start = at + separator.size();
  }
  add(std::string(s.substr(start)));
  return parts;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out.append(separator);
    out.append(parts[i]);
  }
  return out;
}

std::vector<char32_t> codePointSet(std::string_view s) {
  std::vector<char32_t> set;
  for (std::size_t i = 0; i < s.size();) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    if (std::find(set.begin(), set.end(), d.codePoint) == set.end()) set.push_back(d.codePoint);
    i += d.length;
  }
  return set;
}

bool inSet(const std::vector<char32_t>& set, char32_t cp) {
  return std::find(set.begin(), set.end(), cp) != set.end();
}

std::size_t trimStartOf(std::string_view s, const std::vector<char32_t>& set) {
  std::size_t i = 0;
  while (i < s.size()) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    if (!inSet(set, d.codePoint)) break;
    i += d.length;
  }
  return i;
}

std::size_t trimEndOf(std::string_view s, const std::vector<char32_t>& set, std::size_t start) {
  std::size_t end = s.size();
  while (end > start) {
    json::text::Decoded d = json::text::decodeBefore(s, end);
    if (!inSet(set, d.codePoint)) break;
    end -= d.length;
  }
  return end;
}

// The words of `s` split on runs of JavaScript whitespace (/\s+/).
std::vector<std::string_view> splitOnSpace(std::string_view s) {
  std::vector<std::string_view> words;
  std::size_t start = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    if (!json::text::isJsWhitespace(d.codePoint)) {
      i += d.length;
      continue;
    }
    words.push_back(s.substr(start, i - start));
    while (i < s.size()) {
      json::text::Decoded e = json::text::decodeAt(s, i);
      if (!json::text::isJsWhitespace(e.codePoint)) break;
      i += e.length;
    }
    start = i;
  }
  words.push_back(s.substr(start));
  return words;
}

std::string collapseSpace(std::string_view s) {
  std::string out;
  bool inSpace = false;
  for (std::size_t i = 0; i < s.size();) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    if (json::text::isJsWhitespace(d.codePoint)) {
      if (!inSpace) out.push_back(' ');
      inSpace = true;
    } else {
      out.append(s.substr(i, d.length));
      inSpace = false;
    }
    i += d.length;
  }
  return out;
}

Value append(FilterContext& ctx, const Value& input, const Args& args) {
  if (args.size() != 1) throw RenderFailure("append expect 2 arguments");
  std::string lhs = toOutput(input);
  std::string rhs = toOutput(args[0]);
  ctx.useMemory(jsLength(lhs) + jsLength(rhs));
  return Value::string(lhs + rhs);
}

Value prepend(FilterContext& ctx, const Value& input, const Args& args) {
  if (args.size() != 1) throw RenderFailure("prepend expect 2 arguments");
  std::string lhs = toOutput(input);
  std::string rhs = toOutput(args[0]);
  ctx.useMemory(jsLength(lhs) + jsLength(rhs));
  return Value::string(rhs + lhs);
}

Value lstrip(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  const Value& chars = argument(args, 0);
  if (isJsTruthy(chars)) {
    std::string c = toOutput(chars);
    ctx.useMemory(jsLength(c));
    return Value::string(s.substr(trimStartOf(s, codePointSet(c))));
  }
  return Value::string(std::string(json::text::trimStart(s)));
}

Value rstrip(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  const Value& chars = argument(args, 0);
  if (isJsTruthy(chars)) {
    std::string c = toOutput(chars);
    ctx.useMemory(jsLength(c));
    return Value::string(s.substr(0, trimEndOf(s, codePointSet(c), 0)));
  }
  return Value::string(std::string(json::text::trimEnd(s)));
}

Value strip(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  const Value& chars = argument(args, 0);
  if (isJsTruthy(chars)) {
    std::vector<char32_t> set = codePointSet(toOutput(chars));
    ctx.useMemory(static_cast<double>(set.size()));
    std::size_t start = trimStartOf(s, set);
    return Value::string(s.substr(start, trimEndOf(s, set, start) - start));
  }
  return Value::string(std::string(json::text::trim(s)));
}

Value downcase(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(json::text::toLower(s));
}

Value upcase(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(json::text::toUpper(s));
}

// The first UTF-16 unit upper-cased, the rest lower-cased (an astral first character, whose
// halves have no case, stays as it is).
Value capitalize(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  if (s.empty()) return Value::string(std::move(s));
  std::size_t first = json::text::decodeAt(s, 0).length;
  std::string out;
  if (json::text::decodeAt(s, 0).codePoint >= 0x10000)
    out.append(s, 0, first);
  else
    json::text::appendUpper(std::string_view(s).substr(0, first), out);
  json::text::appendLower(std::string_view(s).substr(first), out);
  return Value::string(std::move(out));
}

Value remove(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  std::string pattern = toOutput(argument(args, 0));
  ctx.useMemory(jsLength(s) + jsLength(pattern));
  return Value::string(join(jsSplit(s, pattern), ""));
}

enum class Occurrence { First, Last };

// remove_first / remove_last / replace_first / replace_last: the pattern's first or last
// occurrence replaced (removed: replaced by nothing).
Value replaceOne(FilterContext& ctx, const Value& input, const Value& pattern,
                 std::string_view replacement, Occurrence which) {
  std::string s = toOutput(input);
  std::string p = toOutput(pattern);
  ctx.useMemory(jsLength(s) + jsLength(p) + jsLength(replacement));
  std::size_t at = which == Occurrence::First ? s.find(p) : s.rfind(p);
  if (at != std::string::npos) s.replace(at, p.size(), replacement);
  return Value::string(std::move(s));
}

Value removeFirst(FilterContext& ctx, const Value& input, const Args& args) {
  return replaceOne(ctx, input, argument(args, 0), "", Occurrence::First);
}

Value removeLast(FilterContext& ctx, const Value& input, const Args& args) {
  return replaceOne(ctx, input, argument(args, 0), "", Occurrence::Last);
}

Value replace(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  std::string pattern = toOutput(argument(args, 0));
  std::string replacement = toOutput(argument(args, 1));
  std::vector<std::string> parts = jsSplit(s, pattern);
  if (s.empty() && pattern.empty()) parts.clear();  // "".split("") is []
  ctx.useMemory(jsLength(s) + (static_cast<double>(parts.size()) - 1) *
                                  (jsLength(replacement) - jsLength(pattern)));
  return Value::string(join(parts, replacement));
}

Value replaceFirst(FilterContext& ctx, const Value& input, const Args& args) {
  return replaceOne(ctx, input, argument(args, 0), toOutput(argument(args, 1)), Occurrence::First);
}

Value replaceLast(FilterContext& ctx, const Value& input, const Args& args) {
  return replaceOne(ctx, input, argument(args, 0), toOutput(argument(args, 1)), Occurrence::Last);
}

// Trailing empty strings are dropped, as Ruby's split (and so Shopify's Liquid) does.
Value split(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  std::string separator = toOutput(argument(args, 0));
  std::vector<std::string> parts = jsSplit(s, separator);
  if (s.empty() && separator.empty()) parts.clear();
  while (!parts.empty() && parts.back().empty()) parts.pop_back();
  ctx.countSteps(parts.size());
  std::vector<Value> items;
  items.reserve(parts.size());
  for (auto& p : parts) items.push_back(Value::string(std::move(p)));
  return Value::array(std::move(items));
}

Value stripNewlines(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n') continue;
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') continue;
    out.push_back(s[i]);
  }
  return Value::string(std::move(out));
}

Value squish(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(std::string(json::text::trim(collapseSpace(s))));
}

Value normalizeWhitespace(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(collapseSpace(s));
}

// Keeps at most `length` characters, the ellipsis included; returns the input untouched when it
// fits.
Value truncate(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  const Value& ellipsisArg = argument(args, 1);
  std::string ellipsis = ellipsisArg.isUndefined() ? "..." : toOutput(ellipsisArg);
  ctx.useMemory(jsLength(s) + jsLength(ellipsis));
  double length = numberOr(argument(args, 0), 50);
  if (jsLength(s) <= length) return input;
  if (json::text::advanceCodePoints(s, 0, loopCount(length)) >= s.size()) return input;
  double keep = length - static_cast<double>(json::text::codePointCount(ellipsis));
  if (keep < 0) keep = 0;
  std::size_t end = json::text::advanceCodePoints(s, 0, loopCount(keep));
  return Value::string(s.substr(0, end) + ellipsis);
}

// Keeps the first `words` words, adding the ellipsis when there are at least that many.
Value truncatewords(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  const Value& ellipsisArg = argument(args, 1);
  std::string ellipsis = ellipsisArg.isUndefined() ? "..." : toOutput(ellipsisArg);
  ctx.useMemory(jsLength(s) + jsLength(ellipsis));
  std::vector<std::string_view> words = splitOnSpace(json::text::trimStart(s));
  double count = numberOr(argument(args, 0), 15);
  if (count <= 0) count = 1;
  std::size_t take = 0;
  if (count > 0) take = static_cast<std::size_t>(std::min(std::trunc(count), 1e15));
  take = std::min(take, words.size());
  std::string out;
  for (std::size_t i = 0; i < take; ++i) {
    if (i) out.push_back(' ');
    out.append(words[i]);
  }
  if (static_cast<double>(words.size()) >= count) out.append(ellipsis);
  return Value::string(std::move(out));
}

bool isCjk(char32_t cp) {
  return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x3040 && cp <= 0x309F) ||
         (cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

Value numberOfWords(FilterContext& ctx, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  std::string_view trimmed = json::text::trim(s);
  if (trimmed.empty()) return Value::number(0);
  const Value& mode = argument(args, 0);
  std::string_view m = mode.isString() ? mode.asString() : std::string_view();
  std::size_t cjk = 0;
  std::size_t otherRuns = 0;
  bool inRun = false;
  for (std::size_t i = 0; i < trimmed.size();) {
    json::text::Decoded d = json::text::decodeAt(trimmed, i);
    bool isWordChar = !isCjk(d.codePoint) && !json::text::isJsWhitespace(d.codePoint);
    if (isCjk(d.codePoint)) ++cjk;
    if (isWordChar && !inRun) ++otherRuns;
    inRun = isWordChar;
    i += d.length;
  }
  if (m == "cjk" || (m == "auto" && cjk > 0))
    return Value::number(static_cast<double>(cjk + otherRuns));
  return Value::number(static_cast<double>(splitOnSpace(trimmed).size()));
}

constexpr FilterDefinition kFilters[] = {
    {"append", append},
    {"prepend", prepend},
    {"lstrip", lstrip},
    {"rstrip", rstrip},
    {"strip", strip},
    {"downcase", downcase},
    {"upcase", upcase},
    {"capitalize", capitalize},
    {"remove", remove},
    {"remove_first", removeFirst},
    {"remove_last", removeLast},
    {"replace", replace},
    {"replace_first", replaceFirst},
    {"replace_last", replaceLast},
    {"split", split},
    {"strip_newlines", stripNewlines},
    {"squish", squish},
    {"normalize_whitespace", normalizeWhitespace},
    {"truncate", truncate},
    {"truncatewords", truncatewords},
    {"number_of_words", numberOfWords},
};

}  // namespace

std::span<const FilterDefinition> stringFilters() {
  return kFilters;
}

}  // namespace actions::liquid
