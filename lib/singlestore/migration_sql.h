// The statements of `migrate-table` (docs/migration.md), per dialect, as text: pure, so each is
// pinned by test/singlestore/migrate_sql_test.cpp for MariaDB and for SingleStore alike.
//
// The copy runs in chunks of the source's `timestamp` range, one INSERT ... SELECT per chunk.
// Each chunk statement keeps, per messageId, the earliest copy among the source rows of its range
// and leaves out every messageId the destination already holds, so:
// - chunks in ascending time order keep the earliest copy of the whole table (a later chunk's
//   copy of a messageId an earlier chunk stored is left out);
// - a statement either commits whole or not at all, so a run killed at any point and started
//   again stores exactly what one uninterrupted run stores, with no state kept anywhere but in
//   the destination table itself.
// "Earliest": the smallest `timestamp`; then, for five-column sources, the copy whose message has
// the smallest `receivedAt` (copies with one before copies without); then the smallest SHA1 of
// the message text, a fixed order among copies that differ in nothing else that is recorded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "singlestore/dialect.h"
#include "singlestore/migration_layout.h"
#include "singlestore/table.h"

namespace actions::singlestore {

// The source rows one chunk covers: `timestamp` in [from, to); an absent end is unbounded, so
// the first and last chunks also take rows written to the source after the plan was made.
// Both ends are 'YYYY-MM-DD HH:MM:SS' text made by planChunks.
struct ChunkRange {
  std::optional<std::string> from;
  std::optional<std::string> to;
};

// The unit of the histogram that places chunk boundaries (DATE_FORMAT truncation).
enum class HistogramUnit { Day, Hour, Minute, Second };

struct MigrationTables {
  Dialect dialect = Dialect::MySql;
  SourceLayout layout = SourceLayout::FiveColumns;
  TableRef source;
  TableRef destination;
  // The collation of the destination's messageId column (MySQL family), so the lookup of stored
  // messageIds uses its unique index; empty when the column is binary (VARBINARY: SingleStore,
  // old MySQL-family servers).
  std::string destinationKeyCollation;
};

class MigrationStatements {
 public:
  explicit MigrationStatements(MigrationTables tables);

  // One row: rows, MIN(timestamp), MAX(timestamp), the rows the destination cannot hold, then
  // those by reason (a row may have several): see unstorableReasons().
  std::string survey() const;
  // (bucket, rows) per `unit` of timestamp, in time order; rows without a timestamp left out.
  std::string histogram(HistogramUnit unit) const;
  // Up to `limit` rows the destination cannot hold: (first 80 characters of messageId, reason).
  std::string unstorableExamples(unsigned limit) const;
  // One row: the distinct messageIds among the rows that can be stored (a dry run's count).
  std::string distinctMessageIds() const;
  // One row: how many of those the destination holds already (a dry run's count).
  std::string alreadyStored() const;
  // The INSERT ... SELECT of one chunk.
  std::string copyChunk(const ChunkRange& range) const;

  // The reasons survey() counts, in its column order.
  static const std::vector<std::string>& unstorableReasons();

 private:
  std::string key(std::string_view alias) const;
  std::string destinationKey(std::string_view alias) const;
  std::string unstorableRow() const;  // true for a row the destination cannot hold
  std::string storable() const;
  std::string message() const;
  std::string receivedAt() const;

  MigrationTables t_;
};

// The histogram unit that cuts [min, max] (seconds apart) into enough buckets to place the
// boundaries of `chunks` chunks: the coarsest with at least 16 buckets per chunk, else seconds.
HistogramUnit histogramUnit(std::int64_t spanSeconds, std::size_t chunks);

// Chunks of about `chunkRows` rows from the histogram's buckets (key as DATE_FORMAT printed it,
// rows): a boundary falls on a bucket's start, so a bucket is never split, and a bucket larger
// than chunkRows is a chunk of its own. The first chunk starts unbounded, the last ends so.
// Throws std::invalid_argument for a bucket key that is not a date and time of `unit`.
std::vector<ChunkRange> planChunks(
    const std::vector<std::pair<std::string, std::uint64_t>>& buckets, HistogramUnit unit,
    std::uint64_t chunkRows);

}  // namespace actions::singlestore
