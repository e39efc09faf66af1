#include "commands.h"

namespace cli {

// Placeholder until the command lands: it accepts any arguments and reports that it is missing.
Command addDescribe(CLI::App& parent) {
  auto* app = parent.add_subcommand("describe", "Print the destination definition as JSON");
  app->allow_extras();
  return {app, [] {
            printError("describe is not available in this build yet");
            return int(kExitFatal);
          }};
}

}  // namespace cli
