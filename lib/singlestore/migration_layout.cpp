#include "singlestore/migration_layout.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace actions::singlestore {
namespace {

// The columns of `wanted` that `have` lacks, comma-separated.
template <typename Columns>
std::string missingOf(const std::set<std::string>& have, const Columns& wanted) {
  std::string missing;
  for (std::string_view column : wanted)
    if (!have.count(lowerName(column)))
      missing += (missing.empty() ? "" : ", ") + std::string(column);
  return missing;
}

// `name` as one shell word: bare when it is plain, else single-quoted.
std::string shellWord(std::string_view name) {
  bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '$' || c == '-' || c == '.';
  });
  if (plain) return std::string(name);
  std::string out = "'";
  for (char c : name) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::optional<SourceLayout> recognizeLayout(const std::vector<std::string>& columnNames,
                                            std::string* why) {
  std::set<std::string> have;
  for (auto& name : columnNames) have.insert(lowerName(name));
  std::string fiveMissing = missingOf(have, kColumns);
  if (fiveMissing.empty()) return SourceLayout::FiveColumns;
  std::string elevenMissing = missingOf(have, kSegmentColumns);
  if (elevenMissing.empty()) return SourceLayout::SegmentElevenColumns;
  if (why)
    *why = "it has neither the five columns of segment_raw_data (missing " + fiveMissing +
           ") nor the eleven of Segment's segment_data (missing " + elevenMissing + ")";
  return std::nullopt;
}

const char* toString(SourceLayout layout) {
  return layout == SourceLayout::FiveColumns
             ? "five columns (message, timestamp, event, messageId, type)"
             : "Segment's eleven columns (segment_data: message rebuilt from the columns)";
}

std::string migrateTableAdvice(const TableRef& table) {
  return "set tableName to a new table and copy this one into it, one row per messageId, with: "
         "actions-singlestore migrate-table --settings <settings file> --from " +
         shellWord(table.table) + " (docs/migration.md)";
}

}  // namespace actions::singlestore
