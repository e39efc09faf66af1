// The harness's commands. Each command file registers one CLI11 subcommand and returns the
// function that runs it; main() runs the one that was parsed. Exit codes follow CONTRACTS.md.
#pragma once

#include <CLI/App.hpp>

#include <functional>
#include <string>
#include <vector>

namespace cli {

enum ExitCode : int {
  kExitOk = 0,           // everything succeeded
  kExitSomeFailed = 1,   // some events rejected or failed to map, the rest handled
  kExitFatal = 2,        // nothing done: bad settings, mapping, expression, authentication, connection
  kExitUndelivered = 3,  // some valid events could not be delivered after retries
};

struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

Command addDescribe(CLI::App& parent);
Command addValidateSettings(CLI::App& parent);
Command addTestAuth(CLI::App& parent);
Command addDatabases(CLI::App& parent);
Command addTransform(CLI::App& parent);
Command addMatch(CLI::App& parent);
Command addSend(CLI::App& parent);

// Prints "actions-singlestore: <message>" to stderr.
void printError(const std::string& message);
// Reads a whole file; throws std::runtime_error naming the file when it cannot.
std::string readFile(const std::string& path);

}  // namespace cli
