// The tokens of Segment's FQL lexer (@segment/fql-ts), with the text upstream gives each one:
// strings keep their quotes, numbers their spelling, `null` is "null", the end is "eos".
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace actions::subscription {

enum class TokenType {
  Ident,
  Dot,
  Operator,
  Conditional,
  String,
  Number,
  Null,
  BrackLeft,
  BrackRight,
  ParenLeft,
  ParenRight,
  Comma,
  Eos,
};

struct Token {
  TokenType type = TokenType::Eos;
  std::string value;       // UTF-8
  std::size_t column = 0;  // 1-based, in UTF-16 code units as upstream counts
};

using Tokens = std::vector<Token>;

}  // namespace actions::subscription
