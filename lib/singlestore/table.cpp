#include "singlestore/table.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>
#include <tuple>
#include <vector>

#include "singlestore/migration_layout.h"
#include "singlestore/settings.h"

namespace actions::singlestore {
namespace {

std::string literal(db::Connection& c, std::string_view value) {
  std::string out = "'";
  c.appendEscaped(value, out);
  out += "'";
  return out;
}

// What information_schema says of one column.
struct Column {
  std::string name;
  std::string dataType;   // lower case: varchar, varbinary, ...
  std::string charset;    // empty for binary types
  std::string collation;  // empty for binary types
};

std::vector<Column> existingColumns(db::Connection& c, const TableRef& t) {
  std::vector<Column> columns;
  for (auto& row : c.query("SELECT COLUMN_NAME, DATA_TYPE, CHARACTER_SET_NAME, COLLATION_NAME "
                           "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
                           literal(c, t.database) + " AND TABLE_NAME = " + literal(c, t.table)))
    if (row.size() >= 4 && row[0])
      columns.push_back(
          {*row[0], lowerName(row[1].value_or("")), row[2].value_or(""), row[3].value_or("")});
  return columns;
}

struct Keys {
  bool uniqueOnMessageId = false;
  bool clusteredOnMessageId = false;  // PRIMARY KEY (messageId): the layout of earlier versions
};

// The unique keys that consist of messageId alone. When the server has no STATISTICS view to ask,
// the check is skipped rather than guessed.
Keys messageIdKeys(db::Connection& c, const TableRef& t) {
  std::vector<db::Row> rows;
  try {
    rows = c.query(
        "SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS WHERE NON_UNIQUE = 0 "
        "AND TABLE_SCHEMA = " +
        literal(c, t.database) + " AND TABLE_NAME = " + literal(c, t.table));
  } catch (const db::Error& e) {
    if (e.errorClass() == db::ErrorClass::Fatal) return {true, false};
    throw;
  }
  std::map<std::string, std::vector<std::string>> indexes;
  for (auto& row : rows)
    if (row[0] && row[1]) indexes[*row[0]].push_back(lowerName(*row[1]));
  Keys keys;
  for (auto& [name, columns] : indexes)
    if (columns.size() == 1 && columns[0] == "messageid") {
      keys.uniqueOnMessageId = true;
      if (name == "PRIMARY") keys.clusteredOnMessageId = true;
    }
  return keys;
}

bool plainName(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
}

// Why the messageId column does not compare exactly, or "" when it does. The server is asked how
// its collation compares (trailing spaces, case, accents); a server that cannot answer is judged
// by the collation's name (only the no-pad binary collations are exact).
std::string inexactKey(db::Connection& c, const Column& id) {
  // A binary type is judged by its type alone, before any collation: whatever collation a server
  // reports for it (SingleStore's information_schema for VARBINARY is undocumented), no probe of
  // it may refuse the table this destination itself created.
  if (auto verdict = binaryKeyProblem(id.dataType)) return *verdict;
  if (id.collation.empty())  // no collation and not a known binary type: taken as bytes
    return "";
  if (id.dataType == "char")  // stored padded to its length, read back without trailing spaces
    return "messageId is CHAR, which drops trailing spaces";
  const std::string& cs = id.charset;
  const std::string& coll = id.collation;
  if (plainName(cs) && plainName(coll)) {
    auto as = [&](const char* text) {
      return std::string("CONVERT('") + text + "' USING " + cs + ") COLLATE " + coll;
    };
    try {
      auto rows = c.query("SELECT " + as("pad-1") + " = " + as("pad-1 ") + ", " + as("a") + " = " +
                          as("A") + ", " + as("e") + " = " + as("\xC3\xA9"));
      if (!rows.empty() && rows[0].size() == 3) {
        std::string why;
        auto add = [&why](const std::optional<std::string>& equal, const char* what) {
          if (equal && *equal != "0") why += (why.empty() ? "" : ", ") + std::string(what);
        };
        add(rows[0][0], "\"pad-1 \" as \"pad-1\" (trailing spaces ignored)");
        add(rows[0][1], "\"A\" as \"a\"");
        add(rows[0][2], "\"\xC3\xA9\" as \"e\"");
        return why.empty() ? ""
                           : "its collation " + coll + " compares messageIds inexactly: " + why;
      }
    } catch (const db::Error& e) {
      // A lost connection or a missing privilege is an answer of its own; a server that does not
      // know CONVERT ... USING or the collation is judged by the name below.
      if (e.retryable() || e.errorClass() == db::ErrorClass::Authentication) throw;
    }
  }
  std::string name = lowerName(coll);
  bool exact = name.ends_with("_bin") &&
               (name.find("nopad") != std::string::npos || name.ends_with("_0900_bin"));
  return exact ? ""
               : "its collation " + coll +
                     " is not a no-pad binary collation, so messageIds that differ only in "
                     "trailing spaces (or case) would be taken for one";
}

int number(std::string_view& s) {
  int n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc()) return 0;
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  if (!s.empty() && s.front() == '.') s.remove_prefix(1);
  return n;
}

std::string messageIdType(const ServerTraits& s) {
  std::string_view coll = s.exactCollation();
  if (coll.empty()) return "VARBINARY(1020)";  // 255 characters of up to 4 bytes
  return "VARCHAR(255) CHARACTER SET utf8mb4 COLLATE " + std::string(coll);
}

}  // namespace

