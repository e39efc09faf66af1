// The reader's faults as a user meets them: `send --dry-run` over malformed, cut-short,
// compressed and pretty-printed input ends promptly, gives each bad part its own error line and
// exits non-zero when something was wrong. A hang fails through `timeout`, not the suite's clock.
#include <gtest/gtest.h>

#include <string>

#include "io/read_events.h"

using namespace readtest;

namespace {

const char* kGood =
    R"({"type":"track","event":"E","messageId":"m1","timestamp":"2026-01-01T00:00:00Z"})";

testenv::RunResult dryRun(const std::string& path) {
  testenv::TempDir tmp;
  std::string out = tmp.file("stdout"), err = tmp.file("stderr");
  std::string cmd = "timeout 60 " + std::string(ACTIONS_CLI_PATH) + " send --dry-run '" + path +
                    "' </dev/null >" + out + " 2>" + err;
  int status = std::system(cmd.c_str());
  testenv::RunResult r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = testenv::readText(out);
  r.err = testenv::readText(err);
  return r;
}

testenv::RunResult dryRunText(const std::string& text) {
  testenv::TempDir dir;
  testenv::writeText(dir.file("in.json"), text);
  return dryRun(dir.file("in.json"));
}

TEST(CliInput, AStrayBraceInAnArrayEndsWithOneErrorPerElement) {
  auto r = dryRunText(std::string("[") + kGood + "}, " + kGood + "]");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  auto lines = testenv::nonEmptyLines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  EXPECT_TRUE(contains(lines[0], "\"ok\":false")) << lines[0];
  EXPECT_TRUE(contains(lines[1], "\"ok\":true")) << lines[1];
}

TEST(CliInput, InputCutShortInsideAnArrayIsAnError) {
  for (std::string tail : {"", ",", ", {\"type\":"}) {
    auto r = dryRunText(std::string("[") + kGood + tail);
    EXPECT_EQ(r.exitCode, 1) << tail << ": " << r.err;
    EXPECT_TRUE(contains(r.out, "unterminated JSON array")) << r.out;
  }
  auto r = dryRunText("[");
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_TRUE(contains(r.out, "the input ended after '['")) << r.out;
}

TEST(CliInput, ADirectoryIsRefusedBeforeAnythingIsRead) {
  testenv::TempDir dir;
  auto r = dryRun(dir.path());
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_TRUE(contains(r.err, dir.path() + ": it is a directory")) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out;
}

TEST(CliInput, PrettyPrintedGzippedAndBareCrInputsAreRead) {
  testenv::TempDir dir;
  std::string pretty =
      "{\n  \"type\": \"track\",\n  \"event\": \"E\",\n  \"messageId\": \"p1\",\n"
      "  \"timestamp\": \"2026-01-01T00:00:00Z\"\n}\n";
  testenv::writeText(dir.file("pretty.json"), pretty + pretty);
  auto r = dryRun(dir.file("pretty.json"));
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_EQ(testenv::nonEmptyLines(r.out).size(), 2u) << r.out;

  testenv::writeText(dir.file("cr.ndjson"), std::string(kGood) + "\r" + kGood + "\r");
  r = dryRun(dir.file("cr.ndjson"));
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_EQ(testenv::nonEmptyLines(r.out).size(), 2u) << r.out;

  std::string gz = dir.file("events.ndjson.gz");
  testenv::writeText(dir.file("a"), std::string(kGood) + "\n");
  ASSERT_EQ(std::system(("gzip -c " + dir.file("a") + " > " + gz + " && gzip -c " + dir.file("a") +
                         " >> " + gz)
                            .c_str()),
            0);
  r = dryRun(gz);
  EXPECT_EQ(r.exitCode, 0) << r.err << r.out;
  EXPECT_EQ(testenv::nonEmptyLines(r.out).size(), 2u) << r.out;
}

}  // namespace
