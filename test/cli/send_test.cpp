// `send` as scripts and users drive it, against the real server: the report on standard output,
// the rejected events' text, the summary JSON, outputs that are inputs or cannot be written,
// settings from the environment, the connectivity check before reading, SIGINT / SIGTERM, a
// subscription that matches nothing, and print-ddl.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "cli_process.h"
#include "support/test_env.h"

using testenv::nonEmptyLines;
using testenv::runCli;
using namespace std::chrono_literals;

namespace {

std::string settingsText() {
  return testenv::readText(testenv::settingsPath());
}

std::string field(const std::string& settings, const std::string& key) {
  std::smatch m;
  std::regex re("\"" + key + "\":\"?([^\",}]*)");
  return std::regex_search(settings, m, re) ? m[1].str() : "";
}

// The fixture's settings with `table` as tableName, written into `dir`.
std::string settingsFor(const testenv::TempDir& dir, const std::string& table) {
  std::string s = settingsText();
  s.insert(1, "\"tableName\":\"" + table + "\",");
  std::string path = dir.file("settings-" + table + ".json");
  testenv::writeText(path, s);
  return path;
}

// A table name no other test (or earlier run) uses.
std::string uniqueTable(const std::string& stem) {
  return "cli_" + stem + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000);
}

std::string event(const std::string& id, const std::string& type = "track") {
  return R"({"type":")" + type + R"(","event":"Clicked","messageId":")" + id +
         R"(","timestamp":"2024-05-01T10:00:00Z","properties":{"k":1}})";
}

std::string events(const std::string& prefix, int from, int to) {
  std::string out;
  for (int i = from; i < to; ++i) out += event(prefix + std::to_string(i)) + "\n";
  return out;
}

// Runs a shell command line in `dir`; the exit status.
int shellIn(const std::string& dir, const std::string& command) {
  return clitest::exitStatus(std::system(("cd '" + dir + "' && " + command).c_str()));
}

std::string cli() {
  return ACTIONS_CLI_PATH;
}

// The fixture's server directory (scripts/db sql reaches it over its socket).
std::string dbDir() {
  return std::filesystem::path(testenv::settingsPath()).parent_path().string();
}

long long rowCount(const std::string& table) {
  testenv::TempDir tmp;
  std::string cmd = std::string(ACTIONS_SOURCE_DIR) + "/scripts/db sql --dir " + dbDir() +
                    " -N -e 'SELECT COUNT(*) FROM actions_test." + table + "' >" + tmp.file("n") +
                    " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return -1;
  return std::atoll(testenv::readText(tmp.file("n")).c_str());
}

}  // namespace

