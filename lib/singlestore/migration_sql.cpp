#include "singlestore/migration_sql.h"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "singlestore/row_encoder.h"
#include "singlestore/settings.h"

namespace actions::singlestore {
namespace {

// The conditions under which a source row cannot become a row of the destination (its limits:
// docs/contracts.md, "The table"), each with the reason reported for it. `s` is the source alias.
struct Unstorable {
  std::string reason;
  std::string condition;  // true for a row that cannot be stored, never NULL
};

std::vector<Unstorable> unstorable(SourceLayout layout) {
  const std::string max = std::to_string(kMaxVarcharChars);
  std::vector<Unstorable> out = {
      {"messageId missing, empty or over " + max + " characters",
       "s.`messageId` IS NULL OR CHAR_LENGTH(s.`messageId`) NOT BETWEEN 1 AND " + max},
      {"type missing, empty or over " + max + " characters",
       "s.`type` IS NULL OR CHAR_LENGTH(s.`type`) NOT BETWEEN 1 AND " + max},
      {"event over " + max + " characters",
       "s.`event` IS NOT NULL AND CHAR_LENGTH(s.`event`) > " + max},
      {"timestamp missing", "s.`timestamp` IS NULL"},
      {"message missing", layout == SourceLayout::FiveColumns ? "s.`message` IS NULL" : "1 = 0"},
  };
  return out;
}

const char* dateFormat(HistogramUnit unit) {
  switch (unit) {
    case HistogramUnit::Day:
      return "%Y-%m-%d";
    case HistogramUnit::Hour:
      return "%Y-%m-%d %H";
    case HistogramUnit::Minute:
      return "%Y-%m-%d %H:%i";
    case HistogramUnit::Second:
      break;
  }
  return "%Y-%m-%d %H:%i:%s";
}

bool plainName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isalnum(c) || c == '_'; });
}

}  // namespace

MigrationStatements::MigrationStatements(MigrationTables tables) : t_(std::move(tables)) {
  // The collation is spliced into SQL: only a plain name is, anything else counts as binary
  // (the lookup then compares bytes, still exact, only without the index's help).
  if (!plainName(t_.destinationKeyCollation)) t_.destinationKeyCollation.clear();
}

const std::vector<std::string>& MigrationStatements::unstorableReasons() {
  static const std::vector<std::string> reasons = [] {
    std::vector<std::string> out;
    for (auto& u : unstorable(SourceLayout::FiveColumns)) out.push_back(u.reason);
    return out;
  }();
  return reasons;
}

std::string MigrationStatements::key(std::string_view alias) const {
  // The messageId as bytes: the destination's key compares bytes, where the source's collation
  // may fold case or pad spaces ("A" and "a", "x" and "x " are different events).
  std::string column = std::string(alias) + ".`messageId`";
  if (t_.dialect == Dialect::SingleStore) return "(" + column + " :> LONGBLOB)";
  return "CAST(" + column + " AS BINARY)";
}

std::string MigrationStatements::destinationKey(std::string_view alias) const {
  if (t_.destinationKeyCollation.empty()) return std::string(alias) + ".`id`";
  // In the destination column's own (exact) collation, so its unique index finds the row.
  return "CONVERT(" + std::string(alias) + ".`messageId` USING utf8mb4) COLLATE " +
         t_.destinationKeyCollation;
}

std::string MigrationStatements::unstorableRow() const {
  std::string sql;
  for (auto& u : unstorable(t_.layout)) {
    if (u.condition == "1 = 0") continue;
    sql += sql.empty() ? "(" : " OR (";
    sql += u.condition + ")";
  }
  return sql;
}

std::string MigrationStatements::storable() const {
  return "NOT (" + unstorableRow() + ")";
}

std::string MigrationStatements::receivedAt() const {
  if (t_.dialect == Dialect::SingleStore) return "JSON_EXTRACT_STRING(s.`message`, 'receivedAt')";
  return "JSON_VALUE(s.`message`, '$.receivedAt')";
}

