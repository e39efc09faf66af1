// The settlement of a LOAD DATA run in autocommit (BulkLoad::settle, what SingleStore gets): once
// the server has stored what it would, each sent row is judged by what is stored under its
// messageId. Kept apart from the writer so the decision can be tested row by row without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace actions::singlestore {

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
