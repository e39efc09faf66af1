// `databases --settings F`: the dynamic choices of the `database` field (docs/contracts.md).
#include <iostream>

#include "actions/destination.h"
#include "actions/json_text.h"
#include "actions/settings.h"
#include "commands.h"
#include "settings_source.h"

namespace cli {

namespace {

// {"choices":[{"label":"analytics","value":"analytics"},...]}
std::string choicesJson(const std::vector<actions::Choice>& choices) {
  std::string out = "{\"choices\":[";
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i) out += ',';
    out += "{\"label\":";
    actions::appendJsonString(choices[i].label, out);
    out += ",\"value\":";
    actions::appendJsonString(choices[i].value, out);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace

Command addDatabases(CLI::App& parent) {
  auto* app =
      parent.add_subcommand("databases", "List the databases the database field can choose from");
  auto path = std::make_shared<std::string>();
  addSettingsOption(*app, *path);
  setHelp(*app, {"Prints the dynamic choices of the Send Data action's `database` field: the "
                 "user databases the settings' user can see (system schemas left out), sorted, "
                 "as {\"choices\":[{\"label\":..,\"value\":..}]}. dbName need not exist yet.",
                 {"0  listed",
                  "2  failed: settings, connection or authentication (the reason on "
                  "standard error)"},
                 {"actions-singlestore databases --settings settings.json"}});
  return {app, [path] {
            auto settings = loadSettings(*path);
            if (!settings) return int(kExitFatal);
            auto choices = actions::dynamicFieldChoices("database", *settings);
            if (!choices.ok()) {
              printError("cannot list databases: " + choices.error);
              return int(kExitFatal);
            }
            std::cout << choicesJson(choices.choices) << '\n';
            return int(kExitOk);
          }};
}

}  // namespace cli
