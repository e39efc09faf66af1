// The table that receives the rows (docs/contracts.md, "The table"; docs/table.md): its DDL for
// each server, and a check that creates it when missing and refuses an existing one that cannot
// hold the rows exactly. Nothing here drops or alters a table; it only says which ALTER would.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "db/connection.h"
#include "singlestore/dialect.h"

namespace actions::singlestore {

// The five columns, in the order INSERT lists them.
inline constexpr std::array<std::string_view, 5> kColumns = {"message", "timestamp", "event",
                                                             "messageId", "type"};

// The invisible, ever-increasing clustering key of the MySQL-family layout: not one of the
// columns above, never written by the destination, never shown by SELECT *.
inline constexpr std::string_view kRowIdColumn = "row_id";

// `name` in ASCII lower case: column names and the server's own words (collations, data types)
// compare without case on MySQL, MariaDB and SingleStore.
std::string lowerName(std::string_view name);

// A validated, quoted `database`.`table`.
struct TableRef {
  std::string database;
  std::string table;
  // `database`.`table`, backticks doubled inside.
  std::string qualified() const;
};

// Builds a TableRef, or throws db::Error (Fatal) naming the identifier that is not acceptable.
TableRef makeTableRef(std::string_view database, std::string_view table);

// What the DDL depends on beyond the dialect: which exact (binary, no-pad) type the messageId key
// can have, and whether the table can be clustered on an invisible auto-increment key.
struct ServerTraits {
  Dialect dialect = Dialect::MySql;
  bool mariaDb = true;
  int major = 10, minor = 11, patch = 0;

  // MariaDB >= 10.3.3 and MySQL >= 8.0.23 have INVISIBLE columns.
  bool invisibleColumns() const;
  // The no-pad binary collation of utf8mb4 (MariaDB >= 10.2: utf8mb4_nopad_bin; MySQL >= 8.0.17:
  // utf8mb4_0900_bin), or "" when the server has none (then messageId is VARBINARY).
  std::string_view exactCollation() const;
};

// Traits from the dialect and the server's version string ("10.11.19-MariaDB-0+deb12u1",
// "5.5.5-10.11.19-MariaDB", "8.0.36"). An unreadable version is taken as the oldest server.
ServerTraits serverTraits(Dialect dialect, std::string_view version);
// The traits of `connection`'s server.
ServerTraits serverTraits(db::Connection& connection, Dialect dialect);

// CREATE TABLE IF NOT EXISTS for the server (docs/table.md gives the reasons):
// - SingleStore: columnstore, SHARD KEY and UNIQUE HASH KEY on messageId, SORT KEY on timestamp,
//   message JSON in utf8_bin, messageId VARBINARY (documented to compare exactly);
// - MariaDB / MySQL with invisible columns: InnoDB clustered on an invisible auto-increment
//   `row_id`, UNIQUE KEY on messageId in the no-pad binary collation, KEY on timestamp;
// - older MySQL-family servers: PRIMARY KEY (messageId), the exact collation where they have one,
//   else VARBINARY(1020).
std::string createTableSql(const ServerTraits& server, const TableRef& table);
// The same for the newest server of the dialect (MariaDB 10.11 for the MySQL family).
std::string createTableSql(Dialect dialect, const TableRef& table);

enum class TableState { Created, Existed };

// Creates the table when it is missing; when it exists, checks that it has the five columns, a
// unique key on messageId alone (without one, duplicates could not be refused), and that the key
// compares messageIds exactly (asked of the server: no trailing-space padding, no case or accent
// folding) — otherwise "pad-1 " would be answered as a duplicate of "pad-1". Throws db::Error:
// Fatal with a message naming what is wrong and the statement that fixes it, or the server's own
// error (unknown database, permission) as classified.
// `advice`, when given, receives what would make an accepted table better (a table clustered on
// messageId, made by earlier versions: its insert cost grows with it) with the ALTER statement.
TableState ensureTable(db::Connection& connection, Dialect dialect, const TableRef& table,
                       std::string* advice = nullptr);

// How a messageId column of a binary type (information_schema's DATA_TYPE: binary, varbinary,
// the blobs) compares, decided by the type alone: "" exactly (the bytes as they are), else why
// not (BINARY pads with zero bytes). Nothing for a type that is not binary: its collation decides.
std::optional<std::string> binaryKeyProblem(std::string_view dataType);

// The ALTER statement that moves a MySQL-family table clustered on messageId to the layout
// createTableSql makes (invisible row_id clustering key, UNIQUE KEY on messageId, exact key).
std::string migrateLayoutSql(const ServerTraits& server, const TableRef& table);

}  // namespace actions::singlestore
