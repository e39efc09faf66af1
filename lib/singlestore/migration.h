// `migrate-table`: builds the destination's table (the settings' tableName, created as the
// destination creates it) from an existing table — Segment's five-column segment_raw_data, its
// eleven-column segment_data, or a table of earlier versions — one row per messageId, the
// earliest copy kept (migration_sql.h says how "earliest" is decided and why a run killed at any
// point and run again gives the same table). docs/migration.md is the user's guide.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "singlestore/migration_sql.h"
#include "singlestore/retry.h"
#include "singlestore/settings.h"

namespace actions::singlestore {

struct MigrationChunkDone {
  std::size_t index = 0;  // 0-based
  std::size_t count = 0;
  std::uint64_t inserted = 0;
  ChunkRange range;
};

struct MigrationOptions {
  std::string fromTable;  // in the settings' dbName
  bool dryRun = false;    // read and count, print the statements; write nothing
  std::uint64_t chunkRows = 100000;
  // A chunk that meets a transient fault (lost connection, deadlock, a copy another writer
  // stored meanwhile) is run again, on a new connection when the old one is gone: it is
  // idempotent. Past the budget the run stops with the error.
  RetryPolicy retry;
  std::function<void(const MigrationChunkDone&)> onChunk;  // after each chunk of a real run
};

struct MigrationResult {
  Dialect dialect = Dialect::MySql;
  SourceLayout layout = SourceLayout::FiveColumns;
  TableRef source, destination;
  bool destinationCreated = false;  // missing before (a dry run: would be created)
  std::uint64_t sourceRows = 0;
  std::uint64_t unstorableRows = 0;  // rows the destination cannot hold, left out
  std::vector<std::pair<std::string, std::uint64_t>> unstorableByReason;  // reason, rows (> 0)
  std::vector<std::pair<std::string, std::string>> unstorableExamples;    // messageId, reason
  std::vector<ChunkRange> chunks;
  std::uint64_t inserted = 0;
  // A dry run's counts: distinct messageIds among the storable rows, and how many of them the
  // destination holds already (0 when it does not exist).
  std::optional<std::uint64_t> distinctMessageIds, alreadyStored;
  // A dry run: the statements a run would execute to change anything, in order (CREATE TABLE
  // when the destination is missing, then one INSERT ... SELECT per chunk).
  std::vector<std::string> statements;
};

// Runs (or, with dryRun, plans) the migration. Throws db::Error: Fatal for a source that is
// missing, of no known layout, or the destination itself, and a destination the destination
// would refuse (ensureTable); the server's own error, named with its chunk, for a failed chunk.
MigrationResult migrateTable(const Settings& settings, const MigrationOptions& options);

}  // namespace actions::singlestore
