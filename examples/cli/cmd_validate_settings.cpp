// `validate-settings --settings F`: checks a settings file, listing every problem
// (docs/contracts.md).
#include <iostream>

#include "actions/settings.h"
#include "commands.h"
#include "settings_source.h"

namespace cli {

Command addValidateSettings(CLI::App& parent) {
  auto* app =
      parent.add_subcommand("validate-settings", "Check a settings file, listing every problem");
  auto path = std::make_shared<std::string>();
  addSettingsOption(*app, *path);
  setHelp(*app, {"Checks the settings against the definition's settings fields (defaults "
                 "applied) and the destination's rules, without connecting. Valid settings print "
                 "\"settings are valid\" on standard output; each problem goes to standard "
                 "error on a line of its own, naming the field; the password is never printed. "
                 "A settings file is a JSON object:\n"
                 "  {\"host\":\"db.example.com\",\"port\":3306,\"username\":\"app\","
                 "\"password\":\"...\",\n"
                 "   \"dbName\":\"analytics\",\"tableName\":\"segment_raw_data\","
                 "\"sslMode\":\"preferred\"}\n"
                 "sslMode is disabled, preferred, required, verify_ca or verify_identity (the "
                 "last two with sslCa, a CA bundle's path).",
                 {"0  the settings are valid", "2  they are not (every problem listed)"},
                 {"actions-singlestore validate-settings --settings settings.json",
                  "SINGLESTORE_PASSWORD=secret actions-singlestore validate-settings \\\n"
                  "      --settings settings.json"}});
  return {app, [path] {
            auto settings = loadSettings(*path);
            if (!settings) return int(kExitFatal);
            // A success message is output, as test-auth's is: scripts read it on stdout.
            std::cout << "settings are valid\n";
            return int(kExitOk);
          }};
}

}  // namespace cli
