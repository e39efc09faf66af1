// Stage 2 of the data path: rows become SQL text for one table — the multi-row INSERT and the
// lookups that tell stored messageIds from new ones. Values are escaped by the caller's escaper
// (the connection's, so the session's NO_BACKSLASH_ESCAPES is honoured); nothing else is
// interpolated except the validated, backtick-quoted table name.
#pragma once

#include <cstddef>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "singlestore/dialect.h"
#include "singlestore/row_encoder.h"
#include "singlestore/table.h"

namespace actions::singlestore {

// Appends `value` escaped for a single-quoted literal.
using Escaper = std::function<void(std::string_view value, std::string& out)>;

// How many of `rows`, from the first, one multi-row INSERT can carry: at most `maxRows`, and
// below `maxStatementBytes` (max_allowed_packet less a leeway) with `headerBytes` before the
// first row. 0 when even the first row does not fit.
std::size_t rowsInOneStatement(std::span<const Row* const> rows, std::size_t headerBytes,
                               std::size_t maxStatementBytes, std::size_t maxRows);

class StatementBuilder {
 public:
  explicit StatementBuilder(const TableRef& table);

  // An upper bound of the bytes one row adds to an INSERT, whatever the escaping mode.
  static std::size_t insertSizeBound(const Row& row);
  // A looser bound that reads no text (every byte escaped): for sizing a statement when it is
  // far below the limit, without a pass over each value.
  static std::size_t insertSizeQuickBound(const Row& row);
  // Bytes of an INSERT before its first row.
  std::size_t insertHeaderSize() const { return insertHeader_.size(); }

  // INSERT INTO `db`.`t` (`message`, `timestamp`, `event`, `messageId`, `type`) VALUES (...), ...
  void insert(std::span<const Row* const> rows, const Escaper& escape, std::string& sql) const;
  // INSERT INTO `db`.`t` (...) VALUES (?, ?, ?, ?, ?): one row of parameters in column order,
  // for Connection::insertRows.
  std::string insertParameters() const;
  // LOAD DATA LOCAL INFILE for rows in the server's default text format (tab-separated fields,
  // backslash escapes, one row per line, \N for NULL), skipping rows whose messageId is stored:
  // IGNORE on MariaDB / MySQL, SKIP DUPLICATE KEY ERRORS on SingleStore. With `errorsHandle`
  // (SingleStore only), ERRORS HANDLE '<handle>': the rows it skips, and why, are logged in
  // information_schema.LOAD_DATA_ERRORS under that handle (a name of letters, digits, - and _).
  std::string loadData(Dialect dialect, std::string_view errorsHandle = {}) const;
  // SingleStore: what a load with ERRORS HANDLE skipped — line of the data (1-based), error
  // code, message — and the statement that forgets them again (it commits implicitly).
  static std::string loadErrors(std::string_view errorsHandle);
  static std::string clearLoadErrors(std::string_view errorsHandle);
  // Appends one row in the format loadData() reads. The fields are not SQL: no escaper needed.
  static void appendLoadRow(const Row& row, std::string& out);
  // SELECT `messageId` FROM `db`.`t` WHERE `messageId` IN (...)
  void findStored(std::span<const Row* const> rows, const Escaper& escape, std::string& sql) const;
  // The same with every column, to compare stored rows with these.
  void fetchStored(std::span<const Row* const> rows, const Escaper& escape, std::string& sql) const;
  // DELETE FROM `db`.`t` WHERE `messageId` IN (...): removes rows a settled LOAD DATA stored
  // altered (see BulkLoad in batch_writer.h).
  void deleteStored(std::span<const Row* const> rows, const Escaper& escape,
                    std::string& sql) const;

 private:
  void appendIdList(std::span<const Row* const> rows, const Escaper& escape,
                    std::string& sql) const;

  std::string table_;
  std::string insertHeader_;
};

}  // namespace actions::singlestore
