// The harness's commands. Each command file registers one CLI11 subcommand and returns the
// function that runs it; main() runs the one that was parsed. Exit codes follow docs/contracts.md.
// The commands use the library's public API only (include/actions/), as any host would.
#pragma once

#include <CLI/App.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace cli {

enum ExitCode : int {
  kExitOk = 0,          // everything succeeded
  kExitSomeFailed = 1,  // some events rejected or failed to map, the rest handled
  kExitFatal = 2,  // nothing done: bad settings, mapping, expression, authentication, connection
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
Command addServe(CLI::App& parent);
Command addPrintDdl(CLI::App& parent);
Command addMigrateTable(CLI::App& parent);

// One command's help after its options, laid out alike for every command: what it does in
// detail, its exit statuses, and examples (each a command line, printed indented).
struct Help {
  std::string details;
  std::vector<std::string> exitStatus;  // "0  every event mapped", ...
  std::vector<std::string> examples;
};
void setHelp(CLI::App& app, const Help& help);

// Option groups shared by the commands, so the same kind of option sits under the same heading.
inline constexpr const char* kGroupEvents = "Events";
inline constexpr const char* kGroupOutput = "Output";
inline constexpr const char* kGroupDelivery = "Delivery";

// The INPUT positional of the commands that read events.
void addInputOption(CLI::App& app, std::vector<std::string>& inputs);
// The --settings option (a settings JSON file; optional: the environment may give the settings).
CLI::Option* addSettingsOption(CLI::App& app, std::string& path);
// The --mapping option of the commands that deliver (a mapping file, or inline JSON).
void addDeliveryMappingOption(CLI::App& app, std::string& mapping);
// The --subscription option of the commands that deliver (unset: the defaultSubscription).
void addDeliverySubscriptionOption(CLI::App& app, std::optional<std::string>& subscription);
// A check that a number lies in [min, max], saying so in words ("must be between 0 and 86400
// seconds") when it does not.
CLI::Validator rangeCheck(double min, double max, const std::string& unit);

// When the events come from standard input and it is a terminal, says so on standard error
// (how to type them, how to end), so a run waiting for input does not look hung.
void noteTerminalInput(const std::vector<std::string>& inputs);
// Prints "actions-singlestore: <message>" to stderr.
void printError(const std::string& message);
// Prints "cannot write standard output: <reason>" (errno) and returns kExitFatal: for a command
// whose output cannot be written (a full disk, /dev/full), which must not look successful.
int writeFailed();
// Reads a whole file; throws std::runtime_error naming the file when it cannot.
std::string readFile(const std::string& path);
// The text of a --mapping argument: the argument itself when it is inline JSON (starts with
// '{'), otherwise the contents of the file it names.
std::string mappingText(const std::string& argument);
// SINGLESTORE_PASSWORD, which fills a password the settings leave out (null when unset).
const char* passwordFromEnvironment();

}  // namespace cli
