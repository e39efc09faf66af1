#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "json/json.h"

using actions::json::Document;
using actions::json::parse;
using actions::json::stringify;

TEST(JsonParse, ParsesObjectsKeepingKeyOrder) {
  Document d;
  ASSERT_FALSE(parse(R"({"b":1,"a":[true,null,"x"]})", d));
  EXPECT_EQ(stringify(d), R"({"b":1,"a":[true,null,"x"]})");
}

TEST(JsonParse, ReportsLineAndColumn) {
  Document d;
  auto err = parse("{\n  \"a\" 1}", d);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->line, 2u);
  EXPECT_EQ(err->column, 7u);
  EXPECT_NE(err->describe().find("line 2, column 7"), std::string::npos);
  EXPECT_NE(err->message.find("colon"), std::string::npos);
}

TEST(JsonParse, RefusesHugeNumbers) {
  Document d;
  auto err = parse(R"({"n":1e400})", d);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("too big"), std::string::npos);
}

TEST(JsonParse, RefusesDeepNestingWithoutRecursion) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  Document d;
  auto err = parse(deep, d);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("nesting deeper"), std::string::npos);
}

TEST(JsonParse, RefusesInvalidUtf8) {
  Document d;
  auto err = parse("{\"a\":\"\xff\xfe\"}", d);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("encoding"), std::string::npos);
}

TEST(JsonParse, RefusesNulBytes) {
  Document d;
  std::string text("{\"a\":1}\0x", 9);
  auto err = parse(text, d);
  ASSERT_TRUE(err);
}

TEST(JsonParse, DuplicateKeysKeepLastValueAtFirstPlace) {
  Document d;
  ASSERT_FALSE(parse(R"({"a":1,"b":2,"a":3})", d));
  EXPECT_EQ(stringify(d), R"({"a":3,"b":2})");
}

TEST(JsonParse, DuplicateKeysInLargeObjects) {
  std::string text = "{";
  for (int i = 0; i < 40; ++i) text += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  text += "\"k5\":\"last\"}";
  Document d;
  ASSERT_FALSE(parse(text, d));
  EXPECT_EQ(d.MemberCount(), 40u);
  EXPECT_STREQ(d["k5"].GetString(), "last");
  EXPECT_EQ(d.MemberBegin()[5].name.GetString(), std::string("k5"));
}

TEST(JsonParse, EmptyInputIsAnError) {
  Document d;
  EXPECT_TRUE(parse("", d));
  EXPECT_TRUE(parse("   ", d));
}

// JSON.parse reads a lone surrogate escape (what JSON.stringify writes for a string cut inside an
// emoji); it is kept as its three-byte form and written back as the same escape.
TEST(JsonParse, ReadsLoneSurrogateEscapesAsJavaScriptDoes) {
  Document d;
  ASSERT_FALSE(parse(R"({"a":"x\ude80","\ud83d":1})", d));
  EXPECT_EQ(std::string(d["a"].GetString()), "x\xED\xBA\x80");
  EXPECT_TRUE(d.HasMember("\xED\xA0\xBD"));
  EXPECT_EQ(stringify(d), R"({"a":"x\ude80","\ud83d":1})");
  // A high surrogate before anything but a low one stays alone; a low one after it pairs.
  ASSERT_FALSE(parse(R"(["\ud83d\u0041","\ud83d\ud83d\ude00","\ude00\ud83d","\uD800"])", d));
  EXPECT_EQ(std::string(d[0].GetString()),
            "\xED\xA0\xBD"
            "A");
  EXPECT_EQ(std::string(d[1].GetString()), "\xED\xA0\xBD\xF0\x9F\x98\x80");
  EXPECT_EQ(std::string(d[2].GetString()), "\xED\xB8\x80\xED\xA0\xBD");
  EXPECT_EQ(stringify(d), R"(["\ud83dA","\ud83d😀","\ude00\ud83d","\ud800"])");
  ASSERT_FALSE(parse(R"(["\ud83d\ude80 \u00e9"])", d));
  EXPECT_EQ(stringify(d), "[\"\xF0\x9F\x9A\x80 \xC3\xA9\"]");
}

