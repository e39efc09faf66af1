#include <iostream>

#include "commands.h"
#include "singlestore/settings.h"

namespace cli {

Command addValidateSettings(CLI::App& parent) {
  auto* app =
      parent.add_subcommand("validate-settings", "Check a settings file, listing every problem");
  auto path = std::make_shared<std::string>();
  app->add_option("--settings", *path, "Settings JSON file (fields: see 'describe')")->required();
  app->footer(
      "Checks the settings against the definition's settings fields (defaults applied) and the\n"
      "destination's rules; SINGLESTORE_PASSWORD supplies a missing password.\n"
      "Exit status: 0 valid, 2 invalid.\n"
      "Example:\n  actions-singlestore validate-settings --settings settings.json");
  return {app, [path] {
            auto r = actions::singlestore::loadSettingsFile(*path);
            for (const auto& p : r.problems) printError("invalid settings: " + p);
            if (!r.settings) return int(kExitFatal);
            std::cerr << "settings are valid\n";
            return int(kExitOk);
          }};
}

}  // namespace cli