std::string MigrationStatements::message() const {
  if (t_.layout == SourceLayout::FiveColumns) return "s.`message`";
  // The event as the default mapping (`message` = the whole event) would have stored it, from
  // what Segment's table kept of it (docs/migration.md, field by field). CONCAT_WS skips the
  // NULL pieces, so an absent field is absent, not null.
  bool ss = t_.dialect == Dialect::SingleStore;
  auto quoted = [ss](const std::string& column) {
    return std::string(ss ? "TO_JSON(" : "JSON_QUOTE(") + "s.`" + column + "`)";
  };
  auto text = [&](const std::string& column) {
    return "IF(s.`" + column + "` IS NULL, NULL, CONCAT('\"" + column + "\":', " + quoted(column) +
           "))";
  };
  auto json = [](const std::string& column, const std::string& unless = "") {
    return "IF(s.`" + column + "` IS NULL" + (unless.empty() ? "" : " OR " + unless) +
           ", NULL, CONCAT('\"" + column + "\":', s.`" + column + "`))";
  };
  // Segment's traits column holds context.traits when the event had one (not null), else the
  // event's traits: in the first case the event's own traits are unknown and left out.
  std::string contextHasTraits =
      ss ? "JSON_EXTRACT_JSON(s.`context`, 'traits') IS NOT NULL"
         : "COALESCE(JSON_TYPE(JSON_EXTRACT(s.`context`, '$.traits')), 'NULL') <> 'NULL'";
  // JavaScript's toISOString form Segment's libraries send ("2026-01-01T00:00:00.000Z"):
  // milliseconds, or the microseconds the column holds when they are not whole milliseconds.
  std::string micros = "DATE_FORMAT(s.`timestamp`, '%f')";
  std::string timestamp =
      "CONCAT('\"timestamp\":\"', DATE_FORMAT(s.`timestamp`, '%Y-%m-%dT%H:%i:%s.'), IF(" + micros +
      " LIKE '%000', LEFT(" + micros + ", 3), " + micros + "), 'Z\"')";
  return "CONCAT('{', CONCAT_WS(',',\n"
         "      CONCAT('\"messageId\":', " +
         quoted("messageId") + "),\n      " + timestamp + ",\n      CONCAT('\"type\":', " +
         quoted("type") + "),\n      " + text("event") + ",\n      " + text("name") + ",\n      " +
         json("properties") + ",\n      " + text("userId") + ",\n      " + text("anonymousId") +
         ",\n      " + text("groupId") + ",\n      " + json("traits", contextHasTraits) +
         ",\n      " + json("context") + "), '}')";
}

std::string MigrationStatements::survey() const {
  std::string sql = "SELECT COUNT(*), MIN(s.`timestamp`), MAX(s.`timestamp`),\n  SUM(CASE WHEN " +
                    unstorableRow() + " THEN 1 ELSE 0 END)";
  for (auto& u : unstorable(t_.layout))
    sql += ",\n  SUM(CASE WHEN (" + u.condition + ") THEN 1 ELSE 0 END)";
  return sql + "\nFROM " + t_.source.qualified() + " AS s";
}

std::string MigrationStatements::histogram(HistogramUnit unit) const {
  return std::string("SELECT DATE_FORMAT(s.`timestamp`, '") + dateFormat(unit) +
         "') AS `bucket`, COUNT(*) FROM " + t_.source.qualified() +
         " AS s WHERE s.`timestamp` IS NOT NULL GROUP BY `bucket` ORDER BY `bucket`";
}

std::string MigrationStatements::unstorableExamples(unsigned limit) const {
  std::string reason = "CASE";
  for (auto& u : unstorable(t_.layout))
    if (u.condition != "1 = 0") reason += " WHEN (" + u.condition + ") THEN '" + u.reason + "'";
  reason += " END";
  return "SELECT LEFT(s.`messageId`, 80), " + reason + "\nFROM " + t_.source.qualified() +
         " AS s WHERE " + unstorableRow() + " LIMIT " + std::to_string(limit);
}

std::string MigrationStatements::distinctMessageIds() const {
  return "SELECT COUNT(DISTINCT " + key("s") + ") FROM " + t_.source.qualified() + " AS s WHERE " +
         storable();
}

std::string MigrationStatements::alreadyStored() const {
  return "SELECT COUNT(DISTINCT c.`id`) FROM (SELECT s.`messageId`, " + key("s") +
         " AS `id` FROM " + t_.source.qualified() + " AS s WHERE " + storable() +
         ") AS c\n  JOIN " + t_.destination.qualified() +
         " AS d ON d.`messageId` = " + destinationKey("c");
}

