// `actions-singlestore match` as users run it (docs/contracts.md): one line per event, exit 0 / 1
// / 2.
#include <gtest/gtest.h>

#include "support/test_env.h"

namespace {

using testenv::runCli;

TEST(MatchCli, OneLinePerEventInOrder) {
  auto r = runCli(R"(match --subscription 'type = "track" and properties.revenue > 5')",
                  R"({"type":"track","properties":{"revenue":10}})"
                  "\n"
                  R"({"type":"page"})"
                  "\n\n"
                  R"({"type":"track","properties":{"revenue":"10"}})"
                  "\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"i\":0,\"ok\":true,\"match\":true}\n{\"i\":1,\"ok\":true,\"match\":false}\n"
            "{\"i\":2,\"ok\":true,\"match\":false}\n");
  EXPECT_EQ(r.err, "");
}

TEST(MatchCli, ReadsAJsonArrayAndFiles) {
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("a.json"), R"([{"event":"Order Completed"},{"event":"Signed Up"}])");
  testenv::writeText(tmp.file("b.ndjson"), R"({"event":"Order Refunded"})"
                                           "\n");
  auto r = runCli(R"(match --subscription 'match(event, "Order*")' )" + tmp.file("a.json") + " " +
                  tmp.file("b.ndjson"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"i\":0,\"ok\":true,\"match\":true}\n{\"i\":1,\"ok\":true,\"match\":false}\n"
            "{\"i\":2,\"ok\":true,\"match\":true}\n");
}

TEST(MatchCli, AMalformedEventGetsItsOwnErrorLine) {
  auto r = runCli(R"(match --subscription 'type = "track"')",
                  "{\"type\":\"track\"}\n{\"type\":\n{\"type\":\"page\"}\n");
  EXPECT_EQ(r.exitCode, 1);
  auto lines = r.out;
  EXPECT_EQ(lines.substr(0, lines.find('\n')), "{\"i\":0,\"ok\":true,\"match\":true}");
  EXPECT_NE(lines.find("{\"i\":1,\"ok\":false,\"error\":\"invalid JSON at line 1"),
            std::string::npos)
      << lines;
  EXPECT_NE(lines.find("\n{\"i\":2,\"ok\":true,\"match\":false}\n"), std::string::npos) << lines;
}

TEST(MatchCli, AnEventUpstreamCannotEvaluateIsAnError) {
  auto r =
      runCli(R"(match --subscription 'type = "page" or ()')", "{\"type\":\"page\"}\nnull\n{}\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out.substr(0, r.out.find('\n')), "{\"i\":0,\"ok\":true,\"match\":true}");
  EXPECT_NE(r.out.find("{\"i\":1,\"ok\":false,\"error\":\"the event is null"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("{\"i\":2,\"ok\":false,\"error\":\"the parentheses at column 18 are empty"),
            std::string::npos)
      << r.out;
}

TEST(MatchCli, AnInvalidExpressionExits2WithTheReasonOnStderr) {
  auto r = runCli(R"(match --subscription 'type = "track" and event = "Order')", "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("invalid subscription: unterminated string at column 28"), std::string::npos)
      << r.err;
  r = runCli(R"(match --subscription '((type = "track"))')", "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("parentheses cannot be nested"), std::string::npos) << r.err;
  r = runCli("match --subscription ''", "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("empty"), std::string::npos) << r.err;
}

TEST(MatchCli, UsageErrorsAndHelp) {
  EXPECT_EQ(runCli("match", "{}\n").exitCode, 2);  // --subscription is required
  auto h = runCli("match --help");
  EXPECT_EQ(h.exitCode, 0);
  EXPECT_NE(h.out.find("--subscription"), std::string::npos);
  auto missing = runCli(R"(match --subscription 'type = "x"' /nonexistent/events.ndjson)");
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("/nonexistent/events.ndjson"), std::string::npos);
}

}  // namespace
