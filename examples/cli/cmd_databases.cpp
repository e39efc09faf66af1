#include "commands.h"

namespace cli {

// Placeholder until the command lands: it accepts any arguments and reports that it is missing.
Command addDatabases(CLI::App& parent) {
  auto* app = parent.add_subcommand("databases", "List the databases the database field can choose from");
  app->allow_extras();
  return {app, [] {
            printError("databases is not available in this build yet");
            return int(kExitFatal);
          }};
}

}  // namespace cli
