// include/actions/json_text.h's outline: where a request's parts are, read by the library's own
// reader, so a host (serve) hands events on as the client's bytes and reads them by JSON.parse's
// rules, lone surrogates included.
#include <actions/json_text.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace {

using actions::JsonKind;

std::string_view slice(std::string_view text, const actions::JsonPart& p) {
  return text.substr(p.begin, p.end - p.begin);
}

// U+D83D, a lone high surrogate, as the reader keeps it.
const std::string kHigh = "\xED\xA0\xBD";

TEST(JsonOutline, MembersElementsKeysAndStringsWithTheirPlaces) {
  const std::string text =
      " {\"payload\" : [ {\"a\":1,\"writeKey\":\"k\"} , 5,\"s\\ud83d\",[], {\"t\":\"cut "
      "\\ud83d\"}],"
      "\"writeKey\":\"w\\u00e9\", \"mapping\":{\"x\":{\"@path\":\"$.y\"},\"k\\ud83d\":null},"
      "\"n\":null,\"b\":true,\"d\":-1.5e3}\n";
  actions::JsonObjectOutline o;
  ASSERT_EQ(actions::outlineJsonObject(text, o), std::nullopt);
  EXPECT_EQ(o.kind, JsonKind::Object);
  ASSERT_EQ(o.members.size(), 6u);

  const auto& payload = o.members[0];
  EXPECT_EQ(payload.key, "payload");
  EXPECT_EQ(payload.kind, JsonKind::Array);
  EXPECT_EQ(slice(text, payload).front(), '[');
  EXPECT_EQ(slice(text, payload).back(), ']');
  ASSERT_EQ(payload.elements.size(), 5u);
  EXPECT_EQ(slice(text, payload.elements[0]), R"({"a":1,"writeKey":"k"})");
  EXPECT_EQ(payload.elements[0].kind, JsonKind::Object);
  EXPECT_EQ(payload.elements[0].keys, (std::vector<std::string>{"a", "writeKey"}));
  EXPECT_EQ(slice(text, payload.elements[1]), "5");
  EXPECT_EQ(payload.elements[1].kind, JsonKind::Number);
  EXPECT_EQ(slice(text, payload.elements[2]), R"("s\ud83d")");
  EXPECT_EQ(payload.elements[2].string, "s" + kHigh);
  EXPECT_EQ(slice(text, payload.elements[3]), "[]");
  EXPECT_EQ(payload.elements[3].kind, JsonKind::Array);
  EXPECT_EQ(slice(text, payload.elements[4]), R"({"t":"cut \ud83d"})");
  EXPECT_EQ(payload.elements[4].keys, std::vector<std::string>{"t"});

  EXPECT_EQ(o.members[1].key, "writeKey");
  EXPECT_EQ(o.members[1].kind, JsonKind::String);
  EXPECT_EQ(o.members[1].string, "w\xC3\xA9");
  EXPECT_EQ(o.members[2].key, "mapping");
  EXPECT_EQ(slice(text, o.members[2]), R"({"x":{"@path":"$.y"},"k\ud83d":null})");
  EXPECT_EQ(o.members[2].keys, (std::vector<std::string>{"x", "k" + kHigh}));
  EXPECT_EQ(o.members[3].kind, JsonKind::Null);
  EXPECT_EQ(o.members[4].kind, JsonKind::Bool);
  EXPECT_EQ(o.members[5].kind, JsonKind::Number);
  EXPECT_EQ(slice(text, o.members[5]), "-1.5e3");
}

TEST(JsonOutline, ARepeatedKeyIsListedEachTime) {
  actions::JsonObjectOutline o;
  ASSERT_EQ(actions::outlineJsonObject(
                R"({"payload":[{"writeKey":"a","writeKey":"b"}],"payload":{}})", o),
            std::nullopt);
  ASSERT_EQ(o.members.size(), 2u);
  EXPECT_EQ(o.members[0].elements.at(0).keys, (std::vector<std::string>{"writeKey", "writeKey"}));
  EXPECT_EQ(o.members[1].kind, JsonKind::Object);
}

TEST(JsonOutline, OtherValuesAreNamedNotOutlined) {
  actions::JsonObjectOutline o;
  ASSERT_EQ(actions::outlineJsonObject(R"([{"a":1}])", o), std::nullopt);
  EXPECT_EQ(o.kind, JsonKind::Array);
  EXPECT_TRUE(o.members.empty());
  ASSERT_EQ(actions::outlineJsonObject(R"("\udc00")", o), std::nullopt);
  EXPECT_EQ(o.kind, JsonKind::String);
}

TEST(JsonOutline, TextThatIsNotJsonIsRefusedWithWhereAndWhy) {
  actions::JsonObjectOutline o;
  auto error = actions::outlineJsonObject("{\"a\":1,\n \"b\" 2}", o);
  ASSERT_TRUE(error);
  EXPECT_EQ(*error,
            "invalid JSON at line 2, column 6: Missing a colon after a name of object member");
  EXPECT_TRUE(o.members.empty());
  // A lone surrogate is JSON; a bad escape, raw surrogate bytes and trailing text are not.
  for (std::string bad : {std::string(R"({"a":"\ud83"})"), "{\"a\":\"" + kHigh + "\"}",
                          std::string("{} {}"), std::string("{\"a\":1}\0", 8), std::string()}) {
    EXPECT_TRUE(actions::outlineJsonObject(bad, o)) << bad;
  }
  std::string deep(600, '[');
  deep = "{\"a\":" + deep + std::string(600, ']') + "}";
  auto tooDeep = actions::outlineJsonObject(deep, o);
  ASSERT_TRUE(tooDeep);
  EXPECT_NE(tooDeep->find("nesting deeper than"), std::string::npos) << *tooDeep;
}

TEST(JsonOutline, WithoutAMemberEveryCopyGoesAndEscapesStay) {
  EXPECT_EQ(actions::withoutJsonMember(
                R"({"writeKey":"a","t":"cut \ud83d","e":"\ud83d\ude00","writeKey":"b","n":1.0})",
                "writeKey"),
            "{\"t\":\"cut \\ud83d\",\"e\":\"\xF0\x9F\x98\x80\",\"n\":1}");
  EXPECT_EQ(actions::withoutJsonMember(R"({"a":1})", "writeKey"), R"({"a":1})");
  EXPECT_EQ(actions::withoutJsonMember("[1]", "writeKey"), std::nullopt);
  EXPECT_EQ(actions::withoutJsonMember("{", "writeKey"), std::nullopt);
}

}  // namespace
