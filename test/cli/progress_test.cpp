// The progress line of `send`: its text at every width (examples/cli/progress.cpp), and the line
// as a user sees it in a 60-column terminal — redrawn in place, never wrapped, with a percentage
// and a rate.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "../../examples/cli/progress.h"
#include "cli_process.h"
#include "support/test_env.h"

using cli::formatProgress;
using cli::ProgressSnapshot;

namespace {

ProgressSnapshot midRun() {
  ProgressSnapshot s;
  s.elapsed = 12.4;
  s.read = 250000;
  s.done = 240000;
  s.bytesRead = 40'000'000;
  s.totalBytes = 100'000'000;
  s.inserted = 200000;
  s.duplicate = 30000;
  s.rejected = 9000;
  s.failed = 1000;
  return s;
}

}  // namespace

TEST(ProgressLine, ShowsDoneOfTotalPercentageRateElapsedEtaAndOutcomes) {
  std::string line = formatProgress(midRun(), 200);
  EXPECT_EQ(line,
            "38%  240k/~625k events  19.4k ev/s  0:12  ETA 0:20  200k inserted  30.0k duplicate  "
            "9000 rejected  1000 failed");
}

TEST(ProgressLine, NeverWiderThanAskedAndKeepsTheMostUsefulParts) {
  for (std::size_t width = 1; width <= 140; ++width) {
    std::string line = formatProgress(midRun(), width);
    EXPECT_LE(line.size(), width) << line;
    if (width >= 34) {
      EXPECT_EQ(line.rfind("38%  240k/~625k events", 0), 0u) << line;
      EXPECT_NE(line.find("ev/s"), std::string::npos) << width << ": " << line;
    }
  }
  // 59 columns (a 60-column terminal less one): percentage, events, rate, ETA, elapsed.
  EXPECT_EQ(formatProgress(midRun(), 59), "38%  240k/~625k events  19.4k ev/s  0:12  ETA 0:20");
}

TEST(ProgressLine, WithoutAKnownSizeShowsCountsAndRateOnly) {
  ProgressSnapshot s = midRun();
  s.totalBytes.reset();
  std::string line = formatProgress(s, 200);
  EXPECT_EQ(line.find('%'), std::string::npos) << line;
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
  EXPECT_EQ(line.rfind("240k events  19.4k ev/s  0:12  200k inserted", 0), 0u) << line;
}

TEST(ProgressLine, SaysHowLongItHasWaitedForTheDatabase) {
  ProgressSnapshot s = midRun();
  s.waitingForDatabase = 7.2;
  s.retryFor = 120;
  std::string line = formatProgress(s, 200);
  EXPECT_NE(line.find("waiting for the database 7 s  (retries up to 120 s)"), std::string::npos)
      << line;
  EXPECT_EQ(line.find("ev/s"), std::string::npos) << "a rate while nothing moves: " << line;
  EXPECT_EQ(line.find("ETA"), std::string::npos) << line;
  // Kept even in a narrow terminal.
  EXPECT_NE(formatProgress(s, 59).find("waiting for the database"), std::string::npos);
}

TEST(ProgressLine, ReachesOneHundredPercentOnlyWhenEverythingIsDone) {
  ProgressSnapshot s = midRun();
  s.bytesRead = *s.totalBytes;
  s.done = s.read - 1;
  EXPECT_EQ(formatProgress(s, 200).rfind("99%", 0), 0u);
  s.inputEnded = true;
  s.done = s.read;
  EXPECT_EQ(formatProgress(s, 200).rfind("100%  250k/250k events", 0), 0u);
}

TEST(ProgressLine, DryRunCountsValidEvents) {
  ProgressSnapshot s = midRun();
  s.dryRun = true;
  s.inserted = s.duplicate = s.failed = 0;
  s.valid = 231000;
  std::string line = formatProgress(s, 200);
  EXPECT_NE(line.find("231k valid"), std::string::npos) << line;
  EXPECT_EQ(line.find("inserted"), std::string::npos) << line;
}

TEST(ProgressLine, CompactNumbersAndClock) {
  EXPECT_EQ(cli::compactCount(9999), "9999");
  EXPECT_EQ(cli::compactCount(12345), "12.3k");
  EXPECT_EQ(cli::compactCount(123456), "123k");
  EXPECT_EQ(cli::compactCount(4560000), "4.56M");
  EXPECT_EQ(cli::clockTime(7), "0:07");
  EXPECT_EQ(cli::clockTime(723), "12:03");
  EXPECT_EQ(cli::clockTime(3723), "1:02:03");
}

