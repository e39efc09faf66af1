#include <iostream>

#include "commands.h"
#include "db/connection.h"
#include "singlestore/settings.h"

namespace cli {

Command addTestAuth(CLI::App& parent) {
  auto* app = parent.add_subcommand("test-auth", "Connect with the settings and check the table can be written");
  auto path = std::make_shared<std::string>();
  app->add_option("--settings", *path, "Settings JSON file")->required();
  app->footer("Exit status: 0 connected, 2 failed.\nExample:\n  actions-singlestore test-auth --settings settings.json");
  return {app, [path] {
            auto r = actions::singlestore::loadSettingsFile(*path);
            for (const auto& p : r.problems) printError("invalid settings: " + p);
            if (!r.settings) return int(kExitFatal);
            try {
              actions::db::Connection conn(r.settings->connectOptions());
              std::cout << "connected to " << r.settings->host << ":" << r.settings->port
                        << " (server " << conn.serverVersion() << ")\n";
            } catch (const actions::db::Error& e) {
              printError(e.what());
              return int(kExitFatal);
            }
            return int(kExitOk);
          }};
}

}  // namespace cli
