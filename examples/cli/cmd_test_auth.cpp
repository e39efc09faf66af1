// `test-auth --settings F`: connects, creates the table if missing, checks it can write
// (docs/contracts.md).
#include <iostream>

#include "actions/destination.h"
#include "actions/settings.h"
#include "commands.h"
#include "settings_source.h"

namespace cli {

Command addTestAuth(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "test-auth", "Connect, create the table if missing, and check the user can write to it");
  auto path = std::make_shared<std::string>();
  addSettingsOption(*app, *path);
  setHelp(*app, {"Connects (with TLS as sslMode asks), creates the table when it is missing "
                 "(checking an existing one), and proves the user can write to it: a probe row "
                 "is inserted inside a transaction and rolled back, so nothing is left behind. "
                 "Prints the server, its version, the encryption and the table; on failure, "
                 "which step failed and why.",
                 {"0  ready to deliver",
                  "2  failed: settings, connection, authentication, table "
                  "or write (the reason on standard error)"},
                 {"actions-singlestore test-auth --settings settings.json"}});
  return {app, [path] {
            auto settings = loadSettings(*path);
            if (!settings) return int(kExitFatal);
            auto report = actions::testAuthentication(*settings);
            if (!report.ok) {
              printError("test-auth failed: " + report.error);
              return int(kExitFatal);
            }
            std::cout << "connected to " << report.server << " (" << report.dialect << ", server "
                      << report.serverVersion << ", "
                      << (report.tlsCipher.empty() ? std::string("not encrypted")
                                                   : "encrypted with " + report.tlsCipher)
                      << ")\n"
                      << "table " << report.table << " "
                      << (report.tableCreated ? "created" : "exists")
                      << "; the user can write to it\n";
            if (!report.tableAdvice.empty()) std::cout << "advice: " << report.tableAdvice << "\n";
            return int(kExitOk);
          }};
}

}  // namespace cli