// A dry run over one file given many times (so its total size is known and it lasts a while),
// in a 60-column terminal, interrupted after 2.5 s.
TEST(ProgressInTerminal, RedrawsInPlaceWithinSixtyColumnsWithPercentageAndRate) {
  testenv::TempDir tmp;
  std::string events;
  for (int i = 0; i < 20000; ++i)
    events += R"({"type":"track","event":"Viewed","messageId":"p-)" + std::to_string(i) +
              R"(","timestamp":"2024-05-01T10:00:00Z","properties":{"n":)" + std::to_string(i) +
              "}}\n";
  testenv::writeText(tmp.file("events.ndjson"), events);
  std::vector<std::string> args = {"send", "--dry-run"};
  for (int i = 0; i < 400; ++i) args.push_back(tmp.file("events.ndjson"));

  auto run = clitest::runInTerminal(args, 60, "/dev/null", std::chrono::seconds(60), SIGINT,
                                    std::chrono::milliseconds(2500));
  ASSERT_TRUE(run.exit) << "still running 60 s later";
  EXPECT_EQ(*run.exit, 130) << run.terminal.substr(0, 2000);

  // Each redraw starts with \r and ends by clearing to the end of the line; what is between two
  // \r is what one line of the terminal shows. The last clear ends the progress line (the
  // summary after it is an ordinary line).
  std::size_t cleared = run.terminal.rfind("\r\x1b[K");
  ASSERT_NE(cleared, std::string::npos) << run.terminal.substr(0, 2000);
  std::string shown =
      std::regex_replace(run.terminal.substr(0, cleared), std::regex("\x1b\\[K"), "");
  std::size_t redraws = 0;
  bool percentage = false, rate = false;
  std::size_t start = 0;
  while (start <= shown.size()) {
    std::size_t end = shown.find_first_of("\r\n", start);
    if (end == std::string::npos) end = shown.size();
    std::string segment = shown.substr(start, end - start);
    EXPECT_LT(segment.size(), 60u) << "would wrap in 60 columns: " << segment;
    if (segment.find("events") != std::string::npos && segment.find("ev/s") != std::string::npos) {
      ++redraws;
      percentage = percentage || std::regex_search(segment, std::regex("^[0-9]{1,3}%  "));
      rate = rate || std::regex_search(segment, std::regex("[0-9.]+[kM]? ev/s"));
    }
    start = end + 1;
  }
  EXPECT_GE(redraws, 3u) << shown.substr(0, 2000);
  EXPECT_TRUE(percentage) << shown.substr(0, 2000);
  EXPECT_TRUE(rate) << shown.substr(0, 2000);
  // The line is cleared before the summary, which says the run was interrupted.
  EXPECT_NE(run.terminal.find("\r\x1b[Kdry run: "), std::string::npos);
  EXPECT_NE(run.terminal.find("(interrupted by SIGINT)"), std::string::npos);
}

TEST(ProgressInTerminal, NothingWhenStandardErrorIsNotATerminalUnlessAskedFor) {
  testenv::TempDir tmp;
  std::string events;
  for (int i = 0; i < 1000; ++i)
    events += R"({"type":"track","event":"E","messageId":"q-)" + std::to_string(i) +
              R"(","timestamp":"2024-05-01T10:00:00Z"})" + "\n";
  testenv::writeText(tmp.file("e.ndjson"), events);
  // Runs of over a second: standard input held open 1.5 s by a shell; standard error a file.
  auto errorOf = [&](const std::string& flags) {
    std::string cmd = "(cat " + tmp.file("e.ndjson") + "; sleep 1.5) | " + ACTIONS_CLI_PATH +
                      " send --dry-run " + flags + " >/dev/null 2>" + tmp.file("err");
    EXPECT_EQ(std::system(cmd.c_str()), 0) << flags;
    return testenv::readText(tmp.file("err"));
  };
  std::string plain = errorOf("");
  EXPECT_EQ(plain.find('\r'), std::string::npos) << plain;
  EXPECT_EQ(plain, "dry run: 1000 events: 1000 valid, 0 skipped, 0 rejected\n");
  std::string forced = errorOf("--progress");
  EXPECT_TRUE(std::regex_search(forced, std::regex("\r[0-9]+ events  [0-9.]+k? ev/s"))) << forced;
  EXPECT_EQ(errorOf("--quiet"), "") << "--quiet";
}