TEST(SendCli, ReportOnStandardOutputRejectedTextAndSummaryJson) {
  testenv::TempDir tmp;
  std::string settings = settingsFor(tmp, uniqueTable("outputs"));
  const std::string malformed = R"({"type":"track", oops)";
  const std::string invalid =
      R"({"type":"track","event":"E","messageId":"o-3","timestamp":"yesterday"})";
  testenv::writeText(tmp.file("in.ndjson"), event("o-1") + "\n" + malformed + "\n" +
                                                event("o-2", "identify") + "\n" + invalid + "\n" +
                                                event("o-1") + "\n");
  int rc = shellIn(tmp.path(), cli() + " send --settings " + settings +
                                   " --report - --rejects rejects.txt --summary-json sum.json "
                                   "in.ndjson >out.txt 2>err.txt");
  std::string err = testenv::readText(tmp.file("err.txt"));
  EXPECT_EQ(rc, 1) << err;
  EXPECT_FALSE(std::filesystem::exists(tmp.file("-"))) << "--report - made a file named '-'";
  auto report = nonEmptyLines(testenv::readText(tmp.file("out.txt")));
  ASSERT_EQ(report.size(), 5u);
  EXPECT_EQ(
      report[0],
      R"({"i":0,"source":"in.ndjson:1","messageId":"o-1","status":200,"outcome":"inserted"})");
  EXPECT_NE(report[1].find(R"("outcome":"rejected")"), std::string::npos);
  EXPECT_EQ(
      report[2],
      R"({"i":2,"source":"in.ndjson:3","messageId":"o-2","status":200,"outcome":"inserted"})");
  EXPECT_NE(report[3].find(R"("outcome":"rejected")"), std::string::npos);
  EXPECT_EQ(
      report[4],
      R"({"i":4,"source":"in.ndjson:5","messageId":"o-1","status":200,"outcome":"duplicate"})");
  // The rejected events' own text, one per line, ready to fix and send again.
  EXPECT_EQ(testenv::readText(tmp.file("rejects.txt")), malformed + "\n" + invalid + "\n");
  std::string summary = testenv::readText(tmp.file("sum.json"));
  EXPECT_TRUE(std::regex_match(
      summary, std::regex(R"(\{"events":5,"inserted":2,"duplicate":1,"skipped":0,"rejected":2,)"
                          R"("failed":0,"valid":0,"seconds":[0-9.]+,"dryRun":false,)"
                          R"("interrupted":null,"exitCode":1\}\n)")))
      << summary;
  EXPECT_NE(err.find("send: 5 events in "), std::string::npos) << err;
}

