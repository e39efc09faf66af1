// The lexer reproduces @segment/fql-ts token for token, quirks included.
#include <gtest/gtest.h>

#include <string>

#include "subscription/lexer.h"
#include "subscription/subscription.h"

namespace {

using actions::subscription::lex;
using actions::subscription::SubscriptionError;
using actions::subscription::TokenType;

// "type:value" for each token but the final Eos.
std::string tokens(std::string_view expression) {
  auto list = lex(expression);
  EXPECT_EQ(list.back().type, TokenType::Eos);
  std::string out;
  for (std::size_t i = 0; i + 1 < list.size(); ++i) {
    static const char* kNames[] = {"ident", "dot", "op", "cond", "str", "num", "null",
                                   "[",     "]",   "(",  ")",    ",",   "eos"};
    if (!out.empty()) out += ' ';
    out += kNames[static_cast<int>(list[i].type)];
    out += ':';
    out += list[i].value;
  }
  return out;
}

std::string lexError(std::string_view expression) {
  try {
    lex(expression);
  } catch (const SubscriptionError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Lexer, PlainCondition) {
  EXPECT_EQ(tokens(R"(type = "track")"), R"(ident:type op:= str:"track")");
  EXPECT_EQ(tokens(R"(properties.x != 'a b')"),
            R"(ident:properties dot:. ident:x op:!= str:'a b')");
  EXPECT_EQ(tokens("a and b or c"), "ident:a cond:and ident:b cond:or ident:c");
  EXPECT_EQ(tokens("x = null"), "ident:x op:= null:null");
  EXPECT_EQ(tokens("contains(event, \"x\")"), R"(ident:contains (:( ident:event ,:, str:"x" ):))");
}

TEST(Lexer, ColumnsCountFromOne) {
  auto list = lex(R"(type  = "x")");
  EXPECT_EQ(list[0].column, 1u);
  EXPECT_EQ(list[1].column, 7u);
  EXPECT_EQ(list[2].column, 9u);
}

TEST(Lexer, KeywordsNeedATerminator) {
  EXPECT_EQ(tokens("and(x"), "ident:and (:( ident:x");
  EXPECT_EQ(tokens("or)"), "cond:or ):)");
  EXPECT_EQ(tokens("nullx = 1"), "ident:nullx op:= num:1");
  EXPECT_EQ(tokens("null,"), "null:null ,:,");
  // Reaching the end half-way through "and" leaves the "n" consumed, as upstream does.
  EXPECT_EQ(tokens("an"), "ident:a");
}

TEST(Lexer, ComparisonOperatorsNeedATerminatorToo) {
  EXPECT_EQ(tokens("x <= 5"), "ident:x op:<= num:5");
  EXPECT_EQ(tokens("x <=5"), "ident:x op:< op:= num:5");
  EXPECT_EQ(tokens("x >5"), "ident:x op:> num:5");
  EXPECT_EQ(tokens("x== 1"), "ident:x op:= op:= num:1");
  EXPECT_EQ(tokens("x!= 1"), "ident:x op:!= num:1");
  EXPECT_EQ(tokens("!contains"), "op:! ident:contains");
  EXPECT_EQ(tokens("!(x"), "op:! (:( ident:x");
}

TEST(Lexer, StringsHaveNoEscapesAndTheirCloseNeedsATerminator) {
  EXPECT_EQ(tokens(R"("a\b")"), R"(str:"a\b")");
  EXPECT_EQ(tokens(R"('say "hi"')"), R"(str:'say "hi"')");
  // A closing quote followed by a letter opens the next string.
  EXPECT_EQ(tokens(R"("abc"x")"), R"(str:"abc" str:"x")");
  EXPECT_EQ(tokens("\"\xF0\x9F\x98\x80\""), "str:\"\xF0\x9F\x98\x80\"");
}

TEST(Lexer, NumbersStopAtTheFirstOtherCharacter) {
  EXPECT_EQ(tokens("5.x"), "num:5. ident:x");
  EXPECT_EQ(tokens("-.5"), "num:-.5");
  EXPECT_EQ(tokens("- 1"), "num:- num:1");
  EXPECT_EQ(tokens("+"), "num:+");
  EXPECT_EQ(tokens("1e3"), "num:1 ident:e3");
  EXPECT_EQ(tokens(".5"), "dot:. num:5");
}

TEST(Lexer, IdentifiersEscapeAnyCharacter) {
  EXPECT_EQ(tokens(R"(\null)"), "ident:null");
  EXPECT_EQ(tokens(R"(first\ name = 1)"), "ident:first name op:= num:1");
  EXPECT_EQ(tokens(R"(a\[0\])"), "ident:a[0]");
  EXPECT_EQ(tokens(R"(\*\")"), "ident:*\"");
  EXPECT_EQ(tokens("_x-y1"), "ident:_x-y1");
}

TEST(Lexer, RefusesWhatUpstreamRefuses) {
  EXPECT_EQ(lexError(R"(type = "x)"), "unterminated string at column 8");
  EXPECT_EQ(lexError(R"(type = "x"and)"), "unterminated string at column 10");
  EXPECT_EQ(lexError("a<5"), "unexpected \"<\" after the identifier \"a\" at column 2");
  EXPECT_EQ(lexError("x[0]"), "unexpected \"[\" after the identifier \"x\" at column 2");
  EXPECT_EQ(lexError("# x"), "invalid character \"#\" at column 1");
  EXPECT_EQ(lexError("x = 1\r"), "invalid character \"\r\" at column 6");
  EXPECT_EQ(lexError("x = \xC3\xA9"), "invalid character \"\xC3\xA9\" at column 5");
  EXPECT_EQ(lexError(R"(event !="x")"), "expected \"=\" after \"!\", got \"=\" at column 7");
  EXPECT_EQ(lexError("! contains"), "expected \"=\" after \"!\", got \" \" at column 1");
  EXPECT_EQ(lexError("x = 5."), "a number may not end with \".\" at column 6");
  EXPECT_EQ(lexError("x = 1.2.3"), "a number may have only one decimal point at column 8");
  EXPECT_EQ(lexError("type\\"),
            "expected a character after the escape \"\\\", got the end at column 5");
  // An escaped supplementary character leaves its second half outside the identifier.
  EXPECT_NE(lexError("\\\xF0\x9F\x98\x80"), "no error");
}

TEST(Lexer, LiteralLengthLimits) {
  std::string ok = "\"" + std::string(99999, 'a') + "\"";
  EXPECT_NO_THROW(lex(ok));
  std::string tooLong = "\"" + std::string(100000, 'a') + "\"";
  EXPECT_EQ(lexError(tooLong), "string too long at column 1");
  EXPECT_NO_THROW(lex(std::string(99999, 'x')));
  EXPECT_EQ(lexError(std::string(100000, 'x')), "identifier too long at column 1");
  EXPECT_NO_THROW(lex(std::string(100000, '1')));
  EXPECT_EQ(lexError(std::string(100001, '1')), "number too long at column 1");
  // Lengths count UTF-16 units: 50000 supplementary characters are 100000 units.
  std::string emoji;
  for (int i = 0; i < 50000; ++i) emoji += "\xF0\x9F\x98\x80";
  EXPECT_EQ(lexError("\"" + emoji + "\""), "string too long at column 1");
}

}  // namespace
