#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "json/json.h"

using namespace actions::json;

static std::string num(double d) {
  std::string s;
  appendNumber(d, s);
  return s;
}

static std::string roundTrip(const std::string& text) {
  Document d;
  auto err = parse(text, d);
  EXPECT_FALSE(err) << text;
  return stringify(d);
}

TEST(JsNumber, FormatsLikeJavaScript) {
  EXPECT_EQ(num(0), "0");
  EXPECT_EQ(num(-0.0), "0");
  EXPECT_EQ(num(1), "1");
  EXPECT_EQ(num(-42), "-42");
  EXPECT_EQ(num(0.1), "0.1");
  EXPECT_EQ(num(1.5), "1.5");
  EXPECT_EQ(num(123.456), "123.456");
  EXPECT_EQ(num(0.000001), "0.000001");
  EXPECT_EQ(num(0.0000001), "1e-7");
  EXPECT_EQ(num(1.5e-7), "1.5e-7");
  EXPECT_EQ(num(1e21), "1e+21");
  EXPECT_EQ(num(1e20), "100000000000000000000");
  EXPECT_EQ(num(123456789012345680000.0), "123456789012345680000");
  EXPECT_EQ(num(1.7976931348623157e308), "1.7976931348623157e+308");
  EXPECT_EQ(num(5e-324), "5e-324");
  EXPECT_EQ(num(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(num(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(num(9007199254740993.0), "9007199254740992");
  EXPECT_EQ(num(1e16), "10000000000000000");
}

TEST(JsonStringify, NumbersAsParsedByJavaScript) {
  EXPECT_EQ(roundTrip("[1.0,2.50,-0,1E3,12345678901234567890,-9223372036854775808]"),
            "[1,2.5,0,1000,12345678901234567000,-9223372036854776000]");
}

TEST(JsonStringify, EscapesLikeJsonStringify) {
  Document d;
  d.SetString("a\"b\\c\n\t\x01/\xc3\xa9", d.GetAllocator());
  EXPECT_EQ(stringify(d), "\"a\\\"b\\\\c\\n\\t\\u0001/\xc3\xa9\"");
}

TEST(JsonStringify, DeepValuesDoNotRecurse) {
  Document d;
  Value* v = &d;
  d.SetArray();
  for (int i = 0; i < 100000; ++i) {
    v->PushBack(Value(rapidjson::kArrayType), d.GetAllocator());
    v = &(*v)[0];
  }
  std::string out = stringify(d);
  EXPECT_EQ(out.size(), 2u * 100001u);
  EXPECT_EQ(depthOf(d), 100001u);
}

TEST(JsString, ConvertsLikeStringConstructor) {
  Document d;
  ASSERT_FALSE(parse(R"([1,"a",null,true,{"x":1},[2,[3,null]],1.5])", d));
  EXPECT_EQ(toJsString(d), "1,a,,true,[object Object],2,3,,1.5");
  EXPECT_EQ(toJsString(d[2]), "null");
  EXPECT_EQ(toJsString(d[4]), "[object Object]");
}

TEST(JsonStringify, EscapesAtEveryPlaceOfALongString) {
  // Runs are checked eight bytes at a time: an escape must be found wherever it falls.
  for (std::size_t size = 1; size <= 20; ++size)
    for (std::size_t at = 0; at < size; ++at) {
      for (char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
        std::string s(size, 'a');
        s[at] = special;
        std::string expected(size, 'a');
        std::string escaped = special == '"'      ? "\\\""
                              : special == '\\'   ? "\\\\"
                              : special == '\n'   ? "\\n"
                              : special == '\x01' ? "\\u0001"
                                                  : "\\u001f";
        expected.replace(at, 1, escaped);
        std::string out = "prefix";
        appendQuoted(s, out);
        EXPECT_EQ(out, "prefix\"" + expected + "\"") << size << " " << at;
      }
    }
  for (std::size_t size = 0; size <= 20; ++size) {
    std::string plain(size, 'q');
    std::string out;
    appendQuoted(plain, out);
    EXPECT_EQ(out, "\"" + plain + "\"");
  }
  std::string high = "\xC3\xA9\xE2\x80\xA8\x7f~ end";
  EXPECT_EQ(stringify(Value(rapidjson::StringRef(high.data(), high.size()))), "\"" + high + "\"");
}

TEST(JsonStringify, LargeValuesGrowTheOutput) {
  Document d;
  d.SetArray();
  std::string big(100000, 'z');
  for (int i = 0; i < 50; ++i) d.PushBack(Value(big, d.GetAllocator()), d.GetAllocator());
  std::string out;
  stringify(d, out);
  EXPECT_EQ(out.size(), 50 * (big.size() + 3) + 1);
  EXPECT_EQ(out.substr(0, 5), "[\"zzz");
  EXPECT_EQ(out.substr(out.size() - 5), "zzz\"]");
}

TEST(JsonStringify, ShortAndLongValuesEscapeLikeAppendQuoted) {
  // Values keep short strings inside themselves; keys and values of every size and with an
  // escape at every place must come out as the plain quoting gives them.
  Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  std::string expected = "{";
  for (std::size_t size = 0; size <= 24; ++size) {
    for (std::size_t at = 0; at <= size; ++at) {
      std::string s(size, 'k');
      if (at < size) s[at] = at % 2 ? '"' : '\x02';
      Value key(s + "#" + std::to_string(at), a);
      if (d.MemberCount()) expected += ',';
      appendQuoted(s + "#" + std::to_string(at), expected);
      expected += ':';
      appendQuoted(s, expected);
      d.AddMember(key, Value(s, a), a);
    }
  }
  expected += '}';
  EXPECT_EQ(stringify(d), expected);
}

TEST(JsonStringify, NestingAcrossTheRecursiveLevelsKeepsEveryValue) {
  // Shallow levels are written by recursion, deeper ones by the iterative walk: both halves
  // of one value must come out whole and in order.
  std::string text;
  for (int i = 0; i < 80; ++i)
    text += "{\"k" + std::to_string(i) + "\":[" + std::to_string(i) + ",\"s\",";
  text += "null";
  for (int i = 0; i < 80; ++i) text += "],\"after\":true}";
  Document d;
  ASSERT_FALSE(parse(text, d));
  EXPECT_EQ(stringify(d), text);
}

// JSON.stringify writes a lone surrogate as a \u escape (lower-case hex) and everything else
// beginning with the same byte (U+D000..U+D7FF) as it is, wherever it falls in the string.
TEST(JsonStringify, EscapesLoneSurrogatesAtEveryPlace) {
  const std::string lone = "\xED\xA0\xBD";    // "\ud83d"
  const std::string hangul = "\xED\x9F\xBF";  // U+D7FF, ordinary text
  for (std::size_t size = 0; size <= 20; ++size)
    for (std::size_t at = 0; at <= size; ++at) {
      std::string s(size, 'a');
      std::string withLone = s, withHangul = s;
      withLone.insert(at, lone);
      withHangul.insert(at, hangul);
      std::string expected = s;
      expected.insert(at, "\\ud83d");
      std::string out;
      appendQuoted(withLone, out);
      EXPECT_EQ(out, "\"" + expected + "\"") << size << " " << at;
      out.clear();
      appendQuoted(withHangul, out);
      EXPECT_EQ(out, "\"" + withHangul + "\"") << size << " " << at;
      // Inside values, where short strings are read a word at a time.
      Document d;
      d.SetArray();
      d.PushBack(Value(withLone, d.GetAllocator()), d.GetAllocator());
      EXPECT_EQ(stringify(d), "[\"" + expected + "\"]") << size << " " << at;
    }
  // A string long enough to be measured before it is written.
  std::string big(70000, 'b');
  big += "\xED\xB8\x80";
  std::string out;
  appendQuoted(big, out);
  EXPECT_EQ(out, "\"" + std::string(70000, 'b') + "\\ude00\"");
}
