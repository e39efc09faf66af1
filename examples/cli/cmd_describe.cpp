#include <iostream>

#include "commands.h"
#include "kit/describe.h"
#include "singlestore/definition.h"

namespace cli {

Command addDescribe(CLI::App& parent) {
  auto* app = parent.add_subcommand("describe", "Print the destination definition as JSON");
  app->footer(
      "Prints the definition in the shape of Segment's metadata.json: settings fields, the Send "
      "Data\n"
      "action (fields, defaultSubscription, default mapping) and presets.\n"
      "Exit status: 0.\nExample:\n  actions-singlestore describe");
  return {app, [] {
            std::cout << actions::kit::describe(actions::singlestore::destination()) << '\n';
            return int(kExitOk);
          }};
}

}  // namespace cli
