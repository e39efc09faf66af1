// The harness's help, version and usage errors, as a user meets them: every command answers
// --help with a synopsis, its options, exit statuses and an example, within 80 columns.
#include <gtest/gtest.h>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/test_env.h"

namespace {

using testenv::runCli;

struct CommandHelp {
  std::string name;
  std::string synopsis;               // how the Usage line starts
  std::vector<std::string> mentions;  // options and words the page must show
};

const std::vector<CommandHelp> kCommands = {
    {"describe", "Usage: actions-singlestore describe", {"metadata.json"}},
    {"validate-settings",
     "Usage: actions-singlestore validate-settings [OPTIONS]",
     {"--settings", "SINGLESTORE_PASSWORD", "SINGLESTORE_*"}},
    {"test-auth", "Usage: actions-singlestore test-auth [OPTIONS]", {"--settings"}},
    {"databases", "Usage: actions-singlestore databases [OPTIONS]", {"--settings", "choices"}},
    {"transform",
     "Usage: actions-singlestore transform --mapping FILE|JSON [INPUT...]",
     {"-m,--mapping", "INPUT", "{\"i\":N,\"ok\":true,\"output\""}},
    {"match",
     "Usage: actions-singlestore match --subscription EXPR [INPUT...]",
     {"--subscription", "INPUT", "{\"i\":N,\"ok\":true,\"match\":true|false}"}},
    {"send",
     "Usage: actions-singlestore send [OPTIONS] [INPUT...]",
     {"--settings",     "-m,--mapping",
      "--subscription", "--batch-size N",
      "--parallel N",   "--retry-for SECONDS",
      "--linger-ms N",  "--report FILE",
      "--rejects FILE", "--summary-json FILE",
      "--dry-run",      "-q,--quiet",
      "--progress",     "INPUT",
      "SIGINT",         "130",
      "progress line",  "SINGLESTORE_HOST=",
      "Delivery:",      "Output:",
      "Events:"}},
    {"serve",
     "Usage: actions-singlestore serve --settings FILE [OPTIONS]",
     {"--settings", "--listen HOST:PORT", "--write-key KEY", "--allow-anonymous",
      "--retry-for SECONDS", "--max-bytes-in-flight", "/v1/batch", "/actions/send", "/metrics",
      "SIGTERM", "ACTIONS_SERVE_WRITE_KEYS", "Server:"}},
    {"print-ddl",
     "Usage: actions-singlestore print-ddl --dialect NAME [OPTIONS]",
     {"--dialect NAME", "--settings", "--database NAME", "--table NAME", "singlestore", "mariadb"}},
    {"migrate-table",
     "Usage: actions-singlestore migrate-table --from TABLE [OPTIONS]",
     {"--settings", "--from TABLE", "--dry-run", "--chunk-rows N", "segment_data"}},
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

void expectFitsIn80Columns(const std::string& page, const std::string& what) {
  for (const auto& line : lines(page))
    EXPECT_LE(line.size(), 80u) << what << ": a line wider than 80 columns:\n" << line;
}

TEST(CliHelp, EveryCommandHasAWellFormedHelpPage) {
  for (const auto& c : kCommands) {
    SCOPED_TRACE(c.name);
    auto r = runCli(c.name + " --help");
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out.rfind(c.synopsis, 0), 0u) << r.out.substr(0, 200);
    for (const auto& m : c.mentions) EXPECT_NE(r.out.find(m), std::string::npos) << m;
    EXPECT_NE(r.out.find("\nExit status:\n  0  "), std::string::npos) << r.out;
    // At least one example, spelled as a full command line.
    EXPECT_TRUE(std::regex_search(
        r.out, std::regex("\nExamples?:\n  actions-singlestore " + c.name + "[ \n]")))
        << r.out;
    expectFitsIn80Columns(r.out, c.name);
    // -h is the same page.
    EXPECT_EQ(runCli(c.name + " -h").out, r.out);
  }
}

TEST(CliHelp, TheToolsOwnPageListsCommandsExitStatusesAndEnvironment) {
  auto r = runCli("--help");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("Usage: actions-singlestore COMMAND [OPTIONS] [INPUT...]\n", 0), 0u)
      << r.out.substr(0, 200);
  for (const auto& c : kCommands)
    EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  " + c.name + " +[A-Z]"))) << c.name;
  for (const char* status : {"\n  0  ", "\n  1  ", "\n  2  ", "\n  3  ", "\n  130  "})
    EXPECT_NE(r.out.find(status), std::string::npos) << status;
  // Exit 1 is rejected events for send; undelivered ones are 3.
  EXPECT_NE(r.out.find("1  send: some events rejected as invalid"), std::string::npos) << r.out;
  for (const char* variable : {"SINGLESTORE_HOST", "SINGLESTORE_PORT", "SINGLESTORE_USER",
                               "SINGLESTORE_DATABASE", "SINGLESTORE_PASSWORD"})
    EXPECT_NE(r.out.find(variable), std::string::npos) << variable;
  EXPECT_NE(r.out.find("--version"), std::string::npos);
  expectFitsIn80Columns(r.out, "--help");
  EXPECT_EQ(runCli("-h").out, r.out);
}

TEST(CliHelp, VersionIsOneLine) {
  auto r = runCli("--version");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_TRUE(std::regex_match(r.out, std::regex("actions-singlestore [0-9]+\\.[0-9]+\\.[0-9]+\n")))
      << r.out;
}

TEST(CliHelp, UsageErrorsExit2AndPointToHelp) {
  for (const char* args :
       {"send --no-such-option", "transform", "match", "send --batch-size 0", "send --parallel 65",
        "send --retry-for -1", "send --linger-ms -5", "print-ddl", "send --quiet --progress"}) {
    SCOPED_TRACE(args);
    auto r = runCli(args);
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.out, "");
    EXPECT_NE(r.err.find("--help"), std::string::npos) << r.err;
  }
}

// As `gh` and `cargo` do: no command prints the help and succeeds; an unknown command is a
// usage error that says so, with the help, on standard error.
TEST(CliHelp, NoCommandPrintsTheHelpAndAnUnknownOneSaysSo) {
  auto none = runCli("");
  EXPECT_EQ(none.exitCode, 0);
  EXPECT_EQ(none.out, runCli("--help").out);
  EXPECT_EQ(none.err, "");
  auto unknown = runCli("frobnicate --settings x");
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err.rfind("actions-singlestore: unknown command 'frobnicate'\n", 0), 0u)
      << unknown.err;
  EXPECT_NE(unknown.err.find("Usage: actions-singlestore COMMAND"), std::string::npos);
  EXPECT_NE(unknown.err.find("print-ddl"), std::string::npos);
}

}  // namespace