std::string MigrationStatements::copyChunk(const ChunkRange& range) const {
  bool five = t_.layout == SourceLayout::FiveColumns;
  std::string where;
  if (range.from) where += "s.`timestamp` >= '" + *range.from + "' AND ";
  if (range.to) where += "s.`timestamp` < '" + *range.to + "' AND ";
  where += storable();
  std::string order = "c.`timestamp`";
  if (five) order += ", c.`receivedAt` IS NULL, c.`receivedAt`";
  order += ", SHA1(c.`message`)";
  std::string sql = "INSERT INTO " + t_.destination.qualified();
  sql +=
      " (`message`, `timestamp`, `event`, `messageId`, `type`)\n"
      "SELECT r.`message`, r.`timestamp`, r.`event`, r.`messageId`, r.`type` FROM (\n"
      "  SELECT c.`message`, c.`timestamp`, c.`event`, c.`messageId`, c.`type`,\n"
      "    ROW_NUMBER() OVER (PARTITION BY c.`id` ORDER BY " +
      order +
      ") AS `copy`\n"
      "  FROM (\n"
      "    SELECT " +
      message() +
      " AS `message`,\n"
      "      s.`timestamp`, s.`event`, s.`messageId`, s.`type`, " +
      key("s") + " AS `id`" + (five ? ", " + receivedAt() + " AS `receivedAt`" : "") +
      "\n"
      "    FROM " +
      t_.source.qualified() + " AS s\n    WHERE " + where +
      "\n"
      "  ) AS c\n"
      "  LEFT JOIN " +
      t_.destination.qualified() + " AS d ON d.`messageId` = " + destinationKey("c") +
      "\n"
      "  WHERE d.`messageId` IS NULL\n"
      ") AS r\n"
      "WHERE r.`copy` = 1";
  return sql;
}

HistogramUnit histogramUnit(std::int64_t spanSeconds, std::size_t chunks) {
  std::int64_t wanted = 16 * static_cast<std::int64_t>(std::max<std::size_t>(chunks, 1));
  std::int64_t span = std::max<std::int64_t>(spanSeconds, 0);
  if (span / 86400 + 1 >= wanted) return HistogramUnit::Day;
  if (span / 3600 + 1 >= wanted) return HistogramUnit::Hour;
  if (span / 60 + 1 >= wanted) return HistogramUnit::Minute;
  return HistogramUnit::Second;
}

namespace {

// 'YYYY-MM-DD[ HH[:MM[:SS]]]' as DATE_FORMAT prints it for `unit`, completed to a full
// date and time; throws for anything else (the text goes into SQL).
std::string bucketStart(const std::string& key, HistogramUnit unit) {
  static const std::string shape = "0000-00-00 00:00:00";
  std::size_t length = unit == HistogramUnit::Day      ? 10
                       : unit == HistogramUnit::Hour   ? 13
                       : unit == HistogramUnit::Minute ? 16
                                                       : 19;
  bool ok = key.size() == length;
  for (std::size_t i = 0; ok && i < length; ++i)
    ok = shape[i] == '0' ? std::isdigit(static_cast<unsigned char>(key[i])) != 0
                         : key[i] == shape[i];
  if (!ok) throw std::invalid_argument("unexpected timestamp bucket from the server: " + key);
  return key + shape.substr(length);
}

}  // namespace

std::vector<ChunkRange> planChunks(
    const std::vector<std::pair<std::string, std::uint64_t>>& buckets, HistogramUnit unit,
    std::uint64_t chunkRows) {
  std::vector<std::string> boundaries;
  std::uint64_t rows = 0;
  for (auto& [key, count] : buckets) {
    std::string start = bucketStart(key, unit);
    if (rows > 0 && rows + count > chunkRows) {
      boundaries.push_back(start);
      rows = 0;
    }
    rows += count;
  }
  std::vector<ChunkRange> chunks;
  std::optional<std::string> from;
  for (auto& b : boundaries) {
    chunks.push_back({from, b});
    from = b;
  }
  chunks.push_back({from, std::nullopt});
  return chunks;
}

}  // namespace actions::singlestore