TEST(SendCli, SummarySaysOneEventAndTheDryRunWritesSummaryJsonToo) {
  testenv::TempDir tmp;
  std::string settings = settingsFor(tmp, uniqueTable("one"));
  auto r = runCli("send --settings " + settings, event("one-1") + "\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.err.find("send: 1 event in "), std::string::npos) << r.err;
  auto d = runCli("send --dry-run --summary-json " + tmp.file("s.json"), event("one-1") + "\n");
  EXPECT_EQ(d.exitCode, 0) << d.err;
  EXPECT_NE(d.err.find("dry run: 1 event: 1 valid"), std::string::npos) << d.err;
  EXPECT_NE(testenv::readText(tmp.file("s.json")).find(R"("valid":1,)"), std::string::npos);
}

TEST(SendCli, AnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten) {
  testenv::TempDir tmp;
  std::filesystem::create_directory(tmp.file("sub"));
  const std::string input = events("same-", 0, 3);
  testenv::writeText(tmp.file("in.ndjson"), input);
  std::filesystem::create_symlink(tmp.file("in.ndjson"), tmp.file("link.ndjson"));
  std::filesystem::create_hard_link(tmp.file("in.ndjson"), tmp.file("hard.ndjson"));
  for (const std::string& args : {std::string("--report in.ndjson in.ndjson"),
                                  std::string("--rejects ./sub/../in.ndjson in.ndjson"),
                                  std::string("--report link.ndjson in.ndjson"),
                                  std::string("--summary-json hard.ndjson in.ndjson"),
                                  std::string("--report in.ndjson - <in.ndjson"),
                                  std::string("--report in.ndjson <in.ndjson"),
                                  std::string("--report r.txt --rejects ./r.txt in.ndjson"),
                                  std::string("--report - in.ndjson")}) {
    SCOPED_TRACE(args);
    int rc = shellIn(tmp.path(), cli() + " send --dry-run " + args + " >out.txt 2>err.txt");
    EXPECT_EQ(rc, 2);
    EXPECT_EQ(testenv::readText(tmp.file("in.ndjson")), input) << "the input was changed";
    EXPECT_EQ(testenv::readText(tmp.file("out.txt")), "");
    EXPECT_FALSE(std::filesystem::exists(tmp.file("r.txt")));
    std::string err = testenv::readText(tmp.file("err.txt"));
    EXPECT_TRUE(err.find("is the input") != std::string::npos ||
                err.find("the same file") != std::string::npos ||
                err.find("both write standard output") != std::string::npos)
        << err;
  }
  // Appending the dry run's lines to its own input would feed it forever.
  int rc = shellIn(tmp.path(), cli() + " send --dry-run in.ndjson >>in.ndjson 2>err.txt");
  EXPECT_EQ(rc, 2);
  EXPECT_EQ(testenv::readText(tmp.file("in.ndjson")), input);
}

TEST(SendCli, AnOutputThatCannotBeWrittenFailsTheRun) {
  testenv::TempDir tmp;
  std::string settings = settingsFor(tmp, uniqueTable("full"));
  testenv::writeText(tmp.file("in.ndjson"), events("full-", 0, 5));
  auto report =
      runCli("send --settings " + settings + " --report /dev/full " + tmp.file("in.ndjson"));
  EXPECT_EQ(report.exitCode, 2) << report.err;
  EXPECT_NE(report.err.find("cannot write /dev/full: No space left on device"), std::string::npos)
      << report.err;
  for (const std::string& command :
       {"send --dry-run " + tmp.file("in.ndjson"),
        "transform -m '{\"a\":{\"@path\":\"$.type\"}}' " + tmp.file("in.ndjson"),
        "match --subscription 'type = \"track\"' " + tmp.file("in.ndjson"), std::string("describe"),
        std::string("print-ddl --dialect mariadb --database d")}) {
    SCOPED_TRACE(command);
    int rc = clitest::exitStatus(
        std::system((cli() + " " + command + " >/dev/full 2>" + tmp.file("err")).c_str()));
    EXPECT_EQ(rc, 2);
    EXPECT_NE(testenv::readText(tmp.file("err")).find("cannot write standard output"),
              std::string::npos)
        << testenv::readText(tmp.file("err"));
  }
}

TEST(SendCli, ASubscriptionThatSkipsEveryEventIsWarnedAbout) {
  testenv::TempDir tmp;
  std::string settings = settingsFor(tmp, uniqueTable("skip"));
  auto r = runCli("send --settings " + settings + " --subscription 'type = \"nope\"'",
                  events("skip-", 0, 4));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.err.find("warning: the subscription matched none of the 4 events"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("'type = \"nope\"'"), std::string::npos) << r.err;
  auto some =
      runCli("send --dry-run --subscription 'messageId = \"skip-1\"'", events("skip-", 0, 4));
  EXPECT_EQ(some.err.find("warning"), std::string::npos) << some.err;
}

// The check runs before any input is read: standard input stays open, and still the run ends at
// once with the reason.
TEST(SendCli, ConnectivityIsCheckedBeforeReadingInput) {
  testenv::TempDir tmp;
  testenv::writeText(
      tmp.file("s.json"),
      R"({"host":"127.0.0.1","port":1,"username":"u","password":"NotThePw9","dbName":"d"})");
  auto start = clitest::Clock::now();
  clitest::ChildCli send({"send", "--settings", tmp.file("s.json"), "--report", tmp.file("r.txt")},
                         tmp);
  ASSERT_TRUE(send.started());
  send.write(events("pre-", 0, 3));  // and the pipe is left open
  auto exit = send.wait(20s);
  ASSERT_TRUE(exit) << "send waited for its input instead of failing";
  EXPECT_EQ(*exit, 2) << send.err();
  EXPECT_LT(std::chrono::duration<double>(clitest::Clock::now() - start).count(), 10.0);
  EXPECT_NE(send.err().find("cannot deliver: cannot connect to 127.0.0.1:1"), std::string::npos)
      << send.err();
  EXPECT_EQ(send.err().find("NotThePw9"), std::string::npos);
  EXPECT_EQ(testenv::readText(tmp.file("r.txt")), "") << "no event was read";
  EXPECT_NE(send.err().find("send: 0 events in "), std::string::npos) << send.err();
  EXPECT_NE(send.err().find("0 failed (stopped before reading its input)\n"), std::string::npos)
      << send.err();

  // Input files cannot block: a report asked for still gets every event, failed with the reason
  // (a malformed one rejected), and nothing is delivered.
  testenv::writeText(tmp.file("in.ndjson"), events("pre-", 0, 2) + "{oops\n");
  auto files = runCli("send --settings " + tmp.file("s.json") + " --report " + tmp.file("r.txt") +
                      " " + tmp.file("in.ndjson"));
  EXPECT_EQ(files.exitCode, 2) << files.err;
  auto lines = nonEmptyLines(testenv::readText(tmp.file("r.txt")));
  ASSERT_EQ(lines.size(), 3u);
  // Each line names the event's FILE:LINE, as a delivery's report does.
  std::string in = tmp.file("in.ndjson");
  EXPECT_EQ(lines[0].rfind(
                R"({"i":0,"source":")" + in + R"(:1","messageId":"pre-0","status":503,)" +
                    R"("outcome":"failed","error":")" + in + R"(:1: cannot connect to 127.0.0.1:1)",
                0),
            0u)
      << lines[0];
  EXPECT_NE(lines[2].find(R"("outcome":"rejected")"), std::string::npos) << lines[2];
  EXPECT_NE(files.err.find(": 0 inserted, 0 duplicate, 0 skipped, 1 rejected, 2 failed (nothing "
                           "delivered)\n"),
            std::string::npos)
      << files.err;
  // The summary is the same without --report: the files' events are counted all the same.
  auto unreported = runCli("send --settings " + tmp.file("s.json") + " " + tmp.file("in.ndjson"));
  EXPECT_EQ(unreported.exitCode, 2) << unreported.err;
  EXPECT_NE(unreported.err.find("send: 3 events in "), std::string::npos) << unreported.err;
  EXPECT_NE(unreported.err.find("1 rejected, 2 failed (nothing delivered)\n"), std::string::npos)
      << unreported.err;

  std::string wrong = settingsText();
  wrong.replace(wrong.find("\"password\":\"") + 12, field(wrong, "password").size(), "WrongPw77");
  testenv::writeText(tmp.file("wrong.json"), wrong);
  clitest::ChildCli denied({"send", "--settings", tmp.file("wrong.json")}, tmp);
  denied.write(events("pre-", 0, 3));
  exit = denied.wait(20s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, 2);
  EXPECT_NE(denied.err().find("cannot deliver: "), std::string::npos) << denied.err();
  EXPECT_NE(denied.err().find("(stopped before reading its input)"), std::string::npos)
      << denied.err();
  EXPECT_EQ(denied.err().find("WrongPw77"), std::string::npos);

  // A wrong password over a file, no --report: the reason, then the summary (as
  // docs/troubleshooting.md shows them).
  testenv::writeText(tmp.file("three.ndjson"), events("pre-", 0, 3));
  auto refused =
      runCli("send --settings " + tmp.file("wrong.json") + " " + tmp.file("three.ndjson"));
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_TRUE(std::regex_search(
      refused.err,
      std::regex(R"(^actions-singlestore: cannot deliver: authentication failed at [^\n]*\n)"
                 R"(send: 3 events in [0-9.]+ s: 0 inserted, 0 duplicate, 0 skipped, 0 rejected, )"
                 R"(3 failed \(nothing delivered\)\n$)")))
      << refused.err;
  EXPECT_EQ(refused.err.find("WrongPw77"), std::string::npos);
}

