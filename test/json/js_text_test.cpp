// JavaScript's text rules (json/js_text.h); expected values are what node gives.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "json/js_text.h"

namespace text = actions::json::text;

namespace {

// "\ud83d" and "\ude00", the halves of U+1F600, each alone in the library's form.
const std::string kHigh = "\xED\xA0\xBD";
const std::string kLow = "\xED\xB8\x80";
const std::string kGrin = "\xF0\x9F\x98\x80";  // U+1F600 whole

TEST(JsTextDecode, WellFormedAndLoneSurrogates) {
  EXPECT_EQ(text::decodeAt("a", 0).codePoint, U'a');
  auto e = text::decodeAt("\xC3\xA9", 0);
  EXPECT_EQ(e.codePoint, 0xE9u);
  EXPECT_EQ(e.length, 2u);
  auto g = text::decodeAt(kGrin, 0);
  EXPECT_EQ(g.codePoint, 0x1F600u);
  EXPECT_EQ(g.length, 4u);
  auto h = text::decodeAt(kHigh, 0);
  EXPECT_EQ(h.codePoint, 0xD83Du);
  EXPECT_EQ(h.length, 3u);
}

TEST(JsTextDecode, IllFormedBytesAreOneReplacementPerMaximalSubpart) {
  // As TextDecoder reads them: new TextDecoder().decode(Buffer.from([...]))
  auto units = [](std::string_view s) { return text::toUtf16(s); };
  EXPECT_EQ(units("\x80x"), u"\uFFFDx");
  EXPECT_EQ(units("\xE2\x82x"), u"\uFFFDx");      // a truncated sequence is one subpart
  EXPECT_EQ(units("\xC0\xAF"), u"\uFFFD\uFFFD");  // overlong: no valid prefix
  EXPECT_EQ(units("\xE0\x8E\xA3"), u"\uFFFD\uFFFD\uFFFD");
  EXPECT_EQ(units("\xF4\x90\x80\x80"), u"\uFFFD\uFFFD\uFFFD\uFFFD");  // past U+10FFFF
  EXPECT_EQ(units("\xF0\x9F\x98"), u"\uFFFD");                        // cut at the end
  EXPECT_EQ(units("\xFFz"), u"\uFFFDz");
}

TEST(JsTextDecode, BackwardsFindsTheSameCharacters) {
  std::string s = "a\xC3\xA9" + kGrin + kHigh;
  EXPECT_EQ(text::decodeBefore(s, s.size()).codePoint, 0xD83Du);
  EXPECT_EQ(text::decodeBefore(s, s.size() - 3).codePoint, 0x1F600u);
  EXPECT_EQ(text::decodeBefore(s, 3).codePoint, 0xE9u);
  EXPECT_EQ(text::decodeBefore("\x80", 1).codePoint, text::kReplacementCharacter);
}

TEST(JsTextLength, CountsUtf16UnitsAndCodePoints) {
  EXPECT_EQ(text::utf16Length(""), 0u);
  EXPECT_EQ(text::utf16Length("abc"), 3u);
  EXPECT_EQ(text::utf16Length("\xC3\xA9"), 1u);
  EXPECT_EQ(text::utf16Length(kGrin), 2u);  // "😀".length
  EXPECT_EQ(text::utf16Length(kHigh), 1u);  // "\ud83d".length
  EXPECT_EQ(text::utf16Length("abcdefgh" + kHigh + "ijklmnopq"), 18u);
  EXPECT_EQ(text::codePointCount(kGrin), 1u);  // [..."😀"].length
  EXPECT_EQ(text::codePointCount(kHigh + "x"), 2u);
  EXPECT_EQ(text::codePointCount("abcdefg\xC3\xA9hijklmnop" + kGrin + "xyz"), 21u);
}

TEST(JsTextIndex, CodeUnitsAndOffsets) {
  std::string s = "a" + kGrin + "b";
  EXPECT_EQ(text::codeUnitAt(s, 0), "a");
  EXPECT_EQ(text::codeUnitAt(s, 1), kHigh);  // "a😀b"[1] === "\ud83d"
  EXPECT_EQ(text::codeUnitAt(s, 2), kLow);
  EXPECT_EQ(text::codeUnitAt(s, 3), "b");
  EXPECT_EQ(text::codeUnitAt(s, 4), std::nullopt);
  bool split = false;
  EXPECT_EQ(text::offsetOfUtf16(s, 2, &split), 1u);
  EXPECT_TRUE(split);
  EXPECT_EQ(text::offsetOfUtf16(s, 3, &split), 5u);
  EXPECT_FALSE(split);
  EXPECT_EQ(text::advanceCodePoints(s, 0, 2), 5u);
}

TEST(JsTextSurrogates, FindJoinAndMakeWellFormed) {
  EXPECT_EQ(text::findLoneSurrogate("abc"), std::string::npos);
  EXPECT_EQ(text::findLoneSurrogate("\xED\x9F\xBF"), std::string::npos);  // U+D7FF is text
  EXPECT_EQ(text::findLoneSurrogate("ab" + kLow), 2u);
  EXPECT_EQ(text::surrogateText(0xD83D), kHigh);
  EXPECT_EQ(text::surrogateText(0xDE00), kLow);

  std::string joined = "x" + kHigh + kLow + "y" + kLow + kHigh;  // "x\ud83d\ude00y\ude00\ud83d"
  text::joinSurrogatePairs(joined);
  EXPECT_EQ(joined, "x" + kGrin + "y" + kLow + kHigh);  // only a high then a low make a pair

  std::string wellFormed = kHigh + "a" + kHigh + kLow;  // "\ud83da\ud83d\ude00".toWellFormed()
  text::toWellFormed(wellFormed);
  EXPECT_EQ(wellFormed,
            "\xEF\xBF\xBD"
            "a" +
                kGrin);
}

TEST(JsTextSurrogates, BytesFromOutsideReadAsJavaScriptHostsReadThem) {
  // Buffer.from([0xED,0xA0,0xBD,0x61]).toString() === "\ufffd\ufffd\ufffda"
  EXPECT_EQ(text::fromBytes(kHigh + "a"),
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"
            "a");
  EXPECT_EQ(text::fromBytes("\xE2\x82x\xEF\xBF\xBD"),
            "\xEF\xBF\xBD"
            "x\xEF\xBF\xBD");
  EXPECT_EQ(text::fromBytes(kGrin), kGrin);
  // Three bytes of a four-byte character, cut: one subpart of three bytes, one U+FFFD.
  EXPECT_EQ(text::fromBytes("\xF0\x9F\x98x"), "\xEF\xBF\xBDx");
}

TEST(JsTextUtf16, RoundTripKeepsLoneSurrogates) {
  EXPECT_EQ(text::toUtf16("a\xC3\xA9" + kGrin), std::u16string(u"a\u00e9\U0001F600"));
  EXPECT_EQ(text::fromUtf16(u"a\u00e9\U0001F600"), "a\xC3\xA9" + kGrin);
  std::u16string lone = {u'a', 0xD83D, u'b', 0xDE00};
  EXPECT_EQ(text::toUtf16(text::fromUtf16(lone)), lone);
  EXPECT_EQ(text::fromUtf16(std::u16string{0xD83D, 0xDE00}), kGrin);  // a pair is one character
}

TEST(JsTextCompare, Utf16CodeUnitOrder) {
  EXPECT_LT(text::compareUtf16("a", "b"), 0);
  EXPECT_EQ(text::compareUtf16("ab", "ab"), 0);
  EXPECT_LT(text::compareUtf16("ab", "abc"), 0);
  // "😀" < "\uffff" in JavaScript (0xD83D < 0xFFFF), though U+1F600 > U+FFFF.
  EXPECT_LT(text::compareUtf16(kGrin, "\xEF\xBF\xBF"), 0);
  // "\ud83d" < "😀" (a prefix), and "\ud83dz" > "😀" ("z" > "\ude00" is false: 0x7A < 0xDE00).
  EXPECT_LT(text::compareUtf16(kHigh, kGrin), 0);
  EXPECT_LT(text::compareUtf16(kHigh + "z", kGrin), 0);
  EXPECT_GT(text::compareUtf16(kHigh + "\xEF\xBF\xBF", kGrin), 0);
}

TEST(JsTextSearch, StartsEndsAndIncludesByCodeUnit) {
  std::string s = "x" + kGrin + "y";
  EXPECT_TRUE(text::startsWith(s, "x"));
  EXPECT_TRUE(text::startsWith(s, "x" + kHigh));  // "x😀y".startsWith("x\ud83d")
  EXPECT_FALSE(text::startsWith(s, "x" + kLow));
  EXPECT_TRUE(text::endsWith(s, kLow + "y"));
  EXPECT_FALSE(text::endsWith(s, kHigh + "y"));
  EXPECT_TRUE(text::includes(s, kLow));
  EXPECT_TRUE(text::includes(s, kGrin));
  EXPECT_FALSE(text::includes(s, "z"));
  EXPECT_TRUE(text::includes(kHigh + "a", kHigh));
}

TEST(JsTextTrim, JavaScriptWhiteSpace) {
  EXPECT_EQ(text::trim("\u00a0\t a b \u3000\n"), "a b");
  EXPECT_EQ(text::trim("   "), "");
  EXPECT_EQ(text::trimStart("\xEF\xBB\xBFx "), "x ");  // the BOM is white space
  EXPECT_EQ(text::trimEnd(kHigh + " "), kHigh);
}

TEST(JsTextNumber, DecimalForms) {
  EXPECT_EQ(text::toNumber("10"), 10);
  EXPECT_EQ(text::toNumber("-2.5"), -2.5);
  EXPECT_EQ(text::toNumber("+7"), 7);
  EXPECT_EQ(text::toNumber(".5"), 0.5);
  EXPECT_EQ(text::toNumber("5."), 5);
  EXPECT_EQ(text::toNumber("1e3"), 1000);
  EXPECT_EQ(text::toNumber("1E-2"), 0.01);
  EXPECT_EQ(text::toNumber("007"), 7);
  EXPECT_TRUE(std::signbit(text::toNumber("-0")));
}

TEST(JsTextNumber, WhiteSpaceIsTrimmedAndEmptyIsZero) {
  EXPECT_EQ(text::toNumber(""), 0);
  EXPECT_EQ(text::toNumber("   "), 0);
  EXPECT_EQ(text::toNumber(" 12\n"), 12);
  EXPECT_EQ(text::toNumber("\xC2\xA0"
                           "3\xE2\x80\xA8"),
            3);  // NBSP, LINE SEPARATOR
  EXPECT_EQ(text::toNumber("\xEF\xBB\xBF"
                           "4"),
            4);                                          // BOM
  EXPECT_TRUE(std::isnan(text::toNumber(kHigh + "4")));  // a lone surrogate is not space
}

TEST(JsTextNumber, RadixIntegersRoundLikeJavaScript) {
  EXPECT_EQ(text::toNumber("0x10"), 16);
  EXPECT_EQ(text::toNumber("0XfF"), 255);
  EXPECT_EQ(text::toNumber("0o17"), 15);
  EXPECT_EQ(text::toNumber("0b101"), 5);
  EXPECT_TRUE(std::isnan(text::toNumber("0x")));
  EXPECT_TRUE(std::isnan(text::toNumber("-0x10")));
  EXPECT_TRUE(std::isnan(text::toNumber("0b2")));
  // 2^53 + 1 rounds to even (2^53); 2^53 + 3 rounds up to 2^53 + 4.
  EXPECT_EQ(text::toNumber("0x20000000000001"), 9007199254740992.0);
  EXPECT_EQ(text::toNumber("0x20000000000003"), 9007199254740996.0);
  // Number("0b" + "1".repeat(54)) === 18014398509481984 (rounded, not truncated)
  EXPECT_EQ(text::toNumber("0b" + std::string(54, '1')), 18014398509481984.0);
  EXPECT_EQ(text::toNumber("0x" + std::string(300, 'f')), std::numeric_limits<double>::infinity());
}

TEST(JsTextNumber, InfinityOutOfRangeAndSubnormals) {
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(text::toNumber("Infinity"), inf);
  EXPECT_EQ(text::toNumber("-Infinity"), -inf);
  EXPECT_TRUE(std::isnan(text::toNumber("infinity")));
  EXPECT_EQ(text::toNumber("1e400"), inf);
  EXPECT_EQ(text::toNumber("-1e400"), -inf);
  EXPECT_EQ(text::toNumber("1e-400"), 0);
  EXPECT_EQ(text::toNumber("5e-324"), 5e-324);  // the smallest subnormal
  EXPECT_EQ(text::toNumber("1" + std::string(400, '0')), inf);
  EXPECT_EQ(text::toNumber("0." + std::string(400, '0') + "1"), 0);
}

TEST(JsTextNumber, AnythingElseIsNaN) {
  for (const char* s : {"abc", "1_000", "1,5", "--1", "+-1", ".", "e5", "1e", "1e+", "NaN", "0x1.5",
                        "12px", "'10'", "null", "true"})
    EXPECT_TRUE(std::isnan(text::toNumber(s))) << s;
}

TEST(JsTextCase, UpperAndLowerKeepLoneSurrogates) {
  EXPECT_EQ(text::toUpper("abc \xC3\x9F"), "ABC SS");
  EXPECT_EQ(text::toLower("\xCE\xA3\xCE\x91\xCE\xA3"), "\xCF\x83\xCE\xB1\xCF\x82");  // "σας"
  EXPECT_EQ(text::toUpper("a" + kHigh), "A" + kHigh);
}

TEST(JsTextKeys, ArrayIndexIsACanonicalDecimalBelowTwoToThe32MinusOne) {
  EXPECT_EQ(text::arrayIndex("0"), 0u);
  EXPECT_EQ(text::arrayIndex("17"), 17u);
  EXPECT_EQ(text::arrayIndex("4294967294"), 4294967294u);
  for (const char* k : {"", "01", "-1", "+1", "1.0", "1e3", " 1", "4294967295", "99999999999", "x"})
    EXPECT_EQ(text::arrayIndex(k), std::nullopt) << k;
}

}  // namespace
