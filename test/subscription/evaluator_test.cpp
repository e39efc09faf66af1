// Each operator, coercion and JavaScript read, evaluated as upstream's validate() does.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "json/json.h"
#include "subscription/subscription.h"

namespace {

using actions::subscription::Subscription;
using actions::subscription::SubscriptionError;
namespace json = actions::json;

const char* kEvent = R"({
  "type": "track", "event": "Order Completed", "userId": "u1", "name": "Home",
  "properties": {"plan": "pro", "revenue": 10, "price": "10", "active": true, "off": false,
                 "count": 0, "empty": "", "none": null, "items": [1, "two", {"x": 3}],
                 "emoji": "\ud83d\ude00abc", "nested": {"deep": {"x": "y"}}, "big": 1e21},
  "traits": {"email": "a@example.com", "age": "42"},
  "context": {"page": {"url": "https://example.com/x"}}
})";

// Evaluates `expression` on `event` (kEvent by default); "error" when upstream would throw.
std::string eval(std::string_view expression, const char* event = kEvent) {
  json::Document doc;
  if (auto err = json::parse(event, doc)) return "bad test event: " + err->describe();
  Subscription s = Subscription::parse(expression);
  std::string error;
  auto matched = s.evaluate(doc, &error);
  return matched ? (*matched ? "true" : "false") : "error";
}

TEST(Evaluator, EqualsComparesStringsStrictly) {
  EXPECT_EQ(eval(R"(type = "track")"), "true");
  EXPECT_EQ(eval(R"(type = 'track')"), "false");  // single quotes stay part of the value
  EXPECT_EQ(eval(R"(type = "Track")"), "false");
  EXPECT_EQ(eval(R"(properties.price = "10")"), "true");
  EXPECT_EQ(eval(R"(properties.revenue = "10")"), "false");  // a number never equals a string
  EXPECT_EQ(eval("properties.plan = pro"), "true");          // a bare word is its own text
  EXPECT_EQ(eval(R"(properties.missing = "")"), "false");
}

TEST(Evaluator, NotEqualsIsTrueForAnythingButThatString) {
  EXPECT_EQ(eval(R"(type != "track")"), "false");
  EXPECT_EQ(eval(R"(type != "page")"), "true");
  EXPECT_EQ(eval(R"(properties.missing != "x")"), "true");
  EXPECT_EQ(eval(R"(properties.revenue != "10")"), "true");
  EXPECT_EQ(eval("properties.active != true"), "true");  // compares with the text "true"
}

TEST(Evaluator, NumberEqualityNeedsANumber) {
  EXPECT_EQ(eval("properties.revenue = 10"), "true");
  EXPECT_EQ(eval("properties.revenue = 10.0"), "true");
  EXPECT_EQ(eval("properties.price = 10"), "false");
  EXPECT_EQ(eval("properties.revenue != 3"), "true");
  EXPECT_EQ(eval("properties.price != 3"), "false");  // not a number: never "not equal" either
  EXPECT_EQ(eval("properties.missing != 3"), "false");
  EXPECT_EQ(eval("properties.revenue = -"), "false");  // "-" is NaN
  EXPECT_EQ(eval("properties.revenue != -"), "true");
  EXPECT_EQ(eval("properties.big = 1000000000000000000000"), "true");
  // type, event, name and userId compare numbers as text.
  EXPECT_EQ(eval("userId = 1", R"({"userId": 1})"), "false");
  EXPECT_EQ(eval("userId = 1", R"({"userId": "1"})"), "true");
}

