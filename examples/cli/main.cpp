// actions-singlestore: the command-line harness over the library (see docs/contracts.md).
#include <malloc.h>

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>

#include "actions/version.h"
#include "commands.h"
#include "help_format.h"

// The run's buffers grow and shrink with every block of events, on several threads. glibc's
// defaults hand large freed blocks straight back to the kernel and take them again a moment
// later, so a dry run spent half its time in page faults. Keeping freed memory (up to the
// bounds below) for reuse removes that; what the process holds stays bounded by what the
// pipeline has in flight.
namespace {
void keepFreedMemoryForReuse() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 128 << 20);
}
}  // namespace

int main(int argc, char** argv) {
  keepFreedMemoryForReuse();
  CLI::App app{
      "actions-singlestore - map, validate and deliver Segment events into a SingleStore "
      "(or MySQL / MariaDB) table, as Segment's Actions destination would.",
      "actions-singlestore"};
  // One layout for every help page; set before the commands copy the formatter.
  app.formatter(std::make_shared<cli::HelpFormatter>());
  app.set_help_flag("-h,--help", "Print this help and exit");
  app.set_version_flag("--version", std::string("actions-singlestore ") + actions::libraryVersion(),
                       "Print the version of the loaded library and exit");
  app.require_subcommand(1);

  std::vector<cli::Command> commands = {cli::addDescribe(app),  cli::addValidateSettings(app),
                                        cli::addTestAuth(app),  cli::addDatabases(app),
                                        cli::addTransform(app), cli::addMatch(app),
                                        cli::addSend(app),      cli::addServe(app),
                                        cli::addPrintDdl(app),  cli::addMigrateTable(app)};
  for (auto& c : commands) c.app->group("Commands");
  cli::setHelp(
      app,
      {"INPUT, for the commands that read events, is NDJSON (one event per line; blank lines "
       "ignored) or one JSON array, from files or standard input ('-' or none). Events are "
       "numbered 0, 1, 2... in input order; a malformed event keeps its number and gets its own "
       "error.\n\n"
       "Environment (the settings without a file; a key the --settings file sets wins):\n"
       "  SINGLESTORE_HOST      host        SINGLESTORE_PORT      port\n"
       "  SINGLESTORE_USER      username    SINGLESTORE_DATABASE  dbName\n"
       "  SINGLESTORE_PASSWORD  password\n\n"
       "Run 'actions-singlestore COMMAND --help' for a command's options, output and examples.",
       {"0  success",
        "1  send: some events rejected as invalid, every valid one stored; "
        "transform, match: some events failed",
        "2  nothing done: usage error, bad settings, mapping or subscription, authentication, "
        "connection; or an output that could not be written",
        "3  send: some valid events could not be delivered after retries (reported failed)",
        "130  send interrupted by SIGINT (143: SIGTERM)"},
       {"actions-singlestore validate-settings --settings settings.json",
        "actions-singlestore test-auth --settings settings.json",
        "actions-singlestore send --dry-run events.ndjson",
        "actions-singlestore print-ddl --dialect singlestore --settings settings.json",
        "actions-singlestore send --settings settings.json \\\n"
        "      --report report.ndjson events.ndjson"}});
  // No command: the help, as `gh` and `cargo` do. An unknown command: say so, then the help,
  // on standard error (a usage error).
  if (argc < 2) {
    std::cout << app.help();
    return cli::kExitOk;
  }
  if (std::string first = argv[1]; !first.empty() && first[0] != '-') {
    bool known = false;
    for (auto& c : commands) known = known || c.app->check_name(first);
    if (!known) {
      cli::printError("unknown command '" + first + "'");
      std::cerr << "\n" << app.help();
      return cli::kExitFatal;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // Usage errors are "nothing done" (2); --help and --version succeed.
    return rc == 0 ? 0 : cli::kExitFatal;
  }
  try {
    for (auto& c : commands) {
      if (!c.app->parsed()) continue;
      int rc = c.run();
      // Whatever the command printed must have reached standard output.
      std::cout.flush();
      if (!std::cout || std::fflush(stdout) != 0) return cli::writeFailed();
      return rc;
    }
  } catch (const std::exception& e) {
    cli::printError(e.what());
    return cli::kExitFatal;
  }
  return cli::kExitFatal;
}
