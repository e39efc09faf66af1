#include <iostream>

#include "commands.h"
#include "db/error.h"
#include "singlestore/databases.h"
#include "singlestore/settings.h"

namespace cli {

Command addDatabases(CLI::App& parent) {
  auto* app =
      parent.add_subcommand("databases", "List the databases the database field can choose from");
  auto path = std::make_shared<std::string>();
  app->add_option("--settings", *path, "Settings JSON file")->required();
  app->footer(
      "Prints the dynamic choices of the Send Data action's `database` field: the user databases\n"
      "the settings' user can see (system schemas left out), as "
      "{\"choices\":[{\"label\":..,\"value\":..}]}.\n"
      "Exit status: 0 listed, 2 failed (bad settings, authentication, connection).\n"
      "Example:\n  actions-singlestore databases --settings settings.json");
  return {app, [path] {
            auto r = actions::singlestore::loadSettingsFile(*path);
            for (const auto& p : r.problems) printError("invalid settings: " + p);
            if (!r.settings) return int(kExitFatal);
            try {
              std::cout << actions::singlestore::databaseChoicesJson(
                               actions::singlestore::listUserDatabases(*r.settings))
                        << '\n';
            } catch (const actions::db::Error& e) {
              printError(std::string("cannot list databases: ") + e.what());
              return int(kExitFatal);
            }
            return int(kExitOk);
          }};
}

}  // namespace cli