// A finished line is delivered at once even when the start of the next one has already arrived
// (a writer's buffer cut between two events): the reader does not wait for the next line's end
// before handing the finished one on.
TEST(SendCli, AFinishedLineIsStoredWhileTheNextIsStillBeingWritten) {
  testenv::TempDir tmp;
  std::string table = uniqueTable("half");
  clitest::ChildCli send({"send", "--settings", settingsFor(tmp, table)}, tmp);
  ASSERT_TRUE(send.started());
  std::string second = event("half-1");
  ASSERT_TRUE(send.write(event("half-0") + "\n" + second.substr(0, second.size() / 2)));
  auto start = clitest::Clock::now();
  long long rows = -1;
  while (clitest::Clock::now() - start < 10s && (rows = rowCount(table)) < 1)
    std::this_thread::sleep_for(50ms);
  double seconds = std::chrono::duration<double>(clitest::Clock::now() - start).count();
  EXPECT_EQ(rows, 1) << "the finished line was held behind the half-written one";
  std::printf("a finished line before a half-written one stored after %.2f s\n", seconds);
  EXPECT_TRUE(send.write(second.substr(second.size() / 2) + "\n"));
  send.closeInput();
  auto exit = send.wait(30s);
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, 0) << send.err();
  EXPECT_EQ(rowCount(table), 2);
}