TEST(JsonParse, ErrorsBesideALoneSurrogateAreFoundWhereTheyAre) {
  Document d;
  auto err = parse("{\"a\":\"\\ud83d\",\n \"b\" 2}", d);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->line, 2u);
  EXPECT_EQ(err->column, 6u);
  EXPECT_NE(err->message.find("colon"), std::string::npos) << err->message;
  // A \u escape must still have four hex digits.
  err = parse(R"(["\ud83d\u12"])", d);
  ASSERT_TRUE(err);
  EXPECT_NE(err->message.find("escape"), std::string::npos) << err->message;
}

// Well-formed input takes a faster route through the reader than anything else; both must
// agree on what they accept and on where an error is.
TEST(JsonParse, RefusesEveryIllFormedUtf8Sequence) {
  for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                          "\xF8\x88\x80\x80\x80", "\x80", "\xE2\x82", "\xF0\x9F\x9A"}) {
    Document d;
    std::string text = std::string("{\"key\":\"abc") + bad + "def\"}";
    auto err = parse(text, d);
    ASSERT_TRUE(err) << text;
    EXPECT_NE(err->message.find("encoding"), std::string::npos) << err->message;
  }
}

TEST(JsonParse, KeepsNonAsciiTextAndEscapesExactly) {
  Document d;
  std::string text =
      "{\"ключ\":\"Tōkyō — \xF0\x9F\x9A\x80 \\\"q\\\" \\\\ \\u00e9\\n\",\"long\":\"" +
      std::string(100, 'x') + "\\t" + std::string(37, 'y') + "\"}";
  ASSERT_FALSE(parse(text, d));
  EXPECT_EQ(std::string(d["ключ"].GetString()), "Tōkyō — \xF0\x9F\x9A\x80 \"q\" \\ é\n");
  EXPECT_EQ(std::string(d["long"].GetString()),
            std::string(100, 'x') + "\t" + std::string(37, 'y'));
}

TEST(JsonParse, ErrorsAfterNonAsciiTextKeepTheirPlace) {
  Document d;
  auto err = parse("{\"é\":1,\n \"b\" 2}", d);
  ASSERT_TRUE(err);
  EXPECT_EQ(err->line, 2u);
  EXPECT_EQ(err->column, 6u);
}

TEST(JsonParse, EscapedBackslashBeforeUIsNoUnicodeEscape) {
  Document d;
  ASSERT_FALSE(parse(R"(["\\udc00"])", d));
  EXPECT_EQ(std::string(d[0].GetString()), "\\udc00");
  ASSERT_FALSE(parse(R"(["a\\", "\udc00"])", d));  // a real escape after an escaped backslash
  EXPECT_EQ(std::string(d[1].GetString()), "\xED\xB0\x80");
}

TEST(JsonParse, IntegersKeepTheirWidthAtEveryBoundary) {
  Document d;
  ASSERT_FALSE(
      parse("[4294967295,4294967296,-2147483648,-2147483649,999999999999999999,-0,"
            "18446744073709551615,-9223372036854775808]",
            d));
  EXPECT_TRUE(d[0].IsUint() && !d[0].IsInt());
  EXPECT_TRUE(d[1].IsUint64() && !d[1].IsUint());
  EXPECT_TRUE(d[2].IsInt() && d[2].GetInt() == -2147483647 - 1);
  EXPECT_TRUE(d[3].IsInt64() && !d[3].IsInt() && d[3].GetInt64() == -2147483649LL);
  EXPECT_EQ(d[4].GetUint64(), 999999999999999999ull);
  EXPECT_TRUE(d[5].IsInt() && !d[5].IsDouble());
  EXPECT_EQ(d[6].GetUint64(), 18446744073709551615ull);
  EXPECT_EQ(d[7].GetInt64(), INT64_MIN);
  EXPECT_EQ(stringify(d),
            "[4294967295,4294967296,-2147483648,-2147483649,1000000000000000000,0,"
            "18446744073709552000,-9223372036854776000]");
}

TEST(JsonParse, FractionsRoundAsJsonParseDoes) {
  Document d;
  ASSERT_FALSE(parse("[-0.7748701843914941878,0.1,-0.0,367.9,1.0]", d));
  EXPECT_EQ(stringify(d), "[-0.7748701843914941,0.1,0,367.9,1]");
  EXPECT_TRUE(d[2].IsDouble() && std::signbit(d[2].GetDouble()));
  EXPECT_TRUE(d[4].IsDouble());
}

