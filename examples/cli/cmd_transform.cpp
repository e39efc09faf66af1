#include "commands.h"

namespace cli {

// Placeholder until the command lands: it accepts any arguments and reports that it is missing.
Command addTransform(CLI::App& parent) {
  auto* app = parent.add_subcommand("transform", "Run a mapping over each event");
  app->allow_extras();
  return {app, [] {
            printError("transform is not available in this build yet");
            return int(kExitFatal);
          }};
}

}  // namespace cli
