// JavaScript's text rules the subscription language is defined in: Number("..."), UTF-16.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "subscription/js_text.h"

namespace js = actions::subscription::js;

namespace {

TEST(JsStringToNumber, DecimalForms) {
  EXPECT_EQ(js::stringToNumber("10"), 10);
  EXPECT_EQ(js::stringToNumber("-2.5"), -2.5);
  EXPECT_EQ(js::stringToNumber("+7"), 7);
  EXPECT_EQ(js::stringToNumber(".5"), 0.5);
  EXPECT_EQ(js::stringToNumber("5."), 5);
  EXPECT_EQ(js::stringToNumber("1e3"), 1000);
  EXPECT_EQ(js::stringToNumber("1E-2"), 0.01);
  EXPECT_EQ(js::stringToNumber("007"), 7);
}

TEST(JsStringToNumber, WhitespaceIsTrimmedAndEmptyIsZero) {
  EXPECT_EQ(js::stringToNumber(""), 0);
  EXPECT_EQ(js::stringToNumber("   "), 0);
  EXPECT_EQ(js::stringToNumber(" 12 "), 12);
  EXPECT_EQ(js::stringToNumber("\t5\n"), 5);
  EXPECT_EQ(js::stringToNumber("\xC2\xA0"
                               "3\xE2\x80\xA8"),
            3);  // NBSP, LINE SEPARATOR
  EXPECT_EQ(js::stringToNumber("\xEF\xBB\xBF"
                               "4"),
            4);  // BOM counts as whitespace
}

TEST(JsStringToNumber, RadixIntegers) {
  EXPECT_EQ(js::stringToNumber("0x10"), 16);
  EXPECT_EQ(js::stringToNumber("0XfF"), 255);
  EXPECT_EQ(js::stringToNumber("0o17"), 15);
  EXPECT_EQ(js::stringToNumber("0b101"), 5);
  EXPECT_TRUE(std::isnan(js::stringToNumber("0x")));
  EXPECT_TRUE(std::isnan(js::stringToNumber("-0x10")));
  EXPECT_TRUE(std::isnan(js::stringToNumber("0b2")));
  // 2^53 + 1 rounds to even (2^53); 2^53 + 3 rounds up to 2^53 + 4.
  EXPECT_EQ(js::stringToNumber("0x20000000000001"), 9007199254740992.0);
  EXPECT_EQ(js::stringToNumber("0x20000000000003"), 9007199254740996.0);
  EXPECT_EQ(js::stringToNumber("0x" + std::string(300, 'f')),
            std::numeric_limits<double>::infinity());
}

TEST(JsStringToNumber, InfinityAndOutOfRange) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(js::stringToNumber("Infinity"), inf);
  EXPECT_EQ(js::stringToNumber("-Infinity"), -inf);
  EXPECT_TRUE(std::isnan(js::stringToNumber("infinity")));
  EXPECT_EQ(js::stringToNumber("1e400"), inf);
  EXPECT_EQ(js::stringToNumber("-1e400"), -inf);
  EXPECT_EQ(js::stringToNumber("1e-400"), 0);
  EXPECT_EQ(js::stringToNumber("1" + std::string(400, '0')), inf);
  EXPECT_EQ(js::stringToNumber("0." + std::string(400, '0') + "1"), 0);
}

TEST(JsStringToNumber, AnythingElseIsNaN) {
  for (const char* s : {"abc", "1_000", "1,5", "--1", "+-1", ".", "e5", "1e", "1e+", "NaN", "0x1.5",
                        "12px", "'10'", "null", "true"})
    EXPECT_TRUE(std::isnan(js::stringToNumber(s))) << s;
}

TEST(JsText, Utf16RoundTripAndReplacement) {
  EXPECT_EQ(js::toUtf16("a\xC3\xA9\xF0\x9F\x98\x80"), std::u16string(u"a\u00e9\U0001F600"));
  EXPECT_EQ(js::toUtf8(u"a\u00e9\U0001F600"), "a\xC3\xA9\xF0\x9F\x98\x80");
  // A stray continuation byte, a truncated sequence and an overlong form each become U+FFFD.
  EXPECT_EQ(js::toUtf16("\x80"
                        "x"),
            std::u16string(u"\uFFFDx"));
  EXPECT_EQ(js::toUtf16("\xE2\x82"
                        "x"),
            std::u16string(u"\uFFFDx"));
  EXPECT_EQ(js::toUtf16("\xC0\xAF"), std::u16string(u"\uFFFD\uFFFD"));
  EXPECT_EQ(js::toUtf16("\xED\xA0\x80"), std::u16string(u"\uFFFD\uFFFD\uFFFD"));
  EXPECT_EQ(js::utf16Length("a\xC3\xA9\xF0\x9F\x98\x80"), 4u);
}

TEST(JsText, NumberToStringIsJavaScripts) {
  EXPECT_EQ(js::numberToString(5), "5");
  EXPECT_EQ(js::numberToString(0.1), "0.1");
  EXPECT_EQ(js::numberToString(1e21), "1e+21");
  EXPECT_EQ(js::numberToString(-0.0), "0");
  EXPECT_EQ(js::numberToString(std::numeric_limits<double>::quiet_NaN()), "NaN");
}

}  // namespace