TEST(SendCli, SettingsFromTheEnvironmentWithTheFileWinning) {
  testenv::TempDir tmp;
  std::string s = settingsText();
  std::string env = "SINGLESTORE_HOST=" + field(s, "host") +
                    " SINGLESTORE_PORT=" + field(s, "port") +
                    " SINGLESTORE_USER=" + field(s, "username") +
                    " SINGLESTORE_PASSWORD=" + field(s, "password") +
                    " SINGLESTORE_DATABASE=" + field(s, "dbName") + " ";
  int rc = clitest::exitStatus(
      std::system((env + cli() + " test-auth >/dev/null 2>" + tmp.file("err")).c_str()));
  EXPECT_EQ(rc, 0) << testenv::readText(tmp.file("err"));

  // Without a file, send delivers with the environment's settings.
  testenv::writeText(tmp.file("in.ndjson"), events("env-", 0, 2));
  rc = clitest::exitStatus(std::system(
      (env + cli() + " send " + tmp.file("in.ndjson") + " 2>" + tmp.file("err")).c_str()));
  EXPECT_EQ(rc, 0) << testenv::readText(tmp.file("err"));

  // The file's port wins over a wrong one in the environment; the environment fills the rest.
  testenv::writeText(tmp.file("partial.json"),
                     "{\"port\": " + field(s, "port") + ", \"sslMode\":\"preferred\"}");
  std::string wrongPort =
      std::regex_replace(env, std::regex("SINGLESTORE_PORT=[0-9]+"), "SINGLESTORE_PORT=1");
  rc = clitest::exitStatus(
      std::system((wrongPort + cli() + " test-auth --settings " + tmp.file("partial.json") +
                   " >/dev/null 2>" + tmp.file("err"))
                      .c_str()));
  EXPECT_EQ(rc, 0) << testenv::readText(tmp.file("err"));

  // No settings at all.
  auto none = runCli("test-auth");
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.err.find("no settings: give --settings FILE, or set SINGLESTORE_HOST"),
            std::string::npos)
      << none.err;
  auto partial = clitest::exitStatus(std::system(
      ("SINGLESTORE_HOST=db.example.com " + cli() + " validate-settings 2>" + tmp.file("err"))
          .c_str()));
  EXPECT_EQ(partial, 2);
  EXPECT_NE(testenv::readText(tmp.file("err")).find("username is required"), std::string::npos);
}

TEST(SendCli, SettingsFileErrorsSayWhy) {
  testenv::TempDir tmp;
  auto missing = runCli("validate-settings --settings " + tmp.file("nope.json"));
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("cannot read settings file " + tmp.file("nope.json") +
                             ": No such file or directory"),
            std::string::npos)
      << missing.err;
  auto directory = runCli("validate-settings --settings " + tmp.path());
  EXPECT_NE(directory.err.find(": Is a directory"), std::string::npos) << directory.err;
  testenv::writeText(tmp.file("bad.json"), "{\"host\": ");
  auto bad = runCli("validate-settings --settings " + tmp.file("bad.json"));
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("not valid JSON"), std::string::npos) << bad.err;
}

