// Upstream's recorded answers (test/conformance/subscriptions/*.jsonl, made by
// @segment/destination-subscriptions 3.37.0): every case must agree, parse errors included.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "json/json.h"
#include "subscription/subscription.h"

namespace {

using actions::subscription::Subscription;
using actions::subscription::SubscriptionError;
namespace json = actions::json;

struct Agreement {
  std::size_t cases = 0;
  std::size_t agreed = 0;
  std::vector<std::string> mismatches;
};

// Upstream's answer is an error when parseFql() refused the expression or validate() threw.
Agreement run(const std::string& file) {
  Agreement result;
  std::ifstream in(file);
  std::string line, lastExpression;
  std::optional<Subscription> subscription;
  std::string parseError;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    json::Document c;
    if (auto err = json::parse(line, c)) {
      ADD_FAILURE() << file << ": " << err->describe();
      continue;
    }
    ++result.cases;
    std::string expression = c["subscription"].GetString();
    if (expression != lastExpression || result.cases == 1) {
      lastExpression = expression;
      subscription.reset();
      parseError.clear();
      try {
        subscription.emplace(Subscription::parse(expression));
      } catch (const SubscriptionError& e) {
        parseError = e.what();
      }
    }
    bool expectError = c.HasMember("error") && c["error"].IsTrue();
    std::string got;
    if (!subscription) {
      got = "parse error: " + parseError;
    } else {
      std::string evalError;
      auto matched = subscription->evaluate(c["event"], &evalError);
      got = matched ? (*matched ? "true" : "false") : "evaluation error: " + evalError;
    }
    bool gotError = got.find("error") != std::string::npos;
    bool ok = expectError ? gotError : !gotError && got == (c["match"].IsTrue() ? "true" : "false");
    if (ok) {
      ++result.agreed;
    } else if (result.mismatches.size() < 20) {
      result.mismatches.push_back(
          "id " + std::to_string(c["id"].GetInt()) + " " + expression + " | event " +
          json::stringify(c["event"]).substr(0, 200) + " | expected " +
          (expectError ? "error" : json::stringify(c["match"])) + " got " + got);
    }
  }
  return result;
}

class Conformance : public testing::TestWithParam<const char*> {};

TEST_P(Conformance, AgreesWithUpstreamOnEveryCase) {
  std::string file =
      std::string(ACTIONS_TEST_DATA_DIR) + "/conformance/subscriptions/" + GetParam();
  ASSERT_TRUE(std::filesystem::exists(file)) << file;
  Agreement a = run(file);
  ASSERT_GT(a.cases, 0u);
  std::printf("%s: %zu/%zu agree\n", GetParam(), a.agreed, a.cases);
  for (const auto& m : a.mismatches) ADD_FAILURE() << m;
  EXPECT_EQ(a.agreed, a.cases);
}

INSTANTIATE_TEST_SUITE_P(Recorded, Conformance,
                         testing::Values("random.jsonl", "random_extra.jsonl", "edge.jsonl",
                                         "lone_surrogates.jsonl"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

}  // namespace
