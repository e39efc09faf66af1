// `migrate-table --settings F --from TABLE [--dry-run] [--chunk-rows N]`: builds the settings'
// tableName from an existing table, one row per messageId (docs/contracts.md; docs/migration.md).
#include <iostream>
#include <memory>

#include "actions/migration.h"
#include "actions/settings.h"
#include "commands.h"
#include "settings_source.h"

namespace cli {
namespace {

struct MigrateOptions {
  std::string settings;
  std::string from;
  bool dryRun = false;
  std::uint64_t chunkRows = 100000;
};

std::string range(const actions::MigrationChunk& c) {
  return "timestamps " + (c.from.empty() ? std::string("from the first") : "from " + c.from) +
         (c.to.empty() ? std::string(" to the last") : " to before " + c.to);
}

int runMigrate(const MigrateOptions& o) {
  auto settings = loadSettings(o.settings);
  if (!settings) return kExitFatal;
  actions::MigrateTableOptions options;
  options.fromTable = o.from;
  options.dryRun = o.dryRun;
  options.chunkRows = o.chunkRows;
  options.onChunk = [](const actions::MigrationChunk& c) {
    std::cout << "chunk " << c.index + 1 << "/" << c.count << " (" << range(c)
              << "): " << c.inserted << " rows stored" << std::endl;
  };
  if (!o.dryRun)
    std::cout << "migrating " << o.from << " into " << settings->table() << " (database "
              << settings->database() << "); safe to interrupt and run again" << std::endl;
  auto r = actions::migrateTable(*settings, options);
  if (!r.ok) {
    printError("migrate-table failed: " + r.error);
    return kExitFatal;
  }
  std::cout << "source " << r.sourceTable << " (" << r.sourceLayout << ", " << r.dialect
            << "): " << r.sourceRows << " rows\n";
  if (r.unstorableRows > 0) {
    std::cout << r.unstorableRows << " rows cannot be stored as they are and are left out:\n";
    for (auto& line : r.unstorable) std::cout << "  " << line << "\n";
  }
  std::uint64_t storable = r.sourceRows - r.unstorableRows;
  if (o.dryRun) {
    std::cout << "dry run: nothing was changed\n"
              << "destination " << r.destinationTable
              << (r.destinationCreated ? " (missing: would be created)" : " (exists)") << "\n"
              << r.distinctMessageIds << " distinct messageIds among " << storable
              << " storable rows (" << storable - r.distinctMessageIds
              << " later copies would be left out); " << r.alreadyStored
              << " of them already in the destination (kept as they are)\n"
              << "would store " << r.distinctMessageIds - r.alreadyStored << " rows in " << r.chunks
              << (r.chunks == 1 ? " chunk" : " chunks") << " with:\n";
    for (auto& statement : r.statements) std::cout << "\n" << statement << ";\n";
    return kExitOk;
  }
  std::cout << "done: " << r.insertedRows << " rows stored in " << r.destinationTable
            << (r.destinationCreated ? " (created)" : "") << " in " << r.chunks
            << (r.chunks == 1 ? " chunk" : " chunks") << "; " << storable - r.insertedRows
            << " storable rows left out (later copies of a messageId, or already stored)\n";
  return kExitOk;
}

}  // namespace

Command addMigrateTable(CLI::App& parent) {
  auto* app = parent.add_subcommand(
      "migrate-table",
      "Build the table from an existing one (Segment's, or an earlier version's), one row per "
      "messageId");
  auto o = std::make_shared<MigrateOptions>();
  addSettingsOption(*app, o->settings);
  app->add_option("--from", o->from,
                  "The table to copy from, in the settings' dbName: Segment's segment_raw_data "
                  "(five columns) or segment_data (eleven columns), or an earlier version's")
      ->type_name("TABLE")
      ->required();
  app->add_flag("--dry-run", o->dryRun,
                "Count, and print the statements a run would execute; change nothing");
  app->add_option("--chunk-rows", o->chunkRows,
                  "Source rows per statement, about (default 100000; a second's rows are never "
                  "split)")
      ->type_name("N")
      ->check(rangeCheck(1, 1e9, "rows"));
  setHelp(*app,
          {"Copies the rows of --from into the settings' tableName, created as test-auth creates "
           "it when missing (checked when it exists), keeping one row per messageId: the "
           "earliest copy (smallest timestamp, then smallest receivedAt, then a fixed order). "
           "From Segment's eleven-column segment_data, `message` is rebuilt from the columns as "
           "the default mapping would have stored the event (docs/migration.md). Each chunk of "
           "the source's time range is one INSERT ... SELECT that stores only the messageIds the "
           "table does not hold yet, so an interrupted run can simply be run again. Rows the "
           "table cannot hold (a messageId over 255 characters, ...) are counted and named, "
           "never stored altered. The source is only read.",
           {"0  migrated (or, with --dry-run, planned)",
            "2  failed: settings, connection, a source that is missing or of no known layout, a "
            "destination that cannot be used, or a chunk the server refused (the reason on "
            "standard error)"},
           {"actions-singlestore migrate-table --dry-run --settings settings.json \\\n"
            "      --from segment_data",
            "actions-singlestore migrate-table --settings settings.json --from segment_data"}});
  return {app, [o] { return runMigrate(*o); }};
}

}  // namespace cli
