#include "subscription/lexer.h"

#include <string>

#include "json/js_text.h"
#include "subscription/subscription.h"

namespace actions::subscription {

namespace {

// Upstream caps every literal to catch runaway input.
constexpr std::size_t kMaxLiteralLength = 100000;
// What upstream's reader yields past the end.
constexpr int kEos = -1;

bool isWhitespace(int c) {
  return c == ' ' || c == '\t' || c == '\n';
}
bool isAlpha(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool isDigit(int c) {
  return c >= '0' && c <= '9';
}
bool isIdentChar(int c) {
  return isAlpha(c) || isDigit(c) || c == '_' || c == '-' || c == '\\';
}
bool isTerminator(int c) {
  return c == kEos || isWhitespace(c) || c == ',' || c == ']' || c == ')';
}

class Lexer {
 public:
  explicit Lexer(std::u16string_view code) : code_(code) {}

  Tokens run() {
    Tokens tokens;
    while (true) {
      std::size_t column = pos_ + 1;
      int c = next();
      if (c == kEos) {
        tokens.push_back({TokenType::Eos, "eos", column});
        return tokens;
      }
      if (isWhitespace(c)) continue;
      if (c == '!') {
        int following = peek();
        if (isAlpha(following) || following == '(') {
          tokens.push_back({TokenType::Operator, "!", column});
          continue;
        }
      }
      Token token;
      if (isAlpha(c) || c == '!' || c == '=' || c == '>' || c == '<' || c == '\\' || c == '_') {
        token = operatorOrConditional(c);
      } else if (isDigit(c) || c == '-' || c == '+') {
        token = number(c);
      } else if (c == '"' || c == '\'') {
        token = string(c);
      } else if (c == '.') {
        token = {TokenType::Dot, "."};
      } else if (c == '[') {
        token = {TokenType::BrackLeft, "["};
      } else if (c == ']') {
        token = {TokenType::BrackRight, "]"};
      } else if (c == ',') {
        token = {TokenType::Comma, ","};
      } else if (c == '(') {
        token = {TokenType::ParenLeft, "("};
      } else if (c == ')') {
        token = {TokenType::ParenRight, ")"};
      } else {
        fail("invalid character " + quoteChar(column - 1), column);
      }
      token.column = column;
      tokens.push_back(std::move(token));
    }
  }

 private:
  [[noreturn]] void fail(const std::string& what, std::size_t column) const {
    throw SubscriptionError(what + " at column " + std::to_string(column));
  }

  // The character at `index` (a whole code point when it is a surrogate pair), quoted.
  std::string quoteChar(std::size_t index) const {
    std::size_t end = index + 1;
    if (code_[index] >= 0xD800 && code_[index] <= 0xDBFF && end < code_.size()) ++end;
    return "\"" + json::text::fromUtf16(code_.substr(index, end - index)) + "\"";
  }

  std::string describe(int c) const {
    if (c == kEos) return "the end";
    return "\"" + json::text::fromUtf16(std::u16string(1, static_cast<char16_t>(c))) + "\"";
  }

  int next() { return pos_ == code_.size() ? kEos : code_[pos_++]; }

  int peek() {
    int c = next();
    if (c != kEos) backup(1);
    return c;
  }

  void backup(std::size_t count) { pos_ -= count < pos_ ? count : pos_; }

  // Consumes `word` when it comes next and is followed by a terminator. Like upstream, hitting
  // the end half-way leaves what was read consumed.
  bool accept(std::string_view word) {
    std::size_t read = 0;
    bool same = true;
    for (char expected : word) {
      int c = next();
      if (c == kEos) return false;
      ++read;
      if (c != expected) same = false;
      if (isTerminator(c)) break;
    }
    if (same && read == word.size() && isTerminator(peek())) return true;
    backup(read);
    return false;
  }

  Token operatorOrConditional(int previous) {
    std::size_t column = pos_;
    switch (previous) {
      case '=':
        return {TokenType::Operator, "="};
      case '!':
        if (accept("=")) return {TokenType::Operator, "!="};
        fail("expected \"=\" after \"!\", got " + describe(peek()), column);
      case 'a':
        if (accept("nd")) return {TokenType::Conditional, "and"};
        return ident(previous);
      case 'o':
        if (accept("r")) return {TokenType::Conditional, "or"};
        return ident(previous);
      case 'n':
        if (accept("ull")) return {TokenType::Null, "null"};
        return ident(previous);
      case '<':
      case '>': {
        std::string op(1, static_cast<char>(previous));
        if (accept("=")) op += '=';
        return {TokenType::Operator, op};
      }
      default:
        return ident(previous);
    }
  }

  Token ident(int previous) {
    std::size_t column = pos_;
    std::u16string text;
    int c = previous;
    while (true) {
      if (c == '\\') {
        if (peek() == kEos) fail("expected a character after the escape \"\\\", got the end", pos_);
        c = next();
      }
      text.push_back(static_cast<char16_t>(c));
      if (text.size() >= kMaxLiteralLength) fail("identifier too long", column);
      if (!isIdentChar(peek())) break;
      c = next();
    }
    int following = peek();
    if (!(isTerminator(following) || following == '.' || following == '(' || following == '=' ||
          following == '!')) {
      fail("unexpected " + describe(following) + " after the identifier \"" +
               json::text::fromUtf16(text) + "\"",
           pos_ + 1);
    }
    return {TokenType::Ident, json::text::fromUtf16(text)};
  }

  Token number(int previous) {
    std::size_t column = pos_;
    std::string text(1, static_cast<char>(previous));
    bool decimal = false;
    int coming = peek();
    while (isDigit(coming) || coming == '.') {
      text.push_back(static_cast<char>(next()));
      if (coming == '.') {
        if (isTerminator(peek())) fail("a number may not end with \".\"", pos_);
        if (decimal) fail("a number may have only one decimal point", pos_);
        decimal = true;
      }
      if (text.size() > kMaxLiteralLength) fail("number too long", column);
      coming = peek();
    }
    return {TokenType::Number, std::move(text)};
  }

  Token string(int quote) {
    std::size_t column = pos_;
    std::u16string text(1, static_cast<char16_t>(quote));
    while (peek() != quote) {
      int c = next();
      if (c == kEos) fail("unterminated string", column);
      text.push_back(static_cast<char16_t>(c));
      if (text.size() > kMaxLiteralLength) fail("string too long", column);
    }
    accept(std::string(1, static_cast<char>(quote)));  // the closing quote (see the header)
    text.push_back(static_cast<char16_t>(quote));
    return {TokenType::String, json::text::fromUtf16(text)};
  }

  std::u16string_view code_;
  std::size_t pos_ = 0;
};

}  // namespace

Tokens lex(std::string_view expression) {
  std::u16string code = json::text::toUtf16(expression);
  return Lexer(code).run();
}

}  // namespace actions::subscription
