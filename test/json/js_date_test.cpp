// JavaScript's Date: the calendar arithmetic and Date.parse. The recorded V8 answers for
// thousands of strings are in test/kit (date_like_test.cpp); these cover the scanner's edges that
// V8 decides by code point (values from node, TZ=UTC).
#include <gtest/gtest.h>

#include <cmath>

#include "json/js_date.h"

namespace js_date = actions::json::js_date;

namespace {

double parse(std::u32string_view s) {
  return js_date::parse(s);
}

}  // namespace

TEST(JsDate, ParsesIsoAndLegacyForms) {
  EXPECT_EQ(parse(U"2000-01-01"), 946684800000);
  EXPECT_EQ(parse(U"2000-01-01T10:00:00.5+01:00"), 946717200500);
  EXPECT_EQ(parse(U"Jan 1 2000 1:00 pm"), 946731600000);
  EXPECT_EQ(parse(U"Sat, 01 Jan 2000 10:00:00 EST"), 946738800000);
  EXPECT_TRUE(std::isnan(parse(U"not a date")));
  EXPECT_TRUE(std::isnan(parse(U"+275760-09-13T00:00:00.001Z")));  // past TimeClip
}

TEST(JsDate, NulEndsTheInput) {
  EXPECT_EQ(parse(std::u32string_view(U"2000-01-01\0x", 12)), 946684800000);
  EXPECT_TRUE(
      std::isnan(parse(std::u32string_view(U"Jan\0"
                                           U"1 2000",
                                           10))));
}

TEST(JsDate, OnlyWhiteSpaceEndsAWord) {
  // A line terminator above 'A' belongs to the word: "am\u2028" is no AM/PM keyword.
  EXPECT_EQ(parse(U"1 Jan 2000 10:00 am"), 946720800000);
  EXPECT_TRUE(std::isnan(parse(U"1 Jan 2000 10:00 am\u2028")));
  EXPECT_EQ(parse(U"1 Jan 2000 10:00 am\u00A0"), 946720800000);
}

TEST(JsDate, NonAsciiLettersMatchNoKeyword) {
  // U+0170 lower-cased bit-wise is not 'p': no "pm", no "pst".
  EXPECT_TRUE(std::isnan(parse(U"Jan 1 2000 1:00 \u0170m")));
  EXPECT_TRUE(std::isnan(parse(U"Jan 1 2000 10:00 \u0170st")));
}

TEST(JsDate, CalendarFieldsAndArithmetic) {
  js_date::Fields f = js_date::fieldsOf(951782400000);  // 2000-02-29
  EXPECT_EQ(f.year, 2000);
  EXPECT_EQ(f.month, 1);
  EXPECT_EQ(f.day, 29);
  EXPECT_EQ(f.weekday, 2);
  EXPECT_EQ(f.dayOfYear, 60);
  EXPECT_EQ(js_date::makeTime(2000, 1, 30, 0, 0, 0, 0), 951868800000);  // Feb 30 is Mar 1
  EXPECT_TRUE(std::isnan(js_date::timeClip(8.64e15 + 1)));
}