std::optional<std::string> binaryKeyProblem(std::string_view dataType) {
  std::string type = lowerName(dataType);
  if (type == "binary") return "messageId is BINARY, whose values are padded with zero bytes";
  if (type == "varbinary" || type == "tinyblob" || type == "blob" || type == "mediumblob" ||
      type == "longblob")
    return "";  // bytes compared as they are
  return std::nullopt;
}

std::string TableRef::qualified() const {
  return quoteIdentifier(database) + "." + quoteIdentifier(table);
}

std::string lowerName(std::string_view name) {
  std::string out(name);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

TableRef makeTableRef(std::string_view database, std::string_view table) {
  if (auto why = identifierProblem(database); !why.empty())
    throw db::Error(0, "", "database name " + why, db::ErrorClass::Fatal);
  if (auto why = identifierProblem(table); !why.empty())
    throw db::Error(0, "", "table name " + why, db::ErrorClass::Fatal);
  return {std::string(database), std::string(table)};
}

bool ServerTraits::invisibleColumns() const {
  if (dialect == Dialect::SingleStore) return false;
  auto v = std::tie(major, minor, patch);
  return mariaDb ? v >= std::make_tuple(10, 3, 3) : v >= std::make_tuple(8, 0, 23);
}

std::string_view ServerTraits::exactCollation() const {
  if (dialect == Dialect::SingleStore) return "";
  auto v = std::tie(major, minor, patch);
  if (mariaDb) return v >= std::make_tuple(10, 2, 2) ? "utf8mb4_nopad_bin" : "";
  return v >= std::make_tuple(8, 0, 17) ? "utf8mb4_0900_bin" : "";
}

ServerTraits serverTraits(Dialect dialect, std::string_view version) {
  ServerTraits s;
  s.dialect = dialect;
  s.mariaDb = version.find("MariaDB") != std::string_view::npos;
  // MariaDB 10 and later announce themselves to old clients as "5.5.5-<version>".
  if (s.mariaDb && version.starts_with("5.5.5-")) version.remove_prefix(6);
  s.major = number(version);
  s.minor = number(version);
  s.patch = number(version);
  return s;
}

ServerTraits serverTraits(db::Connection& connection, Dialect dialect) {
  return serverTraits(dialect, connection.serverVersion());
}

std::string createTableSql(const ServerTraits& server, const TableRef& t) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + t.qualified() + " (\n";
  if (server.dialect == Dialect::SingleStore) {
    // messageId is VARBINARY: SingleStore documents that VARBINARY compares the exact bytes, and
    // does not document whether its utf8mb4_bin pads trailing spaces (docs/table.md).
    sql +=
        "  `message` JSON COLLATE utf8_bin NOT NULL,\n"
        "  `timestamp` DATETIME(6) NOT NULL,\n"
        "  `event` VARCHAR(255) NULL,\n"
        "  `messageId` VARBINARY(1020) NOT NULL,\n"
        "  `type` VARCHAR(255) NOT NULL,\n"
        "  SHARD KEY (`messageId`),\n"
        "  UNIQUE KEY (`messageId`) USING HASH,\n"
        "  SORT KEY (`timestamp`)\n"
        ") COLLATE utf8mb4_bin";
    return sql;
  }
  sql +=
      "  `message` JSON NOT NULL,\n"
      "  `timestamp` DATETIME(6) NOT NULL,\n"
      "  `event` VARCHAR(255) NULL,\n"
      "  `messageId` " +
      messageIdType(server) +
      " NOT NULL,\n"
      "  `type` VARCHAR(255) NOT NULL,\n";
  if (server.invisibleColumns()) {
    // Clustered on an ever-increasing key, new rows fill the last page of the table instead of
    // a random page of a tree ordered by random UUIDs (docs/performance.md, "Scale").
    sql += "  `" + std::string(kRowIdColumn) +
           "` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE,\n"
           "  PRIMARY KEY (`" +
           std::string(kRowIdColumn) +
           "`),\n"
           "  UNIQUE KEY (`messageId`),\n";
  } else {
    sql += "  PRIMARY KEY (`messageId`),\n";
  }
  sql +=
      "  KEY (`timestamp`)\n"
      ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin";
  return sql;
}

