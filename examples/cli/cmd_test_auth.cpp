// `test-auth --settings F`: connects, creates the table if missing, checks it can write
// (CONTRACTS.md).
#include <iostream>

#include "actions/destination.h"
#include "actions/settings.h"
#include "commands.h"

namespace cli {

Command addTestAuth(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "test-auth", "Connect, create the table if missing, and check the user can write to it");
  auto path = std::make_shared<std::string>();
  addSettingsOption(*app, *path)->required();
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
            auto r = actions::loadSettingsFile(*path, passwordFromEnvironment());
            for (const auto& p : r.problems) printError("invalid settings: " + p);
            if (!r.ok()) return int(kExitFatal);
            auto report = actions::testAuthentication(*r.settings);
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
