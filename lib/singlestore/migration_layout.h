// The tables `migrate-table` copies from (docs/migration.md): which layout an existing table has,
// read from its column names, and the advice test-auth and send give when they meet such a table
// as their own tableName.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "singlestore/table.h"

namespace actions::singlestore {

enum class SourceLayout {
  // message JSON, timestamp, event, messageId, type: Segment's earlier segment_raw_data, and the
  // table of earlier versions of this destination. `message` is copied as it is.
  FiveColumns,
  // Segment's current segment_data: messageId, timestamp, type, event, name, properties, userId,
  // anonymousId, groupId, traits, context. `message` is rebuilt from the columns.
  SegmentElevenColumns,
};

// The eleven columns of Segment's current layout, in its order.
inline constexpr std::string_view kSegmentColumns[] = {
    "messageId", "timestamp",   "type",    "event",  "name",   "properties",
    "userId",    "anonymousId", "groupId", "traits", "context"};

// The layout of a table with these columns (names compared without regard to case, extra
// columns ignored), or nothing. `why`, when given and nothing is recognised, receives which
// columns each layout misses.
std::optional<SourceLayout> recognizeLayout(const std::vector<std::string>& columnNames,
                                            std::string* why = nullptr);
const char* toString(SourceLayout layout);

// How to move `table` (which test-auth or send refused as tableName) into a table of this
// destination: "set tableName to a new table and copy this one into it with `actions-singlestore
// migrate-table --settings <file> --from <table>` (docs/migration.md)".
std::string migrateTableAdvice(const TableRef& table);

}  // namespace actions::singlestore
