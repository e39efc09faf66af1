// The bulk statements of the write path: rows believed new go in with the fastest statement the
// server offers, and come back either stored (each with its verdict) or handed to the INSERT
// path, which tells duplicates from new rows and isolates a refused row
// (docs/performance.md has the measurements, docs/singlestore.md the SingleStore reasoning):
//
//   * MariaDB: the prepared INSERT executed once over an array of binary parameter rows
//     (Connection::insertRows); nothing is escaped, and the server parses no value text;
//   * otherwise LOAD DATA LOCAL INFILE streamed from memory: IGNORE on MySQL, SKIP DUPLICATE KEY
//     ERRORS on SingleStore (its documented bulk path).
//
// Each runs in a transaction (db::Transaction) that commits only when the server took every row
// as it was — or, on SingleStore with ERRORS HANDLE (LoadMode::ErrorsHandle), when every row it
// did not take is one LOAD_DATA_ERRORS lists as a skipped duplicate; anything else rolls back
// whole and the rows take the INSERT path. That is how SingleStore's own Kafka connector runs
// LOAD DATA (autocommit off, then commit: "if some error occurred, no data will be actually
// added"). Notices the server raises are judged by their code (load_settlement.h): one that only
// says a clause was ignored does not make the load unclean.
//
// LoadMode::Settle is the fallback for a server that shows LOAD DATA committing outside the
// transaction (the session's in-transaction flag is clear right after the load): the writers
// sharing the flag then look up which messageIds are stored, load only the others in
// autocommit, and when the server did not take every one of them unchanged, read back what is
// stored and settle each row (load_settlement.h):
//   not stored                         -> the INSERT path (which inserts it or says why not)
//   stored exactly as sent             -> inserted
//   stored otherwise, and the load stored fewer of ours than the rows that match
//                                      -> ours, altered by the server on the way in: deleted
//                                         again, then the INSERT path (strict mode refuses it
//                                         with the server's reason)
//   stored otherwise, all of ours accounted for -> another writer's copy that won a race: duplicate
//
// A server that refuses one kind of statement as such (local_infile off, feature not supported,
// ERRORS HANDLE unknown) sets its flag, and the writers sharing the flags go on with the next
// (arrays, then LOAD DATA, then multi-row INSERT). Any other error of a bulk statement is that
// statement's alone: it is retried, or ends the rows it concerns, but never turns bulk loading off.
#pragma once

#include <atomic>
#include <span>
#include <string>
#include <vector>

#include "db/connection.h"
#include "db/parameter_rows.h"
#include "singlestore/dialect.h"
#include "singlestore/row_encoder.h"
#include "singlestore/statements.h"
#include "singlestore/table.h"

namespace actions::singlestore {

enum class LoadMode {
  Transaction,   // LOAD DATA in a transaction, kept only when every row went in as sent
  ErrorsHandle,  // SingleStore: the same with ERRORS HANDLE, skipped duplicates accounted for
  Settle,        // LOAD DATA in autocommit, then settled (the fallback described above)
};

// What the writers of one destination share about the server's bulk statements.
struct BulkFlags {
  std::atomic<bool> loadRefused{false};          // LOAD DATA LOCAL was refused
  std::atomic<bool> arraysRefused{false};        // array binding was refused
  std::atomic<bool> errorsHandleRefused{false};  // SingleStore refused ERRORS HANDLE
  std::atomic<bool> loadCommitsItself{false};    // a load in a transaction committed on its own
};

struct BulkLoad {
  Dialect dialect = Dialect::MySql;
  BulkFlags* flags = nullptr;  // never null when bulk loading is on
  bool arrays = true;          // try array binding first (where the server has it)
  LoadMode mode = LoadMode::Transaction;
};

// The LoadMode a dialect gets when nothing is forced: ErrorsHandle on SingleStore, Transaction
// elsewhere.
LoadMode defaultLoadMode(Dialect dialect);

class BulkStore {
 public:
  // What a bulk statement did with its rows: stored them all; stored none, as one of them needs
  // the INSERT path; was refused by the server as a kind of statement; or gave each row its own
  // verdict (Settled).
  enum class Result { Stored, NotClean, Refused, Settled };
  enum class Verdict { Inserted, Duplicate, Pending };

  // What one delivery reuses from one bulk statement to the next.
  struct Buffers {
    std::string text;               // LOAD DATA's rows, or the arrays' timestamps
    std::vector<std::size_t> ends;  // where each timestamp in `text` ends
    db::ParameterRows parameters{kColumns.size()};
    std::vector<Verdict> verdicts;  // per row, when the result is Settled
    // A load that commits on its own stored rows whose verdicts are not known (a fault after it
    // started, or a result that could not be settled): the rows are in doubt.
    bool loadedUnsettled = false;
  };

  BulkStore(const TableRef& table, BulkLoad load);

  // False once the server refused every bulk statement this store could use.
  bool available() const;
  // Stores `rows` with one bulk statement. Throws db::Error for anything the caller's retry and
  // fault handling must decide (a lost connection, a missing table, authentication...).
  Result store(db::Connection& connection, std::span<const Row* const> rows,
               Buffers& buffers) const;

 private:
  Result storeArrays(db::Connection& c, std::span<const Row* const> rows, Buffers& b) const;
  Result loadInTransaction(db::Connection& c, std::span<const Row* const> rows, Buffers& b) const;
  Result loadWithErrorsHandle(db::Connection& c, std::span<const Row* const> rows,
                              Buffers& b) const;
  Result loadAndSettle(db::Connection& c, std::span<const Row* const> rows, Buffers& b) const;
  LoadMode mode() const;

  TableRef table_;
  StatementBuilder statements_;
  BulkLoad load_;
  std::string loadSql_;   // LOAD DATA as the dialect runs it (no handle)
  std::string arraySql_;  // the prepared INSERT of the arrays
};

}  // namespace actions::singlestore
