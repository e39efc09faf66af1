// The JavaScript rules the mapping kit is built on, tested directly.
#include <gtest/gtest.h>

#include "json/json.h"
#include "mapping/js/case.h"
#include "mapping/js/path.h"
#include "mapping/js/replace.h"
#include "mapping/js/value.h"
#include "mapping/mapping.h"

namespace js = actions::mapping::js;
using actions::json::Document;

namespace {
Document parsed(const char* text) {
  Document d;
  EXPECT_FALSE(actions::json::parse(text, d)) << text;
  return d;
}
}  // namespace

TEST(JsStrings, RegExpCaseFoldingNeverMapsNonAsciiToAscii) {
  EXPECT_EQ(js::canonicalizeIgnoringCase('a'), U'A');
  EXPECT_EQ(js::canonicalizeIgnoringCase(U'é'), U'É');
  EXPECT_EQ(js::canonicalizeIgnoringCase(U'ſ'), U'ſ');  // long s upper-cases to ASCII S
  EXPECT_EQ(js::canonicalizeIgnoringCase(U'ß'), U'ß');  // "SS" is two units
}

TEST(JsStrings, ReplaceIsLiteralWithDollarPatterns) {
  EXPECT_EQ(js::replaceLiteral("a.b.c", ".", "-", true, false), "a-b-c");
  EXPECT_EQ(js::replaceLiteral("a.b.c", ".", "-", false, false), "a-b.c");
  EXPECT_EQ(js::replaceLiteral("xAx", "a", "<$`|$&|$'>", true, true), "x<x|A|x>x");
  EXPECT_EQ(js::replaceLiteral("aaa", "aa", "b", true, false), "ba");
}

TEST(JsValues, TruthinessAndLooseEmptyString) {
  auto d = parsed(R"([0, "", false, null, [], {}, "0", [[]], [0], 1])");
  bool truthy[] = {false, false, false, false, true, true, true, true, true, true};
  bool blank[] = {true, true, true, false, true, false, false, true, false, false};
  for (rapidjson::SizeType i = 0; i < d.Size(); ++i) {
    EXPECT_EQ(js::truthy(d[i]), truthy[i]) << i;
    EXPECT_EQ(js::looselyEqualsEmptyString(d[i]), blank[i]) << i;
  }
  EXPECT_FALSE(js::truthy(js::undefinedRef()));
  EXPECT_STREQ(js::realTypeOf(js::undefinedRef()), "undefined");
}

TEST(JsValues, ArrayIndexKeys) {
  EXPECT_TRUE(js::isArrayIndex("0"));
  EXPECT_TRUE(js::isArrayIndex("4294967294"));
  EXPECT_FALSE(js::isArrayIndex("4294967295"));
  EXPECT_FALSE(js::isArrayIndex("01"));
  EXPECT_FALSE(js::isArrayIndex("-1"));
  EXPECT_FALSE(js::isArrayIndex(""));
}

TEST(JsValues, CopiesTakeJavaScriptKeyOrder) {
  auto d = parsed(R"({"b":1,"10":2,"a":{"z":1,"2":2},"9":3,"01":4})");
  Document out;
  actions::json::Value copy = js::copy(d, out.GetAllocator());
  EXPECT_EQ(actions::json::stringify(copy), R"({"9":3,"10":2,"b":1,"a":{"2":2,"z":1},"01":4})");
}

TEST(JsPaths, SplitLikeUpstream) {
  using P = js::Path;
  EXPECT_EQ(P::parseDirective("$.a.b[0]['c d'][\"e\"]").keys(),
            (std::vector<std::string>{"a", "b", "0", "c d", "e"}));
  EXPECT_EQ(P::parseDirective("a[b]").keys(), (std::vector<std::string>{"a[b]"}));
  EXPECT_EQ(P::parseDirective("x.$.y").keys(), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(P::parseDirective("$..").keys(), (std::vector<std::string>{}));
  EXPECT_EQ(P::parse("a[\"\"]").keys(), (std::vector<std::string>{"a", ""}));
}

// A top-level member the caller declares read-only takes the event's own object (as upstream's
// mapping hands on the object itself), unless its keys are not in JavaScript's order yet.
TEST(SharedMembers, ReadOnlyMembersShareTheEventAndOthersAreCopied) {
  namespace mapping = actions::mapping;
  Document m = parsed(R"({"message":{"@path":"$."},"props":{"@path":"$.properties"},"n":1})");
  auto compiled = mapping::CompiledMapping::compile(m);
  compiled.shareReadOnlyMembers(
      [](std::string_view key) { return key == "message" || key == "props"; });
  Document event = parsed(R"({"a":"x","properties":{"k":[1,{"z":2}]}})");
  Document out;
  ASSERT_TRUE(compiled.apply(event, out, out.GetAllocator()));
  EXPECT_EQ(&*out["message"].MemberBegin(), &*event.MemberBegin());  // the same members, not a copy
  EXPECT_EQ(&*out["props"].MemberBegin(), &*event["properties"].MemberBegin());
  EXPECT_EQ(
      actions::json::stringify(out),
      R"({"message":{"a":"x","properties":{"k":[1,{"z":2}]}},"props":{"k":[1,{"z":2}]},"n":1})");

  // An object with an array-index key is copied into JavaScript's order.
  Document indexed = parsed(R"({"b":1,"7":2,"properties":{}})");
  Document out2;
  ASSERT_TRUE(compiled.apply(indexed, out2, out2.GetAllocator()));
  EXPECT_NE(&*out2["message"].MemberBegin(), &*indexed.MemberBegin());
  EXPECT_EQ(actions::json::stringify(out2["message"]), R"({"7":2,"b":1,"properties":{}})");

  // Without the declaration every member is a copy.
  auto copying = mapping::CompiledMapping::compile(m);
  Document out3;
  ASSERT_TRUE(copying.apply(event, out3, out3.GetAllocator()));
  EXPECT_NE(&*out3["message"].MemberBegin(), &*event.MemberBegin());
  EXPECT_EQ(actions::json::stringify(out3), actions::json::stringify(out));
}
