// Stage 3 of the data path: rows for one table go into the server exactly once, each with its
// own outcome. How:
//
// * First copy wins. Copies of a messageId within the call after the first are duplicates; the
//   first copy that the server stores (or finds stored) decides. A copy the server refuses does
//   not claim the messageId: the next copy gets its chance.
// * Stored before? Each INSERT is preceded by a lookup of its messageIds; those already stored
//   are duplicates, the rest go in a plain multi-row INSERT under strict SQL mode. (INSERT IGNORE
//   is never used: it would turn a refused row into a silently truncated one.) A duplicate-key
//   error from a racing writer makes the chunk look again, then split, so it cannot loop.
// * Bounded statements: at most `maxRowsPerStatement` rows, and below the server's
//   max_allowed_packet; a single row larger than that is rejected.
// * A refused row does not cost its neighbours: the chunk is split in halves until the row
//   that the server refuses stands alone and is rejected with the server's reason.
// * Transient faults (lost connection, restart, deadlock, too many connections...) are retried
//   on a fresh connection with backoff and jitter, up to RetryPolicy::retryFor after the first
//   fault since the last progress; then the rows still pending are failed, never dropped.
// * A statement whose answer was lost (the link broke after the server received it) is "in
//   doubt": it may have committed. The retry looks its rows up first: a row found stored is
//   reported duplicate, never inserted — it may be this sender's lost statement or another
//   sender's copy stored in the same window, and nothing on the server tells them apart, so
//   `inserted` is kept for rows whose own statement's answer arrived. At most one sender ever
//   reports a messageId inserted. A statement is atomic, so nothing is ever half-stored.
//
// Concurrent calls on one BatchWriter are safe (each uses its own leased connection); when two
// calls race on one messageId, the first to commit wins.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "db/pool.h"
#include "kit/result.h"
#include "singlestore/dialect.h"
#include "singlestore/retry.h"
#include "singlestore/row_encoder.h"
#include "singlestore/statements.h"
#include "singlestore/table.h"

namespace actions::singlestore {

// Bulk loading: rows that are all new go in with one bulk statement inside a transaction that
// commits only when the server took every row as it was (affected rows == rows sent, no
// warnings). Anything else — a stored messageId, a value the server would have changed or
// refused — rolls back, and those rows take the INSERT path above, which tells duplicates from
// new rows and isolates refused rows. The bulk statement is the fastest the server offers
// (docs/performance.md has the measurements):
//   * MariaDB: the prepared INSERT executed once over an array of binary parameter rows
//     (Connection::insertRows); nothing is escaped, and the server parses no value text;
//   * otherwise LOAD DATA LOCAL INFILE streamed from memory: IGNORE on MySQL, SKIP DUPLICATE KEY
//     ERRORS on SingleStore (whose documented bulk path it is).
// A server that refuses one of them as a kind of statement (local_infile off, feature not
// supported) sets its flag, and the writers sharing the flags go on with the next (arrays, then
// LOAD DATA, then multi-row INSERT). Any other error of a bulk statement is that statement's
// alone: it is retried, or ends the rows it concerns, but never turns bulk loading off.
//
// LOAD DATA settled instead of rolled back (`settle`, what SingleStore gets): no SingleStore
// document says an explicit transaction covers LOAD DATA, and its own connectors run it in
// autocommit, so the writer does not rely on ROLLBACK there. It looks up which messageIds are
// stored, loads only the others in autocommit, and when the server did not take every one of
// them unchanged, reads back what is stored for them and settles each row:
//   not stored                         -> the INSERT path (which inserts it or says why not)
//   stored exactly as sent             -> inserted
//   stored otherwise, and the load stored fewer of ours than the rows that match
//                                      -> ours, altered by the server on the way in: deleted
//                                         again, then the INSERT path (strict mode refuses it
//                                         with the server's reason)
//   stored otherwise, all of ours accounted for -> another writer's copy that won a race: duplicate
// Warnings of level Note (SingleStore notes clauses it ignores) are not taken as altered rows;
// any other warning makes the writer read back and compare, nothing more. docs/singlestore.md
// has the reasoning and what remains unverified without a cluster.
struct BulkLoad {
  Dialect dialect = Dialect::MySql;
  std::atomic<bool>* refused = nullptr;        // LOAD DATA LOCAL was refused
  std::atomic<bool>* arraysRefused = nullptr;  // array binding was refused; null: never tried
  bool settle = false;  // LOAD DATA in autocommit, then settled (above); else in a transaction
};

class BatchWriter {
 public:
  BatchWriter(std::shared_ptr<db::ConnectionPool> pool, const TableRef& table,
              RetryPolicy retry = {}, std::optional<BulkLoad> bulk = std::nullopt);

  // Writes `rows` into the table; the answer for rows[i] is result[i]. Never throws db::Error:
  // every problem becomes the outcome of the rows it concerns.
  std::vector<kit::EventResult> write(std::span<const Row* const> rows,
                                      std::size_t maxRowsPerStatement) const;

  // What a bulk statement did with its rows: stored them all; stored none, as one of them needs
  // the INSERT path; was refused by the server as a kind of statement; or (settled LOAD DATA)
  // gave each row its own verdict.
  enum class BulkResult { Stored, NotClean, Refused, Settled };
  enum class Verdict { Inserted, Duplicate, Pending };

 private:
  struct Item;
  struct BulkBuffers;
  bool bulkAvailable() const;
  BulkResult bulkStore(db::Connection& connection, std::span<const Row* const> rows,
                       BulkBuffers& buffers, std::vector<Verdict>& verdicts) const;
  BulkResult loadAndSettle(db::Connection& connection, std::span<const Row* const> rows,
                           BulkBuffers& buffers, std::vector<Verdict>& verdicts) const;
  void deliver(std::span<const Row* const> rows, const std::vector<std::size_t>& indices,
               std::size_t maxRows, std::vector<kit::EventResult>& results) const;

  std::shared_ptr<db::ConnectionPool> pool_;
  TableRef table_;
  StatementBuilder statements_;
  RetryPolicy retry_;
  std::optional<BulkLoad> bulk_;
  std::string loadSql_;
  std::string arraySql_;
};

// True for a refusal that concerns the rows' target rather than the login (no rights on that
// database or table, a read-only table or schema): those rows fail with 403 FORBIDDEN, and the
// rows for other databases are written.
bool refusesTarget(const db::Error& e);

// The outcomes the writer gives, in the shape of Segment's multi-status entries.
namespace outcome {
kit::EventResult inserted();
kit::EventResult duplicate();
kit::EventResult rejected(std::string error, std::string errorType = "PAYLOAD_VALIDATION_FAILED");
// From a database error that ends delivery for good (authentication, configuration, retries
// used up after `retriedForMs` milliseconds); 403 FORBIDDEN when refusesTarget(e).
kit::EventResult failed(const db::Error& e, long long retriedForMs = 0);
}  // namespace outcome

}  // namespace actions::singlestore
