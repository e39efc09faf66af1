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

std::size_t rowsInOneStatement(std::span<const Row* const> rows, std::size_t headerBytes,
                               std::size_t maxStatementBytes, std::size_t maxRows) {
  std::size_t size = headerBytes, fits = 0;
  while (fits < rows.size() && fits < maxRows) {
    const Row& row = *rows[fits];
    // The exact bound reads every byte: needed only near the limit.
    std::size_t add = StatementBuilder::insertSizeQuickBound(row);
    if (size + add > maxStatementBytes) add = StatementBuilder::insertSizeBound(row);
    if (size + add > maxStatementBytes) break;
    size += add;
    ++fits;
  }
  return fits;
}

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

std::size_t StatementBuilder::insertSizeQuickBound(const Row& row) {
  std::size_t n = 48 + 2 * (row.message.size() + row.messageId.size() + row.type.size());
  if (row.event) n += 2 * row.event->size();
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

std::string StatementBuilder::insertParameters() const {
  std::string sql = insertHeader_ + "(";
  for (std::size_t i = 0; i < kColumns.size(); ++i) sql += i ? ", ?" : "?";
  sql += ')';
  return sql;
}

std::string StatementBuilder::loadData(Dialect dialect, std::string_view errorsHandle) const {
  // The file name is never opened: Connection::loadLocal serves the rows from memory. The clause
  // order is the one SingleStore's page "LOAD DATA" gives (ERRORS HANDLE last).
  std::string sql = "LOAD DATA LOCAL INFILE 'rows.tsv' ";
  sql += dialect == Dialect::SingleStore ? "SKIP DUPLICATE KEY ERRORS" : "IGNORE";
  sql += " INTO TABLE " + table_ + " CHARACTER SET utf8mb4 (";
  for (std::size_t i = 0; i < kColumns.size(); ++i) {
    if (i) sql += ", ";
    sql += '`';
    sql += kColumns[i];
    sql += '`';
  }
  sql += ')';
  if (!errorsHandle.empty()) {
    sql += " ERRORS HANDLE '";
    sql += errorsHandle;
    sql += '\'';
  }
  return sql;
}

std::string StatementBuilder::loadErrors(std::string_view errorsHandle) {
  std::string sql =
      "SELECT `LOAD_DATA_LINE_NUMBER`, `ERROR_CODE`, `ERROR_MESSAGE` FROM "
      "information_schema.`LOAD_DATA_ERRORS` WHERE `HANDLE` = '";
  sql += errorsHandle;
  sql += "' ORDER BY `LOAD_DATA_LINE_NUMBER`";
  return sql;
}

std::string StatementBuilder::clearLoadErrors(std::string_view errorsHandle) {
  std::string sql = "CLEAR LOAD ERRORS HANDLE '";
  sql += errorsHandle;
  sql += '\'';
  return sql;
}

namespace {

// A field of the default LOAD DATA format: backslash, tab, newline and NUL escaped.
void appendLoadField(std::string_view value, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    const char* escaped = c == '\\'   ? "\\\\"
                          : c == '\t' ? "\\t"
                          : c == '\n' ? "\\n"
                          : c == '\0' ? "\\0"
                                      : nullptr;
    if (!escaped) continue;
    out.append(value.data() + run, i - run);
    out.append(escaped, 2);
    run = i + 1;
  }
  out.append(value.data() + run, value.size() - run);
}

}  // namespace

void StatementBuilder::appendLoadRow(const Row& row, std::string& out) {
  appendLoadField(row.message, out);
  out += '\t';
  kit::appendDatetime6(row.timestampMicros, out);
  out += '\t';
  if (row.event)
    appendLoadField(*row.event, out);
  else
    out += "\\N";
  out += '\t';
  appendLoadField(row.messageId, out);
  out += '\t';
  appendLoadField(row.type, out);
  out += '\n';
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

void StatementBuilder::deleteStored(std::span<const Row* const> rows, const Escaper& escape,
                                    std::string& sql) const {
  sql += "DELETE FROM " + table_;
  appendIdList(rows, escape, sql);
}

}  // namespace actions::singlestore
