// HTML and URL filters (liquidjs's filters/html and filters/url): escaping as liquidjs does it,
// and URL encoding as JavaScript's encodeURIComponent / encodeURI / decodeURIComponent do it.
#include <array>
#include <string>
#include <utility>
#include <vector>

#include "liquid/error.h"
#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

std::string escapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&#34;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string unescapeHtml(std::string_view s) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kEntities = {
      {{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&#34;", '"'}, {"&#39;", '\''}}};
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    bool replaced = false;
    if (s[i] == '&') {
      for (const auto& [entity, c] : kEntities) {
        if (s.substr(i, entity.size()) == entity) {
          out.push_back(c);
          i += entity.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out.push_back(s[i++]);
  }
  return out;
}

Value escape(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  return Value::string(escapeHtml(s));
}

Value escapeOnce(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  std::string unescaped = unescapeHtml(s);
  ctx.useMemory(jsLength(unescaped));
  return Value::string(escapeHtml(unescaped));
}

// Removes tags, and whole <script>, <style> and comment blocks; an opener that is never closed
// ends the stripping (the rest stays as it is).
Value stripHtml(FilterContext& ctx, const Value& input, const Args&) {
  std::string s = toOutput(input);
  ctx.useMemory(jsLength(s));
  std::vector<std::pair<std::string_view, std::string_view>> blocks = {
      {"<script", "</script>"}, {"<style", "</style>"}, {"<!--", "-->"}, {"<", ">"}};
  std::string out;
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t lt = s.find('<', i);
    if (lt == std::string::npos) return Value::string(out + s.substr(i));
    out.append(s, i, lt - i);
    for (auto it = blocks.begin(); it != blocks.end();) {
      if (s.compare(lt, it->first.size(), it->first) != 0) {
        ++it;
        continue;
      }
      std::size_t e = s.find(it->second, lt + it->first.size());
      if (e != std::string::npos) {
        i = e + it->second.size();
        break;
      }
      it = blocks.erase(it);
    }
    if (i <= lt) return Value::string(out + s.substr(lt));
  }
  return Value::string(std::move(out));
}

bool isUnreservedComponent(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '!' || c == '~' || c == '*' || c == '\'' || c == '(' ||
         c == ')';
}

bool isUnreservedUri(unsigned char c) {
  if (isUnreservedComponent(c)) return true;
  switch (c) {
    case ';':
    case '/':
    case '?':
    case ':':
    case '@':
    case '&':
    case '=':
    case '+':
    case '$':
    case ',':
    case '#':
      return true;
    default:
      return false;
  }
}

// encodeURIComponent / encodeURI: UTF-8 bytes as %XX; half of an astral character cannot be
// encoded ("URI malformed").
std::string percentEncode(std::string_view s, bool (*keep)(unsigned char)) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    json::text::Decoded d = json::text::decodeAt(s, i);
    if (d.codePoint >= 0xD800 && d.codePoint <= 0xDFFF) throw RenderFailure("URI malformed");
    for (std::size_t k = 0; k < d.length; ++k) {
      unsigned char c = static_cast<unsigned char>(s[i + k]);
      if (d.length == 1 && keep(c)) {
        out.push_back(static_cast<char>(c));
      } else {
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
    i += d.length;
  }
  return out;
}

std::string replaceAll(std::string_view s, std::string_view from, std::string_view to) {
  std::string out;
  out.reserve(s.size());
  std::size_t start = 0;
  for (std::size_t at = s.find(from); at != std::string_view::npos; at = s.find(from, start)) {
    out.append(s.substr(start, at - start));
    out.append(to);
    start = at + from.size();
  }
  out.append(s.substr(start));
  return out;
}

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// decodeURIComponent: %XX sequences must form valid UTF-8, or the whole decode fails.
std::string percentDecode(std::string_view s) {
  auto byteAt = [&s](std::size_t i) -> int {
    if (i + 2 >= s.size()) throw RenderFailure("URI malformed");
    if (s[i] != '%') throw RenderFailure("URI malformed");
    int hi = hexDigit(s[i + 1]);
    int lo = hexDigit(s[i + 2]);
    if (hi < 0 || lo < 0) throw RenderFailure("URI malformed");
    return hi * 16 + lo;
  };
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '%') {
      out.push_back(s[i++]);
      continue;
    }
    int b = byteAt(i);
    i += 3;
    if (b < 0x80) {
      out.push_back(static_cast<char>(b));
      continue;
    }
    int n = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0) throw RenderFailure("URI malformed");
    std::string seq(1, static_cast<char>(b));
    for (int k = 1; k < n; ++k) {
      int c = byteAt(i);
      if ((c & 0xC0) != 0x80) throw RenderFailure("URI malformed");
      seq.push_back(static_cast<char>(c));
      i += 3;
    }
    json::text::Decoded d = json::text::decodeAt(seq, 0);
    if (d.length != seq.size() || (d.codePoint >= 0xD800 && d.codePoint <= 0xDFFF)) {
      throw RenderFailure("URI malformed");
    }
    out.append(seq);
  }
  return out;
}

Value urlDecode(FilterContext&, const Value& input, const Args&) {
  return Value::string(percentDecode(replaceAll(toOutput(input), "+", " ")));
}

