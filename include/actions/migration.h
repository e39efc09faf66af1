// Moving to this destination from a table that already holds events (docs/migration.md):
// Segment's SingleStore destination's five-column segment_raw_data or eleven-column
// segment_data, or a table of earlier versions of this destination. migrateTable builds the
// settings' tableName (created as the destination creates it) with one row per messageId, the
// earliest copy kept, one INSERT ... SELECT per chunk; a run killed at any point and run again
// gives the same table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "actions/export.h"
#include "actions/settings.h"

namespace actions {

// One chunk of a run, done.
struct MigrationChunk {
  std::size_t index = 0;  // 0-based
  std::size_t count = 0;
  std::uint64_t inserted = 0;
  std::string from, to;  // its timestamp range, [from, to); empty: unbounded
};

struct MigrateTableOptions {
  std::string fromTable;             // in the settings' dbName
  bool dryRun = false;               // count and print the statements; change nothing
  std::uint64_t chunkRows = 100000;  // source rows per statement, about
  std::function<void(const MigrationChunk&)> onChunk;  // after each chunk of a real run
};

struct MigrationReport {
  bool ok = false;
  std::string error;        // when not ok: what failed and why (never the password)
  std::string dialect;      // "SingleStore" or "MySQL/MariaDB"
  std::string sourceTable;  // `database`.`table`
  std::string destinationTable;
  std::string sourceLayout;         // which of the known layouts the source has
  bool destinationCreated = false;  // the destination was missing (a dry run: would be created)
  std::uint64_t sourceRows = 0;
  std::uint64_t unstorableRows = 0;     // rows the destination cannot hold, left out
  std::vector<std::string> unstorable;  // why, with counts, then a few examples: one line each
  std::size_t chunks = 0;
  std::uint64_t insertedRows = 0;  // a real run: rows it stored
  // A dry run: distinct messageIds the source's storable rows hold, and how many of them the
  // destination has already (those are left as they are).
  std::uint64_t distinctMessageIds = 0, alreadyStored = 0;
  std::vector<std::string> statements;  // a dry run: what a run would execute, in order
};

// Never throws for a failure of the server or the settings: it is in the report.
ACTIONS_API MigrationReport migrateTable(const Settings& settings,
                                         const MigrateTableOptions& options);

}  // namespace actions
