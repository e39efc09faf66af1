// json/as_written.h: a text is said to be "as written" only when the writer would write exactly
// it for the document read, so that copying the text stands in for writing the value; and the
// texts JSON.stringify writes are recognised as such, so the copy is made for real events.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

#include "json/as_written.h"
#include "json/json.h"

namespace {

using actions::json::Document;
using actions::json::KnownText;
using actions::json::parseKeepingText;
using actions::json::stringify;
using actions::json::Value;

bool asWritten(const std::string& text, Document& d) {
  bool as = false;
  EXPECT_FALSE(parseKeepingText(text, d, as)) << text;
  // The promise the flag makes, whatever the text.
  if (as) {
    EXPECT_EQ(stringify(d), text);
  }
  return as;
}

TEST(JsonAsWritten, JsonStringifyOutputIsRecognised) {
  for (std::string text :
       {R"({"a":1,"b":"x","c":[1,2.5,-3,0,-0.5,0.000001,123456789012345,0.1],"d":{}})",
        R"({"e":null,"f":true,"g":false,"h":[],"i":[[{}]]})",
        R"({"q":"\"\\\b\f\n\r\t\u0001\u001f","l":"\ud83d","m":"\udc00x"})",
        "{\"u\":\"\xC3\xA9\xF0\x9F\x98\x80\xE2\x80\xA8/\"}", R"([1,"a"])", R"("s")", "5", "true"}) {
    Document d;
    EXPECT_TRUE(asWritten(text, d)) << text;
  }
}

TEST(JsonAsWritten, AnythingTheWriterWritesOtherwiseIsNot) {
  for (std::string text : {R"({"a": 1})",
                           R"( {"a":1})",
                           "{\"a\":1}\n",
                           R"({"a":1.0})",
                           R"({"a":1e3})",
                           R"({"a":1E3})",
                           R"({"a":-0})",
                           R"({"a":0.0})",
                           R"({"a":0.0000001})",
                           R"({"a":1234567890123456})",
                           R"({"a":0.1000000000000000055})",
                           R"({"a":"\/"})",
                           R"({"a":"\u00e9"})",
                           R"({"a":"\u001F"})",
                           R"({"a":"\u000a"})",
                           R"({"a":"\u007f"})",
                           R"({"a":"\uD83D"})",
                           R"({"a":"\ud83d\ude00"})",
                           R"({"a":1,"a":2})",
                           R"({"a\u0041":1})"}) {
    Document d;
    EXPECT_FALSE(asWritten(text, d)) << text;
  }
}

// Random documents written by the writer read back as written; each with one byte of white
// space added does not.
TEST(JsonAsWritten, RandomDocumentsRoundTrip) {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  const char* strings[] = {"",
                           "a",
                           "\"q\"",
                           "tab\t",
                           "\x01",
                           "\xED\xA0\xBD",
                           "caf\xC3\xA9",
                           "long string of more than sixteen bytes \\ end"};
  const double numbers[] = {0, 1, -1, 0.5, 1e-6, 123.456, 1e21, 1e-7, 2.5e300, 0.1 + 0.2};
  for (int round = 0; round < 200; ++round) {
    Document src;
    auto& alloc = src.GetAllocator();
    src.SetObject();
    int members = 1 + pick(6);
    for (int m = 0; m < members; ++m) {
      Value v;
      switch (pick(4)) {
        case 0:
          v.SetString(strings[pick(8)], alloc);
          break;
        case 1:
          v.SetDouble(numbers[pick(10)]);
          break;
        case 2:
          v.SetInt(pick(2000) - 1000);
          break;
        default:
          v.SetArray();
          v.PushBack(Value(strings[pick(8)], alloc), alloc);
      }
      std::string key = "k" + std::to_string(m);
      src.AddMember(Value(key.c_str(), alloc), v, alloc);
    }
    std::string text = stringify(src);
    Document d;
    bool expectAs = text.find("e+") == std::string::npos && text.find("e-") == std::string::npos &&
                    text.find("0.30000000000000004") == std::string::npos;
    EXPECT_EQ(asWritten(text, d), expectAs) << text;
    std::string spaced = text;
    spaced.insert(1 + static_cast<std::size_t>(pick(static_cast<int>(text.size()) - 1)), " ");
    if (!spaced.empty() && spaced[spaced.find(' ') - 1] != '\\') {
      bool as = true;
      if (!parseKeepingText(spaced, d, as)) {
        EXPECT_TRUE(!as || stringify(d) == spaced) << spaced;
      }
    }
  }
}

TEST(JsonAsWritten, StringsWithoutEscapesAreLeftInTheText) {
  std::string text = R"({"plain":"a string longer than a short one","esc":"a\nb"})";
  Document d;
  bool as = false;
  ASSERT_FALSE(parseKeepingText(text, d, as));
  const char* plain = d["plain"].GetString();
  EXPECT_TRUE(plain >= text.data() && plain < text.data() + text.size());
  const char* esc = d["esc"].GetString();
  EXPECT_FALSE(esc >= text.data() && esc < text.data() + text.size());
  EXPECT_EQ(std::string(esc, d["esc"].GetStringLength()), "a\nb");
}

// A member that is the document itself (a second handle, as the mapping shares the event) is
// written as the text: the same bytes as writing it value by value.
TEST(JsonAsWritten, AKnownValueIsWrittenAsItsText) {
  std::string text = R"({"type":"track","properties":{"n":1.5,"s":"\ud83d"}})";
  Document event;
  bool as = false;
  ASSERT_FALSE(parseKeepingText(text, event, as));
  ASSERT_TRUE(as);
  Document payload;
  payload.SetObject();
  Value handle;
  std::memcpy(static_cast<void*>(&handle), static_cast<const void*>(&event), sizeof(Value));
  payload.AddMember("id", "x", payload.GetAllocator());
  payload.AddMember("message", handle, payload.GetAllocator());
  payload.AddMember("other", Value(event, payload.GetAllocator()), payload.GetAllocator());
  std::string known;
  stringify(payload, known, KnownText{&event, text});
  EXPECT_EQ(known, stringify(payload));
  // The text itself was used: a different text for the same value shows it.
  std::string marked;
  stringify(payload, marked, KnownText{&event, "TEXT"});
  EXPECT_EQ(marked, R"({"id":"x","message":TEXT,"other":)" + text + "}");
}

}  // namespace
