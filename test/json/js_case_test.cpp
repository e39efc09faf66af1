// JavaScript's toUpperCase / toLowerCase (expected values from node).
#include <gtest/gtest.h>

#include <string>

#include "json/js_case.h"

namespace js_case = actions::json::js_case;

namespace {

std::string upper(std::string_view s) {
  std::string out;
  js_case::appendUpperCase(s, out);
  return out;
}
std::string lower(std::string_view s) {
  std::string out;
  js_case::appendLowerCase(s, out);
  return out;
}

}  // namespace

TEST(JsCase, FullMappings) {
  EXPECT_EQ(upper("abc ß ŉ ΐ"), "ABC SS ʼN \u0399\u0308\u0301");  // three code points
  EXPECT_EQ(lower("ÀÉ İ ǅ"), "àé i̇ ǆ");
  EXPECT_EQ(upper("ǅ 𐐨x"), "Ǆ 𐐀X");
}

TEST(JsCase, AppendsToWhatIsThere) {
  std::string out = "x:";
  js_case::appendUpperCase("é", out);
  EXPECT_EQ(out, "x:É");
}

TEST(JsCase, FinalSigmaFollowsCasedAndIgnorableNeighbours) {
  EXPECT_EQ(lower("Σ"), "σ");
  EXPECT_EQ(lower("ΑΣ"), "ας");
  EXPECT_EQ(lower(" ΑΣ1"), " ας1");
  // Case-ignorable characters (ASCII full stop, a combining accent) are looked through.
  EXPECT_EQ(lower("A.Σ"), "a.ς");
  EXPECT_EQ(lower("ΑΣ\u0301"), "ας\u0301");
  EXPECT_EQ(lower("ΑΣ\u0301Α"), "ασ\u0301α");
  EXPECT_EQ(lower("ΑΣ.Α"), "ασ.α");
  EXPECT_EQ(upper("ας"), "ΑΣ");
}

TEST(JsCase, UndecodableBytesPassThroughAndAreNotCased) {
  EXPECT_EQ(upper("a\x80z\xFF"), "A\x80Z\xFF");
  // The stray byte is U+FFFD to the decoder: not cased, so the sigma after it is not final.
  EXPECT_EQ(lower("Α\x80Σ"), "α\x80σ");
  EXPECT_EQ(lower("Α\xEF\xBF\xBDΣ"), "α\xEF\xBF\xBDσ");
}

TEST(JsCase, LoneSurrogatesStayAsTheyAre) {
  // "a\ud83d".toUpperCase() === "A\ud83d"
  EXPECT_EQ(upper("a\xED\xA0\xBD"), "A\xED\xA0\xBD");
  EXPECT_EQ(lower("\xED\xB8\x80Z"), "\xED\xB8\x80z");
}

TEST(JsCase, UpperCaseOfOneCodePoint) {
  EXPECT_EQ(js_case::upperCaseOf(U'a'), U"A");
  EXPECT_EQ(js_case::upperCaseOf(U'ß'), U"SS");
  EXPECT_TRUE(js_case::upperCaseOf(U'A').empty());
  EXPECT_TRUE(js_case::upperCaseOf(0x110000).empty());
}