TEST(Evaluator, OrderingCoercesTheExpectedValueOnly) {
  EXPECT_EQ(eval("properties.revenue > 5"), "true");
  EXPECT_EQ(eval("properties.revenue >= 10"), "true");
  EXPECT_EQ(eval("properties.revenue < 10"), "false");
  EXPECT_EQ(eval("properties.revenue <= 10"), "true");
  EXPECT_EQ(eval(R"(properties.revenue < "11")"), "true");
  EXPECT_EQ(eval(R"(properties.revenue > "0x9")"), "true");
  EXPECT_EQ(eval(R"(properties.revenue > " 9 ")"), "true");
  EXPECT_EQ(eval(R"(properties.revenue > "")"), "true");  // Number("") is 0
  EXPECT_EQ(eval(R"(properties.revenue > "abc")"), "false");
  EXPECT_EQ(eval("properties.revenue > true"), "true");  // Number(true) is 1
  EXPECT_EQ(eval("properties.price > 5"), "false");      // the actual value is never coerced
  EXPECT_EQ(eval("userId > 0", R"({"userId": 3})"), "true");
  EXPECT_EQ(eval("properties.revenue <=5"), "false");  // "<" with the value "=": NaN
}

TEST(Evaluator, ContainsStartsAndEndsOnlyMatchStrings) {
  EXPECT_EQ(eval(R"(contains(event, "Order"))"), "true");
  EXPECT_EQ(eval(R"(contains(event, "order"))"), "false");
  EXPECT_EQ(eval(R"(!contains(event, "order"))"), "true");
  EXPECT_EQ(eval(R"(contains(properties.revenue, "1"))"), "false");
  EXPECT_EQ(eval(R"(!contains(properties.revenue, "1"))"), "false");
  EXPECT_EQ(eval(R"(contains(properties.missing, ""))"), "false");
  EXPECT_EQ(eval(R"(contains(event, ""))"), "true");
  EXPECT_EQ(eval(R"(match(event, "Order*"))"), "true");
  EXPECT_EQ(eval(R"(match(event, "*Completed"))"), "true");
  EXPECT_EQ(eval(R"(!match(event, "*Completed"))"), "false");
  EXPECT_EQ(eval(R"(match(traits.email, "*example.com"))"), "true");
  EXPECT_EQ(eval(R"(match(context.page.url, "https*"))"), "true");
  EXPECT_EQ(eval(R"(match(event, "*"))"), "true");
  EXPECT_EQ(eval(R"(match(event, "xz"))"), "false");
  EXPECT_EQ(eval(R"(match(event, "Xd"))"), "true");
  EXPECT_EQ(eval(R"(match(event, "Xed"))"), "true");  // the first character is dropped
  EXPECT_EQ(eval(R"(properties.plan starts_with "p")"), "true");
  EXPECT_EQ(eval(R"(properties.plan ends_with "o")"), "true");
  EXPECT_EQ(eval(R"(properties.plan not_contains "r")"), "false");
}

TEST(Evaluator, HalfASurrogatePairMatchesLikeJavaScript) {
  // match(x, "😀abc") drops the emoji's first half; its second half must precede "abc".
  EXPECT_EQ(eval("match(properties.emoji, \"\xF0\x9F\x98\x80"
                 "abc\")"),
            "true");
  EXPECT_EQ(eval("match(properties.emoji, \"\xF0\x9F\x98\x81"
                 "abc\")"),
            "false");
  EXPECT_EQ(eval("match(properties.emoji, \"xabc\")"), "true");
  EXPECT_EQ(eval("properties.emoji.length = 5"), "true");
  EXPECT_EQ(eval(R"(properties.emoji.\2 = "a")"), "true");
  EXPECT_EQ(eval(R"(properties.emoji.\0 = null)"), "false");
}

TEST(Evaluator, ExistenceAndBooleans) {
  EXPECT_EQ(eval("properties.plan != null"), "true");
  EXPECT_EQ(eval("properties.none != null"), "false");
  EXPECT_EQ(eval("properties.none = null"), "true");
  EXPECT_EQ(eval("properties.missing = null"), "true");
  EXPECT_EQ(eval("userId != null"), "true");
  EXPECT_EQ(eval("name = null", R"({"type": "track"})"), "true");
  EXPECT_EQ(eval("properties.active = true"), "true");
  EXPECT_EQ(eval("properties.off = false"), "true");
  EXPECT_EQ(eval("properties.active = false"), "false");
  EXPECT_EQ(eval(R"(properties.active = "true")"), "false");
  EXPECT_EQ(eval("userId = true", R"({"userId": true})"), "true");
  EXPECT_EQ(eval("properties.active is_true 1"), "true");
  EXPECT_EQ(eval("event = null", R"({"event": "null"})"), "true");  // event compares text
}

