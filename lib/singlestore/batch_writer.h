// Stage 3 of the data path: rows for one table go into the server exactly once, each with its
// own outcome. The rules, and where each lives:
//
// * First copy wins (BatchWriter::write, below). Copies of a messageId within the call after the
//   first are duplicates; the first copy that the server stores (or finds stored) decides. A copy
//   the server refuses does not claim the messageId: the next copy gets its chance.
// * New rows go in with a bulk statement when the server has one (bulk_store.h), else with a
//   multi-row INSERT in a transaction, under strict SQL mode. (INSERT IGNORE is never used: it
//   would turn a refused row into a silently truncated one.)
// * Stored before? (delivery.h) After a duplicate-key error, or for rows in doubt, a chunk's
//   messageIds are looked up first; those already stored are duplicates. A duplicate-key error
//   from a racing writer makes the chunk look again, then split, so it cannot loop.
// * Bounded statements (rowsInOneStatement, statements.h): at most `maxRowsPerStatement` rows,
//   and below the server's max_allowed_packet; a single row larger than that is rejected.
// * A refused row does not cost its neighbours (delivery.h): the chunk is split in halves until
//   the row that the server refuses stands alone and is rejected with the server's reason.
// * Transient faults (delivery.h, retry.h) — lost connection, restart, deadlock, too many
//   connections... — are retried on a fresh connection with backoff and jitter, up to
//   RetryPolicy::retryFor after the first fault since the last progress, and never past a row's
//   own deadline: at each retry point the rows whose deadline has passed are failed (503) and
//   never written later; the others go on until theirs. Every wait on the server (a free
//   connection, connecting, an answer) ends by the earliest deadline of the rows it carries, so a
//   stalled server costs a caller its budget and no more.
// * A statement whose answer was lost (the link broke after the server received it) is "in
//   doubt": it may have committed. The retry looks its rows up first: a row found stored is
//   reported duplicate, never inserted — it may be this sender's lost statement or another
//   sender's copy stored in the same window, and nothing on the server tells them apart, so
//   `inserted` is kept for rows whose own statement's answer arrived. At most one sender ever
//   reports a messageId inserted. Writes run in transactions, so nothing is ever half-stored,
//   and a statement abandoned at a deadline is rolled back with its connection.
//
// Concurrent calls on one BatchWriter are safe (each uses its own leased connection); when two
// calls race on one messageId, the first to commit wins.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "db/pool.h"
#include "kit/result.h"
#include "singlestore/bulk_store.h"
#include "singlestore/retry.h"
#include "singlestore/row_encoder.h"
#include "singlestore/statements.h"
#include "singlestore/table.h"

namespace actions::singlestore {

class BatchWriter {
 public:
  using Clock = std::chrono::steady_clock;
  // Makes the table again on a connection when the server says it is missing (someone dropped
  // it): the contract creates the table when missing, at any time, not only at start.
  using TableMaker = std::function<void(db::Connection&)>;

  BatchWriter(std::shared_ptr<db::ConnectionPool> pool, const TableRef& table,
              RetryPolicy retry = {}, std::optional<BulkLoad> bulk = std::nullopt,
              TableMaker remakeTable = nullptr);

  // Writes `rows` into the table; the answer for rows[i] is result[i]. `deadlines`, when not
  // empty, holds one deadline per row: the latest it may be written, and the latest it may be
  // waited for. Never throws db::Error: every problem becomes the outcome of the rows it concerns.
  std::vector<kit::EventResult> write(std::span<const Row* const> rows,
                                      std::size_t maxRowsPerStatement,
                                      std::span<const Clock::time_point> deadlines = {}) const;

 private:
  std::shared_ptr<db::ConnectionPool> pool_;
  TableRef table_;
  StatementBuilder statements_;
  RetryPolicy retry_;
  std::optional<BulkStore> bulk_;
  TableMaker remakeTable_;
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
// A row whose own deadline passed before it could be stored (503; never written later).
// `lastFault`, when there was one, says what kept it from being stored.
kit::EventResult expired(const db::Error* lastFault);
}  // namespace outcome

}  // namespace actions::singlestore