// SIGINT or SIGTERM while `send` reads a pipe that stays open: it stops reading, delivers what
// it read, gives each of those events a report line, prints the summary and exits 130 / 143.
// Sending the same events again proves the report true: what it called inserted is stored
// (now a duplicate), and what it never read is not (now inserted).
void interruptAndCheck(int signal, int expectedExit) {
  testenv::TempDir tmp;
  std::string table = uniqueTable(signal == SIGINT ? "int" : "term");
  std::string settings = settingsFor(tmp, table);
  const int total = 4000;
  const std::string input = events("sig-", 0, total);
  clitest::ChildCli send({"send", "--settings", settings, "--report", tmp.file("report.ndjson"),
                          "--summary-json", tmp.file("sum.json"), "--batch-size", "50"},
                         tmp);
  ASSERT_TRUE(send.started());
  ASSERT_TRUE(send.write(input.substr(0, input.size() * 3 / 4)));
  // Once rows arrive the run is well under way; the rest of the input never comes.
  auto until = clitest::Clock::now() + 30s;
  while (rowCount(table) < 500 && clitest::Clock::now() < until) std::this_thread::sleep_for(20ms);
  ASSERT_GE(rowCount(table), 500) << send.err();
  ASSERT_TRUE(send.signal(signal));
  auto exit = send.wait(30s);
  ASSERT_TRUE(exit) << "still running 30 s after the signal";
  EXPECT_EQ(*exit, expectedExit) << send.err();
  std::string name = signal == SIGINT ? "SIGINT" : "SIGTERM";
  EXPECT_NE(send.err().find("(interrupted by " + name + ")"), std::string::npos) << send.err();
  EXPECT_NE(testenv::readText(tmp.file("sum.json")).find("\"interrupted\":\"" + name + "\""),
            std::string::npos);

  auto report = nonEmptyLines(testenv::readText(tmp.file("report.ndjson")));
  ASSERT_GE(report.size(), 500u);
  ASSERT_LT(report.size(), static_cast<std::size_t>(total));
  for (std::size_t i = 0; i < report.size(); ++i) {
    EXPECT_EQ(
        report[i].rfind(
            "{\"i\":" + std::to_string(i) + ",\"messageId\":\"sig-" + std::to_string(i) + "\"", 0),
        0u)
        << report[i];
    EXPECT_NE(report[i].find("\"outcome\":\"inserted\""), std::string::npos) << report[i];
  }
  EXPECT_EQ(rowCount(table), static_cast<long long>(report.size()))
      << "a stored row without a report line, or a report line without its row";

  auto again =
      runCli("send --settings " + settings + " --report " + tmp.file("again.ndjson"), input);
  EXPECT_EQ(again.exitCode, 0) << again.err;
  auto second = nonEmptyLines(testenv::readText(tmp.file("again.ndjson")));
  ASSERT_EQ(second.size(), static_cast<std::size_t>(total));
  for (std::size_t i = 0; i < second.size(); ++i) {
    const char* expected = i < report.size() ? "duplicate" : "inserted";
    EXPECT_NE(second[i].find(std::string("\"outcome\":\"") + expected + "\""), std::string::npos)
        << second[i];
  }
}

TEST(SendCli, SigintFinishesWhatWasReadReportsItAndExits130) {
  interruptAndCheck(SIGINT, 130);
}

TEST(SendCli, SigtermFinishesWhatWasReadReportsItAndExits143) {
  interruptAndCheck(SIGTERM, 143);
}

