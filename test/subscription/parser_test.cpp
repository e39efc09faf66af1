// The parser builds upstream's tree, quirks included, and refuses what upstream refuses.
#include <gtest/gtest.h>

#include <string>

#include "subscription/lexer.h"
#include "subscription/parser.h"
#include "subscription/subscription.h"

namespace {

using namespace actions::subscription;

Node parse(std::string_view expression) {
  return parseTokens(lex(expression));
}

std::string parseError(std::string_view expression) {
  try {
    parse(expression);
  } catch (const SubscriptionError& e) {
    return e.what();
  }
  return "no error";
}

// The only condition of a one-condition expression.
Condition only(std::string_view expression) {
  Node root = parse(expression);
  EXPECT_EQ(root.kind, Node::Kind::Group);
  EXPECT_EQ(root.children.size(), 1u) << expression;
  EXPECT_EQ(root.children.at(0).kind, Node::Kind::Condition);
  return root.children.at(0).condition;
}

TEST(Parser, OneConditionIsWrappedInAnAndGroup) {
  Node root = parse(R"(type = "track")");
  ASSERT_EQ(root.kind, Node::Kind::Group);
  EXPECT_FALSE(root.isOr);
  ASSERT_EQ(root.children.size(), 1u);
  const Condition& c = root.children[0].condition;
  EXPECT_EQ(c.field, Field::Type);
  EXPECT_EQ(c.op, Op::Equals);
  EXPECT_EQ(c.expected.text, "track");
}

TEST(Parser, TheLastConditionalOfALevelJoinsAllOfIt) {
  Node root = parse(R"(type = "a" and event = "b" or userId = "c")");
  EXPECT_TRUE(root.isOr);
  EXPECT_EQ(root.children.size(), 3u);
  root = parse(R"(type = "a" or event = "b" and userId = "c")");
  EXPECT_FALSE(root.isOr);
}

TEST(Parser, ParenthesesMakeOneLevelOfGroups) {
  Node root = parse(R"((type = "a" or type = "b") and event = "c")");
  EXPECT_FALSE(root.isOr);
  ASSERT_EQ(root.children.size(), 2u);
  EXPECT_EQ(root.children[0].kind, Node::Kind::Group);
  EXPECT_TRUE(root.children[0].isOr);
  EXPECT_EQ(root.children[1].condition.field, Field::Event);
  // A function's ")" closes the group early; the rest joins the outer level.
  root = parse(R"((contains(event, "x") or type = "y"))");
  EXPECT_TRUE(root.isOr);
  EXPECT_EQ(root.children.size(), 2u);
}

TEST(Parser, FieldSpecificOperators) {
  EXPECT_EQ(only("properties.revenue = 10").op, Op::NumberEquals);
  EXPECT_EQ(only("properties.revenue != 10").op, Op::NumberNotEquals);
  EXPECT_EQ(only(R"(properties.revenue = "10")").op, Op::Equals);
  EXPECT_EQ(only("properties.x != null").op, Op::Exists);
  EXPECT_EQ(only("traits.x = null").op, Op::NotExists);
  EXPECT_EQ(only("context.x = true").op, Op::IsTrue);
  EXPECT_EQ(only("properties.x = false").op, Op::IsFalse);
  EXPECT_EQ(only("userId = true").op, Op::IsTrue);
  EXPECT_EQ(only("userId != null").op, Op::Exists);
  EXPECT_EQ(only("name = null").op, Op::NotExists);
  // type, event and name compare with the text of whatever follows.
  Condition c = only("name = true");
  EXPECT_EQ(c.op, Op::Equals);
  EXPECT_EQ(c.expected.text, "true");
  c = only("event = null");
  EXPECT_EQ(c.op, Op::Equals);
  EXPECT_EQ(c.expected.text, "null");
  c = only("type =");
  EXPECT_EQ(c.expected.text, "eos");
  c = only("event = 5.50");
  EXPECT_EQ(c.expected.text, "5.5");
  EXPECT_EQ(only("properties.x < 5").op, Op::Less);
  EXPECT_EQ(only("properties.x <= 5").op, Op::LessOrEqual);
  EXPECT_EQ(only("properties.x > 5").op, Op::Greater);
  EXPECT_EQ(only("properties.x >= 5").op, Op::GreaterOrEqual);
}

TEST(Parser, IdentifiersInOperatorPositionNameUpstreamOperators) {
  EXPECT_EQ(only(R"(properties.plan contains "pro")").op, Op::Contains);
  EXPECT_EQ(only(R"(event starts_with "O")").op, Op::StartsWith);
  EXPECT_EQ(only("properties.x exists 1").op, Op::Exists);
  EXPECT_EQ(only("event number_equals 5").op, Op::NumberEquals);
  EXPECT_EQ(only(R"(type == "x")").op, Op::Equals);  // "=" then "=" as the value
  EXPECT_EQ(only(R"(type == "x")").expected.text, "=");
  EXPECT_EQ(only(R"(type like "x")").op, Op::Unknown);
}

TEST(Parser, Functions) {
  Condition c = only(R"(contains(properties.plan, "pro"))");
  EXPECT_EQ(c.field, Field::Properties);
  EXPECT_EQ(c.op, Op::Contains);
  EXPECT_EQ(c.path.segments, std::vector<std::string>{"plan"});
  c = only(R"(match(event, "Order*"))");
  EXPECT_EQ(c.op, Op::StartsWith);
  EXPECT_EQ(c.expected.text, "Order");
  c = only(R"(match(event, "*Completed"))");
  EXPECT_EQ(c.op, Op::EndsWith);
  EXPECT_EQ(c.expected.text, "Completed");
  c = only(R"(match(event, "a*b"))");  // no glob in the middle: the first character is dropped
  EXPECT_EQ(c.op, Op::EndsWith);
  EXPECT_EQ(c.expected.text, "*b");
  c = only("match(event, \"\xF0\x9F\x98\x80x\")");  // half of the emoji stays: "\ude00x"
  EXPECT_EQ(c.expected.text, "\xED\xB8\x80x");
  EXPECT_EQ(only(R"(!match(event, "a*"))").op, Op::NotStartsWith);
  EXPECT_EQ(only(R"(!contains(event, "a"))").op, Op::NotContains);
  // A call on a field upstream does not know is dropped.
  Node root = parse(R"(contains(type, "t") and event = "x")");
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].condition.field, Field::Event);
}

