#include "singlestore/table.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include "singlestore/settings.h"

namespace actions::singlestore {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string literal(db::Connection& c, std::string_view value) {
  std::string out = "'";
  c.appendEscaped(value, out);
  out += "'";
  return out;
}

std::vector<std::string> existingColumns(db::Connection& c, const TableRef& t) {
  std::vector<std::string> columns;
  for (auto& row :
       c.query("SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
               literal(c, t.database) + " AND TABLE_NAME = " + literal(c, t.table)))
    if (row[0]) columns.push_back(*row[0]);
  return columns;
}

// True when some unique index consists of messageId alone. Unknown when the server has no
// STATISTICS view to ask (then the check is skipped rather than guessed).
bool hasUniqueMessageIdKey(db::Connection& c, const TableRef& t) {
  std::vector<db::Row> rows;
  try {
    rows = c.query(
        "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 "
        "AND TABLE_SCHEMA = " +
        literal(c, t.database) + " AND TABLE_NAME = " + literal(c, t.table));
  } catch (const db::Error& e) {
    if (e.errorClass() == db::ErrorClass::Fatal) return true;
    throw;
  }
  std::map<std::string, std::vector<std::string>> indexes;
  for (auto& row : rows)
    if (row[0] && row[1]) indexes[*row[0]].push_back(lower(*row[1]));
  for (auto& [name, columns] : indexes)
    if (columns.size() == 1 && columns[0] == "messageid") return true;
  return false;
}

}  // namespace

std::string TableRef::qualified() const {
  return quoteIdentifier(database) + "." + quoteIdentifier(table);
}

TableRef makeTableRef(std::string_view database, std::string_view table) {
  if (auto why = identifierProblem(database); !why.empty())
    throw db::Error(0, "", "database name " + why, db::ErrorClass::Fatal);
  if (auto why = identifierProblem(table); !why.empty())
    throw db::Error(0, "", "table name " + why, db::ErrorClass::Fatal);
  return {std::string(database), std::string(table)};
}

std::string createTableSql(Dialect dialect, const TableRef& t) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + t.qualified() + " (\n";
  if (dialect == Dialect::SingleStore) {
    sql +=
        "  `message` JSON COLLATE utf8_bin NOT NULL,\n"
        "  `timestamp` DATETIME(6) NOT NULL,\n"
        "  `event` VARCHAR(255) NULL,\n"
        "  `messageId` VARCHAR(255) NOT NULL,\n"
        "  `type` VARCHAR(255) NOT NULL,\n"
        "  SHARD KEY (`messageId`),\n"
        "  UNIQUE KEY (`messageId`) USING HASH,\n"
        "  SORT KEY (`timestamp`)\n"
        ") COLLATE utf8mb4_bin";
  } else {
    sql +=
        "  `message` JSON NOT NULL,\n"
        "  `timestamp` DATETIME(6) NOT NULL,\n"
        "  `event` VARCHAR(255) NULL,\n"
        "  `messageId` VARCHAR(255) NOT NULL,\n"
        "  `type` VARCHAR(255) NOT NULL,\n"
        "  PRIMARY KEY (`messageId`),\n"
        "  KEY (`timestamp`)\n"
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  }
  return sql;
}

TableState ensureTable(db::Connection& c, Dialect dialect, const TableRef& t) {
  auto columns = existingColumns(c, t);
  TableState state = TableState::Existed;
  if (columns.empty()) {
    // Only a missing table is created: CREATE needs a privilege a writer of an existing table
    // may lack.
    c.execute(createTableSql(dialect, t));
    state = TableState::Created;
    columns = existingColumns(c, t);
    if (columns.empty())
      throw db::Error(
          ER_NO_SUCH_TABLE, "42S02",
          "table " + t.qualified() + " was created but the server does not list its columns",
          db::ErrorClass::Fatal);
  }
  std::set<std::string> have;
  for (auto& col : columns) have.insert(lower(col));
  std::string missing;
  for (auto col : kColumns)
    if (!have.count(lower(col))) missing += (missing.empty() ? "" : ", ") + std::string(col);
  if (!missing.empty())
    throw db::Error(
        ER_BAD_FIELD_ERROR, "42S22",
        "table " + t.qualified() + " exists but has no column " + missing +
            "; it needs message (JSON), timestamp (DATETIME(6)), event, messageId and type "
            "(VARCHAR(255)). Use another tableName or add the columns.",
        db::ErrorClass::Fatal);
  if (!hasUniqueMessageIdKey(c, t))
    throw db::Error(
        0, "",
        "table " + t.qualified() +
            " has no unique key on messageId alone, so stored events could not be "
            "told from new ones; add one (UNIQUE KEY (messageId)) or use another tableName",
        db::ErrorClass::Fatal);
  return state;
}

}  // namespace actions::singlestore
