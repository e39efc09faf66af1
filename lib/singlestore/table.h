// The table that receives the rows (CONTRACTS.md, "The table"): its DDL for each dialect, and a
// check that creates it when missing and refuses an existing one that cannot hold the rows.
// Nothing here drops or alters a table.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "db/connection.h"
#include "singlestore/dialect.h"

namespace actions::singlestore {

// The five columns, in the order INSERT lists them.
inline constexpr std::array<std::string_view, 5> kColumns = {"message", "timestamp", "event",
                                                             "messageId", "type"};

// A validated, quoted `database`.`table`.
struct TableRef {
  std::string database;
  std::string table;
  // `database`.`table`, backticks doubled inside.
  std::string qualified() const;
};

// Builds a TableRef, or throws db::Error (Fatal) naming the identifier that is not acceptable.
TableRef makeTableRef(std::string_view database, std::string_view table);

// CREATE TABLE IF NOT EXISTS for the dialect. SingleStore: a columnstore table sharded and
// uniquely hashed on messageId, sorted by timestamp, message JSON in utf8_bin. MySQL / MariaDB:
// InnoDB, PRIMARY KEY (messageId), KEY (timestamp). Both utf8mb4 with a binary collation, so two
// messageIds that differ only in case are two different events.
std::string createTableSql(Dialect dialect, const TableRef& table);

enum class TableState { Created, Existed };

// Creates the table when it is missing; when it exists, checks that it has the five columns and
// a unique key on messageId alone (without one, duplicates could not be refused). Throws
// db::Error: Fatal with a message naming what is missing, or the server's own error (unknown
// database, permission) as classified.
TableState ensureTable(db::Connection& connection, Dialect dialect, const TableRef& table);

}  // namespace actions::singlestore
