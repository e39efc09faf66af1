// What a LOAD DATA did with the rows it was sent, decided from what the server shows, row by row.
// Kept apart from the writer (bulk_store.cpp) so each decision can be tested without a server:
//   * the notices it raised (SHOW WARNINGS), judged by their code, never by their level;
//   * on SingleStore, in a transaction with ERRORS HANDLE: the lines LOAD_DATA_ERRORS lists;
//   * in autocommit (LoadMode::Settle, the fallback): what is stored under each messageId.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.h"

namespace actions::singlestore {

// One row of SHOW WARNINGS (Level, Code, Message).
struct Notice {
  std::string level;
  unsigned code = 0;
  std::string message;
};
std::vector<Notice> noticesFrom(const std::vector<db::Row>& showWarnings);

// A notice that part of the statement was ignored, which says nothing of any row: SingleStore
// permits unsupported but ignorable clauses and, at its default warn_level, issues a *warning*
// for them (page "Unsupported MySQL Features"), so the level cannot tell it from a row the
// server changed. Decided by the code: 1235 (not supported yet), 1706 (SingleStore: feature not
// supported), 1287 (deprecated syntax).
bool ignoredClause(unsigned code);
// A notice (or a LOAD_DATA_ERRORS line) that a row was skipped because its unique key is stored.
bool duplicateKey(unsigned code, std::string_view message);

// A line LOAD DATA ... ERRORS HANDLE skipped: LOAD_DATA_LINE_NUMBER, ERROR_CODE, ERROR_MESSAGE.
struct SkippedLine {
  std::size_t line = 0;  // 1-based, in the data sent
  unsigned code = 0;
  std::string message;
};
std::vector<SkippedLine> skippedFrom(const std::vector<db::Row>& loadDataErrors);

enum class LoadVerdict { Inserted, Duplicate };
// The verdict for each of `sent` rows of a load that stored `stored` of them, when the server
// accounts for every other one as a skipped duplicate and raised no notice about a row; nothing
// when it does not (the load is then rolled back and its rows take the INSERT path, which tells
// each one's fate).
std::optional<std::vector<LoadVerdict>> judgeLoad(std::size_t sent, std::uint64_t stored,
                                                  const std::vector<SkippedLine>& skipped,
                                                  const std::vector<Notice>& notices);

// --- the settlement of a LOAD DATA run in autocommit (LoadMode::Settle) ---

struct SentRow {
  enum class Stored { No, Exactly, Otherwise } stored = Stored::No;
  bool warned = false;  // a warning of the load names this row's line ("... at row N")
};

enum class Settlement {
  NotStored,    // the INSERT path decides (inserts it, or rejects it with the server's reason)
  Inserted,     // stored exactly as sent
  Duplicate,    // stored otherwise by another writer that won a race
  OursAltered,  // stored otherwise by this load (the server changed a value): delete, then INSERT
};

// `storedByLoad` is the load's affected-row count: how many of the sent rows it stored. Rows stored
// exactly as sent are ours; the rest of what the load stored were altered on the way in. When the
// differing rows are no more than that rest, they are all ours; otherwise the ones a warning names
// are, and the others are another writer's.
std::vector<Settlement> settleLoadedRows(const std::vector<SentRow>& rows,
                                         std::uint64_t storedByLoad);

// The 1-based line of the data a LOAD DATA warning names ("... at row 3"), or 0.
std::size_t warnedLine(std::string_view message);

}  // namespace actions::singlestore
