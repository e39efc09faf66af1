#include <iostream>

#include "commands.h"
#include "db/error.h"
#include "singlestore/authentication.h"
#include "singlestore/settings.h"

namespace cli {

Command addTestAuth(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "test-auth",
      "Connect with the settings, create the table if missing, and check the user can write to it");
  auto path = std::make_shared<std::string>();
  app->add_option("--settings", *path, "Settings JSON file")->required();
  app->footer(
      "The write check inserts a probe row inside a transaction and rolls it back: nothing is left "
      "behind.\n"
      "Exit status: 0 ready to deliver, 2 failed (the reason on stderr).\n"
      "Example:\n  actions-singlestore test-auth --settings settings.json");
  return {app, [path] {
            auto r = actions::singlestore::loadSettingsFile(*path);
            for (const auto& p : r.problems) printError("invalid settings: " + p);
            if (!r.settings) return int(kExitFatal);
            try {
              auto report = actions::singlestore::testAuthentication(*r.settings);
              std::cout << "connected to " << report.server << " ("
                        << actions::singlestore::toString(report.dialect) << ", server "
                        << report.serverVersion << ", "
                        << (report.tlsCipher.empty() ? std::string("not encrypted")
                                                     : "encrypted with " + report.tlsCipher)
                        << ")\n"
                        << "table " << report.table << " "
                        << (report.tableState == actions::singlestore::TableState::Created
                                ? "created"
                                : "exists")
                        << "; the user can write to it\n";
            } catch (const actions::db::Error& e) {
              printError(std::string("test-auth failed: ") + e.what());
              return int(kExitFatal);
            }
            return int(kExitOk);
          }};
}

}  // namespace cli
