// `describe`: the destination definition as JSON (docs/contracts.md).
#include <iostream>

#include "actions/destination.h"
#include "commands.h"

namespace cli {

Command addDescribe(CLI::App& parent) {
  auto* app = parent.add_subcommand("describe", "Print the destination definition as JSON");
  setHelp(*app, {"Prints the definition in the shape of Segment's metadata.json: the settings "
                 "fields, the Send Data action (fields, defaultSubscription, default mapping) and "
                 "its preset.",
                 {"0  always"},
                 {"actions-singlestore describe",
                  "actions-singlestore describe | jq '.authentication.fields | keys'"}});
  return {app, [] {
            std::cout << actions::describe() << '\n';
            return int(kExitOk);
          }};
}

}  // namespace cli