Value urlEncode(FilterContext&, const Value& input, const Args&) {
  return Value::string(
      replaceAll(percentEncode(toOutput(input), isUnreservedComponent), "%20", "+"));
}

Value cgiEscape(FilterContext&, const Value& input, const Args&) {
  std::string s = replaceAll(percentEncode(toOutput(input), isUnreservedComponent), "%20", "+");
  std::string out;
  for (char c : s) {
    switch (c) {
      case '!':
        out.append("%21");
        break;
      case '\'':
        out.append("%27");
        break;
      case '(':
        out.append("%28");
        break;
      case ')':
        out.append("%29");
        break;
      case '*':
        out.append("%2A");
        break;
      default:
        out.push_back(c);
    }
  }
  return Value::string(std::move(out));
}

Value uriEscape(FilterContext&, const Value& input, const Args&) {
  std::string s = percentEncode(toOutput(input), isUnreservedUri);
  return Value::string(replaceAll(replaceAll(s, "%5B", "["), "%5D", "]"));
}

// The `latin` mode of slugify folds these accented letters first.
std::string removeAccents(std::string_view s) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kFolds = {
      {"à", "a"},  {"á", "a"},  {"â", "a"},  {"ã", "a"},  {"ä", "a"},  {"å", "a"},
      {"æ", "ae"}, {"ç", "c"},  {"è", "e"},  {"é", "e"},  {"ê", "e"},  {"ë", "e"},
      {"ì", "i"},  {"í", "i"},  {"î", "i"},  {"ï", "i"},  {"ð", "d"},  {"ñ", "n"},
      {"ò", "o"},  {"ó", "o"},  {"ô", "o"},  {"õ", "o"},  {"ö", "o"},  {"ø", "o"},
      {"ù", "u"},  {"ú", "u"},  {"û", "u"},  {"ü", "u"},  {"ý", "y"},  {"ÿ", "y"},
      {"ß", "ss"}, {"œ", "oe"}, {"þ", "th"}, {"ẞ", "SS"}, {"Œ", "OE"}, {"Þ", "TH"}};
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = json::text::decodeAt(s, i).length;
    std::string_view ch = s.substr(i, n);
    bool folded = false;
    for (const auto& [from, to] : kFolds) {
      if (ch == from) {
        out.append(to);
        folded = true;
        break;
      }
    }
    if (!folded) out.append(ch);
    i += n;
  }
  return out;
}

enum class SlugMode { Raw, Default, Pretty, Ascii, Latin, None, Unknown };

bool slugKeeps(SlugMode mode, char32_t cp) {
  switch (mode) {
    case SlugMode::Raw:
      return !json::text::isJsWhitespace(cp);
    case SlugMode::Ascii:
      return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    case SlugMode::Pretty:
      if (cp < 0x80 && std::string_view("._~!$&'()+,;=@").find(static_cast<char>(cp)) !=
                           std::string_view::npos) {
        return true;
      }
      return json::text::isLetterMarkOrDigit(cp);
    default:
      return json::text::isLetterMarkOrDigit(cp);
  }
}

// Runs of characters the mode does not keep become '-', then one leading and one trailing '-'
// go; lower-cased unless asked to keep the case.
Value slugify(FilterContext&, const Value& input, const Args& args) {
  std::string s = toOutput(input);
  const Value& modeArg = argument(args, 0);
  std::string modeName = modeArg.isUndefined() ? "default" : propertyKey(modeArg);
  SlugMode mode = modeName == "raw"       ? SlugMode::Raw
                  : modeName == "default" ? SlugMode::Default
                  : modeName == "pretty"  ? SlugMode::Pretty
                  : modeName == "ascii"   ? SlugMode::Ascii
                  : modeName == "latin"   ? SlugMode::Latin
                  : modeName == "none"    ? SlugMode::None
                                          : SlugMode::Unknown;
  if (mode != SlugMode::None && mode != SlugMode::Unknown) {
    if (mode == SlugMode::Latin) s = removeAccents(s);
    std::string out;
    bool inRun = false;
    for (std::size_t i = 0; i < s.size();) {
      json::text::Decoded d = json::text::decodeAt(s, i);
      if (slugKeeps(mode, d.codePoint)) {
        out.append(s, i, d.length);
        inRun = false;
      } else if (!inRun) {
        out.push_back('-');
        inRun = true;
      }
      i += d.length;
    }
    if (!out.empty() && out.front() == '-') out.erase(0, 1);
    if (!out.empty() && out.back() == '-') out.pop_back();
    s = std::move(out);
  }
  if (isJsTruthy(argument(args, 1))) return Value::string(std::move(s));
  return Value::string(json::text::toLower(s));
}

constexpr FilterDefinition kFilters[] = {
    {"escape", escape},        {"xml_escape", escape},    {"escape_once", escapeOnce},
    {"strip_html", stripHtml}, {"url_decode", urlDecode}, {"url_encode", urlEncode},
    {"cgi_escape", cgiEscape}, {"uri_escape", uriEscape}, {"slugify", slugify},
};

}  // namespace

std::span<const FilterDefinition> webFilters() {
  return kFilters;
}

}  // namespace actions::liquid
