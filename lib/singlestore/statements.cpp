#include "singlestore/statements.h"

#include "kit/timestamp.h"

namespace actions::singlestore {
namespace {

// Bytes of `s` once escaped with backslashes (the longer of the two escaping modes).
std::size_t escapedSizeBound(std::string_view s) {
  std::size_t n = s.size();
  for (char c : s)
    if (c == '\'' || c == '"' || c == '\\' || c == '\n' || c == '\r' || c == '\0' || c == '\x1a')
      ++n;
  return n;
}

void appendLiteral(std::string_view value, const Escaper& escape, std::string& sql) {
  sql += '\'';
  escape(value, sql);
  sql += '\'';
}

}  // namespace

StatementBuilder::StatementBuilder(const TableRef& table) : table_(table.qualified()) {
  insertHeader_ = "INSERT INTO " + table_ + " (";
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) insertHeader_ += ", ";
    insertHeader_ += '`';
    insertHeader_ += kColumns[i];
    insertHeader_ += '`';
  }
  insertHeader_ += ") VALUES ";
}

std::size_t StatementBuilder::insertSizeBound(const Row& row) {
  // "('m','YYYY-MM-DD HH:MM:SS.ffffff','e','id','t')," — quotes, commas and the datetime.
  std::size_t n = 48 + escapedSizeBound(row.message) + escapedSizeBound(row.messageId) +
                  escapedSizeBound(row.type);
  if (row.event) n += escapedSizeBound(*row.event);
  return n;
}

void StatementBuilder::insert(std::span<const Row* const> rows, const Escaper& escape,
                              std::string& sql) const {
  sql += insertHeader_;
  bool first = true;
  for (const Row* row : rows) {
    sql += first ? "(" : ",(";
    first = false;
    appendLiteral(row->message, escape, sql);
    sql += ",'";
    kit::appendDatetime6(row->timestampMicros, sql);
    sql += "',";
    if (row->event)
      appendLiteral(*row->event, escape, sql);
    else
      sql += "NULL";
    sql += ',';
    appendLiteral(row->messageId, escape, sql);
    sql += ',';
    appendLiteral(row->type, escape, sql);
    sql += ')';
  }
}

void StatementBuilder::appendIdList(std::span<const Row* const> rows, const Escaper& escape,
                                    std::string& sql) const {
  sql += " WHERE `messageId` IN (";
  bool first = true;
  for (const Row* row : rows) {
    if (!first) sql += ',';
    first = false;
    appendLiteral(row->messageId, escape, sql);
  }
  sql += ')';
}

void StatementBuilder::findStored(std::span<const Row* const> rows, const Escaper& escape,
                                  std::string& sql) const {
  sql += "SELECT `messageId` FROM " + table_;
  appendIdList(rows, escape, sql);
}

void StatementBuilder::fetchStored(std::span<const Row* const> rows, const Escaper& escape,
                                   std::string& sql) const {
  sql += "SELECT `messageId`, `message`, `timestamp`, `event`, `type` FROM " + table_;
  appendIdList(rows, escape, sql);
}

}  // namespace actions::singlestore
