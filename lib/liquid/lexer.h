// The lexer: splits a template into text, {% tag %} and {{ output }} tokens (with {%- -%}
// whitespace control and {% raw %} sections), and scans the inside of tags and outputs character
// by character, with liquidjs's character classes, for the parser.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

namespace actions::liquid {

// liquidjs's character classes (a character may be in several).
enum CharClass : unsigned {
  kWordChar = 1,
  kBlankChar = 4,
  kQuoteChar = 8,
  kDigitChar = 32,
  kSignChar = 64,
};
unsigned charClass(char32_t codePoint);
// Identifier characters: ASCII letters, digits, '_', '-', '?', and almost everything non-ASCII.
bool isWordChar(char32_t codePoint);

struct Token {
  enum class Kind { Text, Tag, Output };
  Kind kind = Kind::Text;
  std::size_t begin = 0;  // the whole token, delimiters included
  std::size_t end = 0;
  // Tags and outputs: the inside, without a '-' next to the delimiters and without blanks. May
  // be empty (contentEnd <= contentBegin).
  std::size_t contentBegin = 0;
  std::size_t contentEnd = 0;
  bool trimLeft = false;  // '-' asks to trim the text before / after the token
  bool trimRight = false;
  // Tags: the name and where the arguments start (after the name and blanks).
  std::string_view name;
  std::size_t argsBegin = 0;
  // Text: bytes taken off either side by whitespace control.
  std::size_t textTrimLeft = 0;
  std::size_t textTrimRight = 0;
};

// The tokens of a whole template. Throws LiquidError (unclosed tags, outputs, raw sections).
std::vector<Token> tokenizeTemplate(std::string_view source);
// The tag tokens of a {% liquid %} tag's body [begin, end): one tag per line.
std::vector<Token> tokenizeLiquidTag(std::string_view source, std::size_t begin, std::size_t end);

// Character-level reading of [begin, end) of the source, as liquidjs's Tokenizer reads it.
class Scanner {
 public:
  // An empty range when `end` < `begin` (a token holding nothing but trim markers).
  Scanner(std::string_view source, std::size_t begin, std::size_t end)
      : source_(source), p_(begin), end_(end < begin ? begin : end) {}

  std::string_view source() const { return source_; }
  std::size_t pos() const { return p_; }
  void setPos(std::size_t p) { p_ = p; }
  std::size_t end() const { return end_; }
  bool atEnd() const { return p_ >= end_; }

  // The byte at p + n, or 0 past the end (all delimiters of the language are ASCII).
  char peek(std::size_t n = 0) const { return p_ + n < end_ ? source_[p_ + n] : '\0'; }
  // The class of the character at byte p + n (0 past the end).
  unsigned peekClass(std::size_t n = 0) const;
  // Whether the character at byte p + n is an identifier character.
  bool peekIsWord(std::size_t n = 0) const;

  void skipBlank();
  // Reads identifier characters (after blanks): [begin, end) of the identifier.
  std::pair<std::size_t, std::size_t> readIdentifier();
  // Moves past the next occurrence of `s`; returns false (at the end) when there is none.
  bool readTo(std::string_view s);
  // Moves past the next occurrence of `delimiter` after blanks, stepping over quoted strings
  // when asked. Returns false when there is none.
  bool readToDelimiter(std::string_view delimiter, bool respectQuoted = false);
  // A quoted string starting here (after blanks): [begin, end) including the quotes (the end
  // quote may be missing when the string runs to the end).
  std::optional<std::pair<std::size_t, std::size_t>> readQuoted();
  // A number literal here (after blanks): [begin, end).
  std::optional<std::pair<std::size_t, std::size_t>> readNumber();
  // The longest of `words` starting here (after blanks), not followed by an identifier character
  // when it ends with one. Returns its index in `words`.
  std::optional<std::size_t> readKeyword(const std::string_view* words, std::size_t count);

  bool matchesAt(std::size_t at, std::string_view s) const;

 private:
  bool endsWith(std::string_view s) const;  // the text just before p

  std::string_view source_;
  std::size_t p_;
  std::size_t end_;
};

}  // namespace actions::liquid
