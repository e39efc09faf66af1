// include/actions/migration.h over singlestore/migration.h.
#include "actions/migration.h"

#include "api/settings_access.h"
#include "db/error.h"
#include "singlestore/migration.h"

namespace actions {

MigrationReport migrateTable(const Settings& settings, const MigrateTableOptions& options) {
  namespace ss = singlestore;
  MigrationReport report;
  ss::MigrationOptions o;
  o.fromTable = options.fromTable;
  o.dryRun = options.dryRun;
  o.chunkRows = options.chunkRows;
  if (options.onChunk)
    o.onChunk = [&options](const ss::MigrationChunkDone& done) {
      options.onChunk({done.index, done.count, done.inserted, done.range.from.value_or(""),
                       done.range.to.value_or("")});
    };
  try {
    ss::MigrationResult r = ss::migrateTable(SettingsAccess::impl(settings).settings, o);
    report.ok = true;
    report.dialect = ss::toString(r.dialect);
    report.sourceTable = r.source.qualified();
    report.destinationTable = r.destination.qualified();
    report.sourceLayout = ss::toString(r.layout);
    report.destinationCreated = r.destinationCreated;
    report.sourceRows = r.sourceRows;
    report.unstorableRows = r.unstorableRows;
    for (auto& [reason, rows] : r.unstorableByReason)
      report.unstorable.push_back(std::to_string(rows) + " row(s): " + reason);
    for (auto& [messageId, reason] : r.unstorableExamples)
      report.unstorable.push_back("for example messageId \"" + messageId + "\": " + reason);
    report.chunks = r.chunks.size();
    report.insertedRows = r.inserted;
    report.distinctMessageIds = r.distinctMessageIds.value_or(0);
    report.alreadyStored = r.alreadyStored.value_or(0);
    report.statements = std::move(r.statements);
  } catch (const std::exception& e) {
    report.ok = false;
    report.error = e.what();
  }
  return report;
}

}  // namespace actions
