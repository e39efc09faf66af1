#include "liquid/lexer.h"

#include "json/js_text.h"
#include "liquid/error.h"

namespace actions::liquid {
namespace {

constexpr std::string_view kTagOpen = "{%";
constexpr std::string_view kTagClose = "%}";
constexpr std::string_view kOutputOpen = "{{";
constexpr std::string_view kOutputClose = "}}";

// The classes of ASCII characters, as liquidjs's generated table has them.
unsigned asciiClass(unsigned c) {
  if (c == ' ' || c == '\t' || c == '\r') return kBlankChar | 16;
  if (c == '\n' || c == '\v' || c == '\f') return kBlankChar;
  if (c == '"' || c == '\'') return kQuoteChar;
  if (c >= '0' && c <= '9') return kDigitChar | kWordChar;
  if (c == '-') return kSignChar | kWordChar;
  if (c == '+') return kSignChar;
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '?') return kWordChar;
  return 0;
}

bool isUnicodeBlank(char32_t cp) {
  switch (cp) {
    case 0xA0:
    case 0x1680:
    case 0x180E:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

bool isBlankAt(std::string_view s, std::size_t i) {
  return i < s.size() && (charClass(json::text::decodeAt(s, i).codePoint) & kBlankChar);
}

bool isBlankBefore(std::string_view s, std::size_t end) {
  return end > 0 && (charClass(json::text::decodeBefore(s, end).codePoint) & kBlankChar);
}

// The inside of a tag or output token: '-' trim markers and blanks removed (liquidjs's
// DelimitedToken).
void setContent(std::string_view s, Token& t, std::size_t contentBegin, std::size_t contentEnd) {
  bool tl = contentBegin < s.size() && s[contentBegin] == '-';
  bool tr = contentEnd >= 1 && contentEnd - 1 < s.size() && s[contentEnd - 1] == '-';
  std::size_t l = tl ? contentBegin + 1 : contentBegin;
  std::size_t r = tr ? contentEnd - 1 : contentEnd;
  while (l < r && isBlankAt(s, l)) l += json::text::decodeAt(s, l).length;
  while (r > l && isBlankBefore(s, r)) r -= json::text::decodeBefore(s, r).length;
  t.contentBegin = l;
  t.contentEnd = r;
  t.trimLeft = tl;
  t.trimRight = tr;
}

// Reads the tag name of a tag token whose content is set; throws `missingName` without one.
void readTagName(std::string_view s, Token& t, std::string_view missingName) {
  Scanner scan(s, t.contentBegin, t.contentEnd);
  scan.skipBlank();
  if (!scan.atEnd() && s[scan.pos()] == '#') {
    t.name = s.substr(scan.pos(), 1);
    scan.setPos(scan.pos() + 1);
  } else {
    auto [b, e] = scan.readIdentifier();
    t.name = s.substr(b, e - b);
  }
  if (t.name.empty()) throwAt(s, scan.pos(), missingName);
  scan.skipBlank();
  t.argsBegin = scan.pos();
}

Token makeTag(std::string_view s, std::size_t begin, std::size_t end) {
  Token t;
  t.kind = Token::Kind::Tag;
  t.begin = begin;
  t.end = end;
  setContent(s, t, begin + kTagOpen.size(), end - kTagClose.size());
  readTagName(s, t, "illegal tag syntax, tag name expected");
  return t;
}

Token makeText(std::size_t begin, std::size_t end) {
  Token t;
  t.begin = begin;
  t.end = end;
  return t;
}

class TemplateLexer {
 public:
  explicit TemplateLexer(std::string_view source) : s_(source), scan_(source, 0, source.size()) {}

  std::vector<Token> run() {
    std::vector<Token> tokens;
    while (!scan_.atEnd()) tokens.push_back(next());
    controlWhitespace(tokens);
    return tokens;
  }

 private:
  Token next() {
    if (rawBegin_) return readRawContentOrEnd();
    if (scan_.matchesAt(scan_.pos(), kTagOpen)) return readTag();
    if (scan_.matchesAt(scan_.pos(), kOutputOpen)) return readOutput();
    std::size_t begin = scan_.pos();
    std::size_t p = begin;
    while (p < s_.size() && !scan_.matchesAt(p, kTagOpen) && !scan_.matchesAt(p, kOutputOpen)) ++p;
    scan_.setPos(p);
    return makeText(begin, p);
  }

  Token readTag() {
    std::size_t begin = scan_.pos();
    if (!scan_.readToDelimiter(kTagClose)) {
      throwAt(s_, begin, "tag " + snapshot(s_.substr(begin)) + " not closed");
    }
    Token t = makeTag(s_, begin, scan_.pos());
    if (t.name == "raw") rawBegin_ = begin;
    return t;
  }

  Token readOutput() {
    std::size_t begin = scan_.pos();
    if (!scan_.readToDelimiter(kOutputClose, true)) {
      throwAt(s_, begin, "output " + snapshot(s_.substr(begin)) + " not closed");
    }
    Token t;
    t.kind = Token::Kind::Output;
    t.begin = begin;
    t.end = scan_.pos();
    setContent(s_, t, begin + kOutputOpen.size(), t.end - kOutputClose.size());
    return t;
  }

  // Inside {% raw %}: the text up to the {% endraw %} tag, then that tag.
  Token readRawContentOrEnd() {
    const std::size_t begin = scan_.pos();
    auto nextTagOpen = [&]() -> std::optional<std::size_t> {
      if (!scan_.readTo(kTagOpen)) return std::nullopt;
      return scan_.pos() - kTagOpen.size();
    };
    std::optional<std::size_t> left = nextTagOpen();
    while (!scan_.atEnd()) {
      auto [b, e] = scan_.readIdentifier();
      if (s_.substr(b, e - b) != "endraw") {
        left = nextTagOpen();
        continue;
      }
      bool restart = false;
      while (scan_.pos() <= scan_.end()) {
        if (endsAt(scan_.pos(), kTagClose)) {
          std::size_t end = scan_.pos();
          if (left && *left == begin) {
            rawBegin_.reset();
            return makeTag(s_, begin, end);
          }
          std::size_t textEnd = left.value_or(begin);
          scan_.setPos(textEnd);
          return makeText(begin, textEnd);
        }
        if (endsAt(scan_.pos(), kTagOpen)) {
          restart = true;
          break;
        }
        scan_.setPos(scan_.pos() + 1);
      }
      if (!restart) break;
    }
    throwAt(s_, begin, "raw " + snapshot(s_.substr(*rawBegin_)) + " not closed");
  }

  bool endsAt(std::size_t p, std::string_view s) const {
    return p >= s.size() && p <= s_.size() && s_.substr(p - s.size(), s.size()) == s;
  }

  // {%- and -%}: trim the blanks of the neighbouring text (not inside raw sections).
  void controlWhitespace(std::vector<Token>& tokens) {
    bool inRaw = false;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      if (t.kind == Token::Kind::Text) continue;
      if (!inRaw && t.trimLeft && i > 0) trimTextEnd(tokens[i - 1]);
      if (t.kind == Token::Kind::Tag) {
        if (t.name == "raw")
          inRaw = true;
        else if (t.name == "endraw")
          inRaw = false;
      }
      if (!inRaw && t.trimRight && i + 1 < tokens.size()) trimTextStart(tokens[i + 1]);
    }
  }

  void trimTextEnd(Token& t) {
    if (t.kind != Token::Kind::Text) return;
    while (t.end >= t.textTrimRight && isBlankBefore(s_, t.end - t.textTrimRight)) {
      t.textTrimRight += json::text::decodeBefore(s_, t.end - t.textTrimRight).length;
    }
  }

  void trimTextStart(Token& t) {
    if (t.kind != Token::Kind::Text) return;
    while (isBlankAt(s_, t.begin + t.textTrimLeft)) {
      t.textTrimLeft += json::text::decodeAt(s_, t.begin + t.textTrimLeft).length;
    }
  }

  std::string_view s_;
  Scanner scan_;
  std::optional<std::size_t> rawBegin_;
};

}  // namespace

unsigned charClass(char32_t cp) {
  if (cp < 0x80) return asciiClass(cp);
  if (isUnicodeBlank(cp)) return kBlankChar;
  return 0;
}

bool isWordChar(char32_t cp) {
  if (cp < 0x80) return asciiClass(cp) & kWordChar;
  return !isUnicodeBlank(cp) && cp != 0x201C && cp != 0x201D;
}

std::vector<Token> tokenizeTemplate(std::string_view source) {
  return TemplateLexer(source).run();
}

std::vector<Token> tokenizeLiquidTag(std::string_view source, std::size_t begin, std::size_t end) {
  std::vector<Token> tokens;
  Scanner scan(source, begin, end);
  for (;;) {
    scan.skipBlank();
    if (scan.atEnd()) break;
    std::size_t lineBegin = scan.pos();
    scan.readToDelimiter("\n");
    Token t;
    t.kind = Token::Kind::Tag;
    t.begin = lineBegin;
    t.end = scan.pos();
    setContent(source, t, lineBegin, scan.pos());
    readTagName(source, t, "illegal liquid tag syntax");
    tokens.push_back(t);
  }
  return tokens;
}

unsigned Scanner::peekClass(std::size_t n) const {
  if (p_ + n >= end_) return 0;
  return charClass(json::text::decodeAt(source_, p_ + n).codePoint);
}

bool Scanner::peekIsWord(std::size_t n) const {
  if (p_ + n >= end_) return false;
  return isWordChar(json::text::decodeAt(source_, p_ + n).codePoint);
}

void Scanner::skipBlank() {
  while (p_ < end_) {
    json::text::Decoded d = json::text::decodeAt(source_, p_);
    if (!(charClass(d.codePoint) & kBlankChar)) return;
    p_ += d.length;
  }
}

std::pair<std::size_t, std::size_t> Scanner::readIdentifier() {
  skipBlank();
  std::size_t begin = p_;
  while (p_ < end_) {
    json::text::Decoded d = json::text::decodeAt(source_, p_);
    if (!isWordChar(d.codePoint)) break;
    p_ += d.length;
  }
  if (p_ > end_) p_ = end_;
  return {begin, p_};
}

bool Scanner::matchesAt(std::size_t at, std::string_view s) const {
  return at <= source_.size() && source_.substr(at, s.size()) == s;
}

bool Scanner::endsWith(std::string_view s) const {
  return p_ >= s.size() && source_.substr(p_ - s.size(), s.size()) == s;
}

bool Scanner::readTo(std::string_view s) {
  while (p_ < end_) {
    ++p_;
    if (endsWith(s)) return true;
  }
  return false;
}

bool Scanner::readToDelimiter(std::string_view delimiter, bool respectQuoted) {
  skipBlank();
  while (p_ < end_) {
    if (respectQuoted && (peekClass() & kQuoteChar)) {
      readQuoted();
      continue;
    }
    ++p_;
    if (endsWith(delimiter)) return true;
  }
  return false;
}

std::optional<std::pair<std::size_t, std::size_t>> Scanner::readQuoted() {
  skipBlank();
  std::size_t begin = p_;
  if (!(peekClass() & kQuoteChar)) return std::nullopt;
  const char quote = source_[begin];
  ++p_;
  bool escaped = false;
  while (p_ < end_) {
    ++p_;
    char c = source_[p_ - 1];
    if (c == quote && !escaped) break;
    if (escaped)
      escaped = false;
    else if (c == '\\')
      escaped = true;
  }
  return std::make_pair(begin, p_);
}

std::optional<std::pair<std::size_t, std::size_t>> Scanner::readNumber() {
  skipBlank();
  bool decimalFound = false;
  bool digitFound = false;
  std::size_t n = 0;
  if (peekClass() & kSignChar) ++n;
  while (p_ + n <= end_) {
    if (peekClass(n) & kDigitChar) {
      digitFound = true;
      ++n;
    } else if (peek(n) == '.' && peek(n + 1) != '.') {
      if (decimalFound || !digitFound) return std::nullopt;
      decimalFound = true;
      ++n;
    } else {
      break;
    }
  }
  if (digitFound && !peekIsWord(n)) {
    std::size_t begin = p_;
    p_ += n;
    return std::make_pair(begin, p_);
  }
  return std::nullopt;
}

std::optional<std::size_t> Scanner::readKeyword(const std::string_view* words, std::size_t count) {
  skipBlank();
  std::optional<std::size_t> best;
  std::size_t bestLength = 0;
  for (std::size_t k = 0; k < count; ++k) {
    std::string_view w = words[k];
    if (p_ + w.size() > end_ || source_.substr(p_, w.size()) != w) continue;
    if (w.size() > bestLength) {
      best = k;
      bestLength = w.size();
    }
  }
  if (!best) return std::nullopt;
  std::string_view w = words[*best];
  bool needsBoundary = asciiClass(static_cast<unsigned char>(w.back())) & kWordChar;
  if (needsBoundary && peekIsWord(bestLength)) return std::nullopt;
  p_ += bestLength;
  return best;
}

}  // namespace actions::liquid