std::string createTableSql(Dialect dialect, const TableRef& t) {
  return createTableSql(
      serverTraits(dialect, dialect == Dialect::SingleStore ? "" : "10.11.0-MariaDB"), t);
}

std::string migrateLayoutSql(const ServerTraits& server, const TableRef& t) {
  // Appended piece by piece: GCC 12 warns (-Wrestrict, a false positive) on "..." + string.
  std::string row = "`";
  row += kRowIdColumn;
  row += '`';
  std::string sql = "ALTER TABLE ";
  sql += t.qualified();
  sql += " MODIFY `messageId` ";
  sql += messageIdType(server);
  sql += " NOT NULL, DROP PRIMARY KEY, ADD COLUMN ";
  sql += row;
  sql += " BIGINT UNSIGNED NOT NULL AUTO_INCREMENT INVISIBLE, ADD PRIMARY KEY (";
  sql += row;
  sql += "), ADD UNIQUE KEY (`messageId`)";
  return sql;
}

TableState ensureTable(db::Connection& c, Dialect dialect, const TableRef& t, std::string* advice) {
  ServerTraits server = serverTraits(c, dialect);
  auto columns = existingColumns(c, t);
  TableState state = TableState::Existed;
  if (columns.empty()) {
    // Only a missing table is created: CREATE needs a privilege a writer of an existing table
    // may lack.
    c.execute(createTableSql(server, t));
    state = TableState::Created;
    columns = existingColumns(c, t);
    if (columns.empty())
      throw db::Error(
          ER_NO_SUCH_TABLE, "42S02",
          "table " + t.qualified() + " was created but the server does not list its columns",
          db::ErrorClass::Fatal);
  }
  std::map<std::string, const Column*> have;
  for (auto& col : columns) have.emplace(lowerName(col.name), &col);
  std::string missing;
  for (auto col : kColumns)
    if (!have.count(lowerName(col))) missing += (missing.empty() ? "" : ", ") + std::string(col);
  if (!missing.empty()) {
    std::vector<std::string> names;
    for (auto& col : columns) names.push_back(col.name);
    if (recognizeLayout(names) == SourceLayout::SegmentElevenColumns)
      throw db::Error(ER_BAD_FIELD_ERROR, "42S22",
                      "table " + t.qualified() +
                          " has the eleven columns of Segment's segment_data, not this "
                          "destination's message JSON, timestamp, event, messageId and type; " +
                          migrateTableAdvice(t),
                      db::ErrorClass::Fatal);
    throw db::Error(
        ER_BAD_FIELD_ERROR, "42S22",
        "table " + t.qualified() + " exists but has no column " + missing +
            "; it needs message (JSON), timestamp (DATETIME(6)), event, messageId and type "
            "(VARCHAR(255)). Use another tableName or add the columns.",
        db::ErrorClass::Fatal);
  }
  Keys keys = messageIdKeys(c, t);
  if (!keys.uniqueOnMessageId)
    throw db::Error(
        0, "",
        "table " + t.qualified() +
            " has no unique key on messageId alone, so stored events could not be "
            "told from new ones (Segment's SingleStore destination makes its tables without "
            "one, and SingleStore cannot add one: a unique key must contain the shard key); " +
            migrateTableAdvice(t),
        db::ErrorClass::Fatal);
  bool migrate =
      dialect == Dialect::MySql && keys.clusteredOnMessageId && server.invisibleColumns();
  if (std::string why = inexactKey(c, *have.at("messageid")); !why.empty()) {
    std::string fix;
    if (dialect == Dialect::SingleStore)
      fix = "messageId is its shard key and cannot be changed in place: " + migrateTableAdvice(t);
    else
      fix = "fix it (one table rebuild) with: " +
            (migrate ? migrateLayoutSql(server, t)
                     : "ALTER TABLE " + t.qualified() + " MODIFY `messageId` " +
                           messageIdType(server) + " NOT NULL");
    throw db::Error(0, "",
                    "table " + t.qualified() + " cannot keep every event: " + why +
                        ", so such an event would be reported as a duplicate and never stored; " +
                        fix,
                    db::ErrorClass::Fatal);
  }
  if (advice) {
    advice->clear();
    if (migrate)
      *advice = "table " + t.qualified() +
                " is clustered on messageId (the layout of earlier versions): each insert lands "
                "on a random page, so inserts slow down once the table outgrows the buffer pool. "
                "To keep the cost flat, move it (one table rebuild) with: " +
                migrateLayoutSql(server, t);
  }
  return state;
}

}  // namespace actions::singlestore
