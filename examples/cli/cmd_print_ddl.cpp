// `print-ddl --dialect singlestore|mariadb [--settings F | --database D [--table T]]`: the
// table's CREATE statement, for a DBA to run ahead of time (docs/contracts.md, "The table").
#include <iostream>
#include <memory>
#include <stdexcept>

#include "actions/destination.h"
#include "commands.h"
#include "settings_source.h"

namespace cli {
namespace {

struct PrintDdlOptions {
  std::string dialect;
  std::string settings;
  std::string database;
  std::string table;
};

int runPrintDdl(const PrintDdlOptions& o) {
  std::string database = o.database, table = o.table;
  if (database.empty()) {
    if (o.settings.empty() && !environmentHasSettings()) {
      printError("print-ddl needs --database D (or the settings: --settings F)");
      return kExitFatal;
    }
    auto settings = loadSettings(o.settings, /*needPassword=*/false);
    if (!settings) return kExitFatal;
    database = settings->database();
    if (table.empty()) table = settings->table();
  }
  if (table.empty()) table = "segment_raw_data";
  try {
    std::cout << actions::createTableStatement(o.dialect, database, table) << ";\n";
  } catch (const std::invalid_argument& e) {
    printError(e.what());
    return kExitFatal;
  }
  std::cout.flush();
  if (!std::cout) {
    printError("cannot write standard output");
    return kExitFatal;
  }
  return kExitOk;
}

}  // namespace

Command addPrintDdl(CLI::App& parent) {
  auto* app = parent.add_subcommand("print-ddl", "Print the table's CREATE TABLE statement");
  auto o = std::make_shared<PrintDdlOptions>();
  app->add_option("--dialect", o->dialect,
                  "singlestore (a columnstore table sharded on messageId), or mariadb / mysql")
      ->type_name("NAME")
      ->required()
      ->check(CLI::IsMember({"singlestore", "mariadb", "mysql"}).description(""));
  addSettingsOption(*app, o->settings)
      ->description(
          "Take the database and table from these settings (dbName, tableName); the "
          "SINGLESTORE_* environment variables work too");
  app->add_option("--database", o->database, "The database (instead of the settings' dbName)")
      ->type_name("NAME");
  app->add_option("--table", o->table,
                  "The table (default: the settings' tableName, else segment_raw_data)")
      ->type_name("NAME");
  setHelp(*app,
          {"Prints the CREATE TABLE IF NOT EXISTS statement that test-auth and send run when the "
           "table is missing, so a DBA can create it ahead of time (the user that sends then "
           "needs no CREATE privilege). Nothing connects.",
           {"0  printed", "2  unknown dialect, no database, or a name the destination refuses"},
           {"actions-singlestore print-ddl --dialect singlestore --settings settings.json",
            "actions-singlestore print-ddl --dialect mariadb --database analytics \\\n"
            "      --table segment_raw_data | mariadb analytics"}});
  return {app, [o] { return runPrintDdl(*o); }};
}

}  // namespace cli
