#include "commands.h"

namespace cli {

// Placeholder until the command lands: it accepts any arguments and reports that it is missing.
Command addSend(CLI::App& parent) {
  auto* app = parent.add_subcommand("send", "Deliver events");
  app->allow_extras();
  return {app, [] {
            printError("send is not available in this build yet");
            return int(kExitFatal);
          }};
}

}  // namespace cli