TEST(JsonParse, RepeatedKeysFoundInNestedAndWideObjects) {
  std::string wide = "{";
  for (int i = 0; i < 40; ++i) wide += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  wide += "\"k3\":\"again\"}";
  Document d;
  ASSERT_FALSE(parse("{\"a\":{\"x\":1,\"y\":2,\"x\":3},\"b\":" + wide + "}", d));
  EXPECT_EQ(stringify(d["a"]), R"({"x":3,"y":2})");
  EXPECT_EQ(d["b"].MemberCount(), 40u);
  EXPECT_STREQ(d["b"]["k3"].GetString(), "again");
}

TEST(JsonParse, ExponentsAndOddSpacingStillParse) {
  Document d;
  ASSERT_FALSE(
      parse(" \t\r\n{ \"a\" : [ 1e2 , 2E-1 , -3.5e+3 ] , \"b\" : { } , \"c\" : [ ] }\n ", d));
  EXPECT_EQ(stringify(d), R"({"a":[100,0.2,-3500],"b":{},"c":[]})");
}

// Numbers are given the representation RapidJSON's own reader gives them (the writer and the
// row encoder read it), whatever their form.
TEST(JsonParse, NumbersMatchRapidJsonsReader) {
  for (const char* n : {"0",
                        "-0",
                        "7",
                        "-7",
                        "2147483647",
                        "2147483648",
                        "-2147483648",
                        "-2147483649",
                        "4294967295",
                        "4294967296",
                        "9223372036854775807",
                        "9223372036854775808",
                        "-9223372036854775808",
                        "-9223372036854775809",
                        "18446744073709551615",
                        "18446744073709551616",
                        "123456789012345678901234567890",
                        "-123456789012345678901234",
                        "1e2",
                        "1E-2",
                        "-0e0",
                        "0.1",
                        "1.5e300",
                        "2.2250738585072014e-308",
                        "5e-324",
                        "1e-400",
                        "-1e-400",
                        "0.30000000000000004",
                        "123456789.123456789e-5",
                        "1.00000000000000011102230246251565404236316680908203125"}) {
    Document ours, theirs;
    ASSERT_FALSE(parse(n, ours)) << n;
    theirs.Parse<rapidjson::kParseFullPrecisionFlag>(n);
    ASSERT_FALSE(theirs.HasParseError()) << n;
    EXPECT_EQ(ours.IsInt(), theirs.IsInt()) << n;
    EXPECT_EQ(ours.IsUint(), theirs.IsUint()) << n;
    EXPECT_EQ(ours.IsInt64(), theirs.IsInt64()) << n;
    EXPECT_EQ(ours.IsUint64(), theirs.IsUint64()) << n;
    EXPECT_EQ(ours.IsDouble(), theirs.IsDouble()) << n;
    if (ours.IsDouble()) {
      EXPECT_EQ(ours.GetDouble(), theirs.GetDouble()) << n;
      EXPECT_EQ(std::signbit(ours.GetDouble()), std::signbit(theirs.GetDouble())) << n;
    } else {
      EXPECT_EQ(stringify(ours), stringify(theirs)) << n;
    }
  }
}

// Strings are scanned sixteen and eight bytes at a time: an escape, a multi-byte character or an
// invalid byte must be found wherever it falls.
TEST(JsonParse, FindsEveryKindOfByteAtEveryPlaceOfAString) {
  struct Insert {
    std::string json, value;
    bool valid;
  };
  const Insert inserts[] = {{"\\n", "\n", true},
                            {"\\\"", "\"", true},
                            {"\xC3\xA9", "\xC3\xA9", true},
                            {"\\ud83d", "\xED\xA0\xBD", true},
                            {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80", true},
                            {"\x01", "", false},
                            {"\xFF", "", false}};
  for (std::size_t size = 0; size <= 40; ++size)
    for (std::size_t at = 0; at <= size; ++at)
      for (const auto& ins : inserts) {
        std::string plain(size, 'x');
        std::string text = "[\"" + plain.substr(0, at) + ins.json + plain.substr(at) + "\"]";
        Document d;
        auto err = parse(text, d);
        if (!ins.valid) {
          EXPECT_TRUE(err) << size << " " << at;
          continue;
        }
        ASSERT_FALSE(err) << text;
        EXPECT_EQ(std::string(d[0].GetString(), d[0].GetStringLength()),
                  plain.substr(0, at) + ins.value + plain.substr(at))
            << size << " " << at;
      }
}
