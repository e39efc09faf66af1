// Hostile expressions and events: a clear error or an answer, never a crash, a hang or deep
// recursion.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>

#include "json/json.h"
#include "subscription/subscription.h"

namespace {

using actions::subscription::Subscription;
using actions::subscription::SubscriptionError;
namespace json = actions::json;

bool parses(const std::string& expression) {
  try {
    Subscription::parse(expression);
    return true;
  } catch (const SubscriptionError&) {
    return false;
  }
}

TEST(Hostile, TenThousandNestedParenthesesAreRefused) {
  EXPECT_FALSE(parses(std::string(10000, '(')));
  EXPECT_FALSE(parses(std::string(10000, '(') + R"(type = "track")" + std::string(10000, ')')));
  EXPECT_FALSE(parses(std::string(10000, ')')));  // only stray ")": no condition
  EXPECT_TRUE(parses(std::string(10000, ')') + R"(type = "track")"));
}

TEST(Hostile, ManyConditionsParseAndEvaluateInLinearTime) {
  std::string expression;
  for (int i = 0; i < 50000; ++i) expression += R"((type = "x" or event = "y") and )";
  expression += R"(type = "never")";
  auto start = std::chrono::steady_clock::now();
  Subscription s = Subscription::parse(expression);
  json::Document doc;
  ASSERT_FALSE(json::parse(R"({"type":"x"})", doc));
  EXPECT_FALSE(s.matches(doc));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Hostile, HugeLiteralsAreRefusedByLength) {
  EXPECT_FALSE(parses("type = \"" + std::string(5'000'000, 'a') + "\""));
  EXPECT_FALSE(parses(std::string(5'000'000, 'a')));
  EXPECT_FALSE(parses("properties.x = " + std::string(5'000'000, '7')));
  EXPECT_TRUE(parses("type = \"" + std::string(99'999, 'a') + "\""));
}

TEST(Hostile, EveryByteAloneAndInContext) {
  for (int b = 0; b < 256; ++b) {
    std::string c(1, static_cast<char>(b));
    parses(c);
    parses("type = " + c);
    parses("type" + c + "= \"x\"");
    parses("contains(event, \"" + c + "\")");
  }
  SUCCEED();
}

TEST(Hostile, RandomTokenSoupNeverCrashes) {
  static const char* kPieces[] = {"type",        "event",       "properties.x",
                                  "traits",      "context.a.b", "name",
                                  "userId",      "=",           "!=",
                                  "<",           "<=",          ">=",
                                  "(",           ")",           "!",
                                  "and",         "or",          "null",
                                  "true",        "\"a*\"",      "'b'",
                                  "5",           "-",           ".",
                                  ",",           "contains",    "match",
                                  "\\",          "\"",          " ",
                                  "[",           "]",           "\xF0\x9F\x98\x80",
                                  "constructor", "__proto__"};
  std::mt19937 rng(42);
  json::Document doc;
  ASSERT_FALSE(json::parse(
      R"({"type":"track","event":"a","properties":{"x":[1,{"y":null}]},"traits":"t","context":{"a":{"b":0}}})",
      doc));
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string expression;
    int n = 1 + static_cast<int>(rng() % 12);
    for (int k = 0; k < n; ++k) {
      expression += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
      if (rng() % 2) expression += ' ';
    }
    try {
      Subscription s = Subscription::parse(expression);
      ++parsed;
      std::string error;
      s.evaluate(doc, &error);
    } catch (const SubscriptionError&) {
    }
  }
  EXPECT_GT(parsed, 100);
}

TEST(Hostile, DeepEventsAndLongPaths) {
  // As deep as the JSON layer allows, read by a path as long.
  const int depth = static_cast<int>(json::kMaxDepth) - 2;
  std::string event = R"({"properties":)", path = "properties";
  for (int i = 0; i < depth; ++i) {
    event += R"({"a":)";
    path += ".a";
  }
  event += "1";
  for (int i = 0; i < depth; ++i) event += "}";
  event += "}";
  json::Document doc;
  ASSERT_FALSE(json::parse(event, doc));
  EXPECT_TRUE(Subscription::parse(path + " = 1").matches(doc));
  std::string longer = path;
  for (int i = 0; i < 10000; ++i) longer += ".a";
  EXPECT_FALSE(Subscription::parse(longer + " = 1").matches(doc));
}

}  // namespace
