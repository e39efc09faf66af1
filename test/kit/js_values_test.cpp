// JavaScript's view of values that Segment's validation depends on.
#include <gtest/gtest.h>

#include <cmath>

#include "kit/js_values.h"
#include "test_data.h"

namespace {

using namespace actions;
namespace js = kit::js;

TEST(JsToNumber, ReadsNumericLiteralsLikeJavaScript) {
  EXPECT_EQ(js::toNumber("12"), 12);
  EXPECT_EQ(js::toNumber(" 12\n"), 12);
  EXPECT_EQ(js::toNumber("\xC2\xA0"
                         "7"),
            7);  // no-break space is white space
  EXPECT_EQ(js::toNumber("1e3"), 1000);
  EXPECT_EQ(js::toNumber(".5"), 0.5);
  EXPECT_EQ(js::toNumber("5."), 5);
  EXPECT_EQ(js::toNumber("-3"), -3);
  EXPECT_EQ(js::toNumber("0x1A"), 26);
  EXPECT_EQ(js::toNumber("0b101"), 5);
  EXPECT_EQ(js::toNumber("0o17"), 15);
  EXPECT_EQ(js::toNumber(""), 0);
  EXPECT_EQ(js::toNumber("   "), 0);
  EXPECT_TRUE(std::isinf(js::toNumber("-Infinity")));
}

TEST(JsToNumber, RefusesWhatJavaScriptRefuses) {
  for (const char* s :
       {"abc", "1,5", "1_000", "12px", "0x", "-0x1A", "1e", "infinity", "NaN", ".", "+-1"})
    EXPECT_TRUE(std::isnan(js::toNumber(s))) << s;
}

TEST(JsValues, LengthCountsCodePoints) {
  EXPECT_EQ(js::codePointLength("abc"), 3u);
  EXPECT_EQ(js::codePointLength("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"), 3u);  // é € 😀
  // Long runs are counted eight ASCII bytes at a time, with other characters anywhere.
  EXPECT_EQ(js::codePointLength("abcdefghijklmnopq"), 17u);
  EXPECT_EQ(js::codePointLength("abcdefg\xC3\xA9hijklmnop\xF0\x9F\x98\x80xyz"), 21u);
  EXPECT_EQ(js::codePointLength("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                                "abcdefgh"),
            13u);
}

TEST(JsValues, DeepEqualIgnoresKeyOrderAndNumberRepresentation) {
  auto a = kittest::parseOrDie(R"({"a":1,"b":[true,null,"x"]})");
  auto b = kittest::parseOrDie(R"({"b":[true,null,"x"],"a":1.0})");
  auto c = kittest::parseOrDie(R"({"b":[true,null,"x"],"a":2})");
  EXPECT_TRUE(js::deepEqual(a, b));
  EXPECT_FALSE(js::deepEqual(a, c));
}

TEST(JsValues, DescribeTypeAsHumanErrorsDo) {
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("[]")), "an array");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("{}")), "an object");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("null")), "null");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("1")), "a number");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("\"s\"")), "a string");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("false")), "a boolean");
}

}  // namespace