TEST(Parser, NegationOnlyAppliesToFunctions) {
  EXPECT_EQ(only(R"(!type = "track")").op, Op::Equals);
}

TEST(Parser, UnknownIdentifiersAreSkipped) {
  Node root = parse(R"(foo = "bar" and type = "track")");
  ASSERT_EQ(root.children.size(), 1u);
  // Object.prototype's names consume an operator and a value, and record nothing.
  root = parse(R"(constructor = type and type = "track")");
  ASSERT_EQ(root.children.size(), 1u);
  EXPECT_EQ(root.children[0].condition.expected.text, "track");
}

TEST(Parser, PathsSplitLikeUpstreamGet) {
  EXPECT_EQ(only("context.page.url = 1").path.segments, (std::vector<std::string>{"page", "url"}));
  EXPECT_EQ(only(R"(properties.items\[0\].x = 1)").path.segments,
            (std::vector<std::string>{"items", "0", "x"}));
  EXPECT_EQ(only(R"(properties.first\ name = 1)").path.segments,
            std::vector<std::string>{"first name"});
  EXPECT_EQ(only("properties = 1").path.segments, std::vector<std::string>{"properties"});
  EXPECT_EQ(only(R"(properties.\. = 1)").path.kind, Path::Kind::Invalid);
}

TEST(Parser, RefusesWhatUpstreamRefuses) {
  EXPECT_EQ(parseError(""), "the subscription is empty");
  EXPECT_EQ(parseError("  \n"), "the subscription is empty");
  EXPECT_EQ(parseError("()"), "the parentheses at column 1 are empty");
  EXPECT_EQ(parseError("type"), "\"type\" at column 1 has no value to compare with");
  EXPECT_EQ(parseError("contains"), "contains() at column 1 is missing its 1st argument");
  EXPECT_EQ(parseError("contains(event"), "contains() at column 1 is missing its 2nd argument");
  EXPECT_EQ(parseError("x and y"),
            "no condition found: a subscription needs a condition on type, event, name, userId, "
            "properties.*, traits.* or context.*, or a contains() / match() call on one of them");
  EXPECT_EQ(parseError(R"((type = "x")"), "\"(\" at column 1 has no matching \")\"");
  EXPECT_EQ(parseError(R"(((type = "x")))"),
            "\"(\" at column 2 has no matching \")\" (parentheses cannot be nested)");
  EXPECT_EQ(parseError(R"(foo = "bar")").substr(0, 18), "no condition found");
  EXPECT_EQ(parseError(R"(type = "x)"), "unterminated string at column 8");
}

TEST(Parser, AcceptsWhatUpstreamAccepts) {
  for (const char* e :
       {R"(type = "track")", R"(type = "x")", R"(() or type = "x")", "type =", R"(type = "x" and)",
        R"(and type = "x")", R"(type = "x"))", R"()type = "x")",
        R"(contains(event, "x") type = "y")", "match(event,", "x and match(event,"})
    EXPECT_NO_THROW(parse(e)) << e;
}

}  // namespace