TEST(Evaluator, PathsReadLikeJavaScript) {
  EXPECT_EQ(eval(R"(properties.nested.deep.x = "y")"), "true");
  EXPECT_EQ(eval(R"(context.page.url contains "example")"), "true");
  EXPECT_EQ(eval("properties.items.length = 3"), "true");
  EXPECT_EQ(eval(R"(properties.items.\1 = "two")"), "true");
  EXPECT_EQ(eval(R"(properties.items\[2\].x = 3)"), "true");
  EXPECT_EQ(eval(R"(properties.items.\01 = null)"), "true");  // not a canonical index
  EXPECT_EQ(eval("properties.plan.length = 3"), "true");
  // A falsy value part-way is the result itself: 0.x reads as 0, "".x as "".
  EXPECT_EQ(eval("properties.count.x = 0"), "true");
  EXPECT_EQ(eval(R"(properties.empty.x = "")"), "true");
  EXPECT_EQ(eval("properties.off.x = false"), "true");
  EXPECT_EQ(eval("properties.count.x.y = 0", R"({"properties": 0})"), "true");
  // Inherited members exist too.
  EXPECT_EQ(eval("properties.constructor != null"), "true");
  EXPECT_EQ(eval(R"(properties.constructor.name = "Object")"), "true");
  EXPECT_EQ(eval(R"(properties.plan.trimLeft.name = "trimStart")"), "true");
  EXPECT_EQ(eval("properties.items.map.length = 1"), "true");
  EXPECT_EQ(eval("properties.__proto__.__proto__ = null"), "true");
  EXPECT_EQ(eval("properties.revenue.constructor.MAX_SAFE_INTEGER = 9007199254740991"), "true");
  EXPECT_EQ(eval("properties.toString.caller = null"), "error");
}

TEST(Evaluator, GroupsShortCircuitLikeEveryAndSome) {
  EXPECT_EQ(eval(R"(type = "track" and event = "Order Completed")"), "true");
  EXPECT_EQ(eval(R"(type = "page" or event = "Order Completed")"), "true");
  EXPECT_EQ(eval(R"(type = "page" or event = "x")"), "false");
  EXPECT_EQ(eval(R"((type = "page" or type = "track") and userId = "u1")"), "true");
  // An empty "()" only throws when evaluation reaches it.
  EXPECT_EQ(eval(R"(type = "track" or ())"), "true");
  EXPECT_EQ(eval(R"(type = "page" or ())"), "error");
  EXPECT_EQ(eval(R"(type = "page" and ())"), "false");
}

TEST(Evaluator, EventsThatAreNotObjects) {
  EXPECT_EQ(eval(R"(type = "track")", "null"), "error");
  EXPECT_EQ(eval(R"(type != "track")", "5"), "true");
  EXPECT_EQ(eval(R"(type != "track")", "[]"), "true");
  EXPECT_EQ(eval("properties.length = 5", R"({"properties": "hello"})"), "true");
  EXPECT_EQ(eval(R"(properties.\. = 1)"), "error");  // a path of separators only
}

TEST(Evaluator, MatchesThrowsWhereEvaluateReports) {
  json::Document doc;
  ASSERT_FALSE(json::parse("null", doc));
  Subscription s = Subscription::parse(R"(type = "track")");
  EXPECT_THROW(s.matches(doc), SubscriptionError);
  std::string error;
  EXPECT_FALSE(s.evaluate(doc, &error).has_value());
  EXPECT_NE(error.find("null"), std::string::npos) << error;
}

TEST(Evaluator, ACompiledSubscriptionIsReusableAndMovable) {
  Subscription s = Subscription::parse(R"(properties.revenue > 5)");
  Subscription moved = std::move(s);
  json::Document a, b;
  ASSERT_FALSE(json::parse(R"({"properties":{"revenue":6}})", a));
  ASSERT_FALSE(json::parse(R"({"properties":{"revenue":4}})", b));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(moved.matches(a));
    EXPECT_FALSE(moved.matches(b));
  }
}

}  // namespace
