// actions-singlestore: the command-line harness over the library (see CONTRACTS.md).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <iostream>

#include "actions/version.h"
#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"Segment Actions-style destination for SingleStore: map, validate and deliver "
               "Segment events into a SingleStore (or MySQL / MariaDB) table.",
               "actions-singlestore"};
  app.set_version_flag("--version", std::string("actions-singlestore ") + actions::libraryVersion());
  app.require_subcommand(1);
  app.footer("Run 'actions-singlestore COMMAND --help' for a command's options and examples.");

  std::vector<cli::Command> commands = {
      cli::addDescribe(app), cli::addValidateSettings(app), cli::addTestAuth(app),
      cli::addDatabases(app), cli::addTransform(app),        cli::addMatch(app),
      cli::addSend(app)};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    // Usage errors are "nothing done" (2); --help and --version succeed.
    return rc == 0 ? 0 : cli::kExitFatal;
  }
  try {
    for (auto& c : commands)
      if (c.app->parsed()) return c.run();
  } catch (const std::exception& e) {
    cli::printError(e.what());
    return cli::kExitFatal;
  }
  return cli::kExitFatal;
}
