#include "commands.h"

namespace cli {

// Placeholder until the command lands: it accepts any arguments and reports that it is missing.
Command addMatch(CLI::App& parent) {
  auto* app = parent.add_subcommand("match", "Evaluate a subscription over each event");
  app->allow_extras();
  return {app, [] {
            printError("match is not available in this build yet");
            return int(kExitFatal);
          }};
}

}  // namespace cli