TEST(SendCli, OptionRangesAreSaidInWords) {
  auto retry = runCli("send --dry-run --retry-for -1");
  EXPECT_EQ(retry.exitCode, 2);
  EXPECT_NE(retry.err.find("--retry-for: must be between 0 and 86400 seconds (it was -1)"),
            std::string::npos)
      << retry.err;
  EXPECT_EQ(retry.err.find("0.000000"), std::string::npos) << retry.err;
  auto linger = runCli("send --dry-run --linger-ms 60001");
  EXPECT_EQ(linger.exitCode, 2);
  EXPECT_NE(linger.err.find("--linger-ms: must be between 0 and 60000 milliseconds"),
            std::string::npos)
      << linger.err;
  auto ok = runCli("send --dry-run --linger-ms 50", event("l-1") + "\n");
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
}

TEST(PrintDdl, PrintsTheCreateStatementOfEitherDialect) {
  auto maria = runCli("print-ddl --dialect mariadb --database analytics --table events");
  EXPECT_EQ(maria.exitCode, 0) << maria.err;
  EXPECT_EQ(maria.out.rfind("CREATE TABLE IF NOT EXISTS `analytics`.`events` (\n", 0), 0u)
      << maria.out;
  EXPECT_NE(maria.out.find("UNIQUE KEY"), std::string::npos) << maria.out;
  EXPECT_NE(maria.out.find("`messageId`"), std::string::npos) << maria.out;
  EXPECT_EQ(maria.out.substr(maria.out.size() - 2), ";\n");
  auto single = runCli("print-ddl --dialect singlestore --database analytics");
  EXPECT_EQ(single.exitCode, 0) << single.err;
  EXPECT_NE(single.out.find("`analytics`.`segment_raw_data`"), std::string::npos);
  EXPECT_NE(single.out.find("SHARD KEY (`messageId`)"), std::string::npos) << single.out;
  EXPECT_NE(single.out.find("SORT KEY (`timestamp`)"), std::string::npos);

  auto unknown = runCli("print-ddl --dialect oracle --database a");
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_EQ(unknown.out, "");
  auto noDatabase = runCli("print-ddl --dialect mariadb");
  EXPECT_EQ(noDatabase.exitCode, 2);
  EXPECT_NE(noDatabase.err.find("--database"), std::string::npos) << noDatabase.err;
  // Settings without a password are enough: nothing connects.
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("s.json"),
                     R"({"host":"h","username":"u","dbName":"shop","tableName":"ev"})");
  auto fromSettings = runCli("print-ddl --dialect mariadb --settings " + tmp.file("s.json"));
  EXPECT_EQ(fromSettings.exitCode, 0) << fromSettings.err;
  EXPECT_EQ(fromSettings.out.rfind("CREATE TABLE IF NOT EXISTS `shop`.`ev` (", 0), 0u)
      << fromSettings.out;
  auto badName = runCli("print-ddl --dialect mariadb --database a --table " + std::string(70, 't'));
  EXPECT_EQ(badName.exitCode, 2);
  EXPECT_NE(badName.err.find("table name"), std::string::npos) << badName.err;
}

// What print-ddl prints is what the destination needs: run by a DBA, the table it makes takes
// deliveries as it is.
TEST(PrintDdl, TheStatementFromTheSettingsMakesATableSendUses) {
  testenv::TempDir tmp;
  std::string table = uniqueTable("ddl");
  std::string settings = settingsFor(tmp, table);
  int rc = clitest::exitStatus(
      std::system((cli() + " print-ddl --dialect mariadb --settings " + settings + " | " +
                   ACTIONS_SOURCE_DIR + "/scripts/db sql --dir " + dbDir())
                      .c_str()));
  ASSERT_EQ(rc, 0);
  EXPECT_EQ(rowCount(table), 0);
  auto auth = runCli("test-auth --settings " + settings);
  EXPECT_EQ(auth.exitCode, 0) << auth.err;
  EXPECT_NE(auth.out.find("table `actions_test`.`" + table + "` exists"), std::string::npos)
      << auth.out;
  auto sent = runCli("send --settings " + settings, events("ddl-", 0, 3));
  EXPECT_EQ(sent.exitCode, 0) << sent.err;
  EXPECT_EQ(rowCount(table), 3);
}
