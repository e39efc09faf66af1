// One round of BatchWriter::write (batch_writer.h): the rows of one set of first copies go into
// the table, each with its answer. A queue of works — slices of the rows with what is known about
// them — is taken front first; each turn is one attempt:
//
//   expire   rows whose own deadline has passed are answered 503 and leave the work
//   budget   the longest prefix that fits one statement (rowsInOneStatement); the rest waits
//   store    rows believed new: the bulk statement (bulk_store.h), or a multi-row INSERT in a
//            transaction
//   look up  rows in doubt, or after a duplicate-key error: which are stored (duplicates), then
//            INSERT the others
//
// and a fault of the attempt is decided by its class (onFault): retried on a fresh connection
// with backoff (rows of a statement whose answer was lost marked in doubt), split in halves until
// a refused row stands alone, looked up again after a duplicate-key error, the table made again
// when it went missing, or the end of the round for the rows concerned.
#pragma once

#include <chrono>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "db/error.h"
#include "db/pool.h"
#include "kit/result.h"
#include "singlestore/batch_writer.h"
#include "singlestore/bulk_store.h"
#include "singlestore/retry.h"
#include "singlestore/statements.h"

namespace actions::singlestore {

class Delivery {
 public:
  using Clock = std::chrono::steady_clock;

  // What the writer lends a round.
  struct Setup {
    db::ConnectionPool& pool;
    const StatementBuilder& statements;
    const RetryPolicy& retry;
    const BulkStore* bulk;  // null: multi-row INSERT only
    const BatchWriter::TableMaker& remakeTable;
    std::size_t maxRows;
  };

  Delivery(const Setup& setup, std::span<const Row* const> rows,
           std::span<const Clock::time_point> deadlines, std::span<kit::EventResult> results);

  // Delivers rows[i] for each i of `indices` (in order), answering results[i].
  void run(const std::vector<std::size_t>& indices);

 private:
  struct Item {
    std::size_t index;     // into the rows of write()
    bool inDoubt = false;  // a statement holding this row may have committed unseen
  };
  struct Work {
    std::vector<Item> items;
    // Duplicate-key errors this work has met: the first makes it look again, later ones split
    // it; a single row looks once more after its own (it may be ours, committed in doubt),
    // then the server's word is final.
    unsigned duplicateErrors = 0;
    // New rows are the common case: insert straight away and look up what is stored only
    // after a duplicate-key error (or when an earlier answer was lost), which halves the
    // server's work per batch. Once a work has had to look, its pieces keep looking.
    bool lookFirst = false;
    // Rows a bulk load could not take cleanly go in with INSERT, which can tell why.
    bool noBulk = false;
  };
  enum class Phase { Connecting, LookingUp, Inserting };

  // Answers the rows of `work` whose deadline has passed; false when none is left.
  bool expire(Work& work);
  // One attempt at the front of `work` (the rest is queued again). Throws db::Error.
  void attempt(Work& work);
  void storeNew(Work& work);
  void lookUpThenInsert(Work& work);
  // INSERT of `items` in a transaction: a statement abandoned at a deadline is rolled back with
  // its connection, never committed after its rows were answered.
  void insert(const std::vector<Item>& items);
  // Decides what a fault of the attempt on `work` means; false when the round is over.
  bool onFault(const db::Error& e, Work& work);
  void splitInHalves(std::vector<Item>& items, unsigned duplicateErrors, bool lookFirst);
  void endAll(const std::vector<Item>& current, const kit::EventResult& r);
  std::span<const Row* const> rowsOf(const std::vector<Item>& items);
  std::optional<Clock::time_point> earliestDeadline(const std::vector<Item>& items) const;
  // The latest deadline of every row still to answer (none: some row has no deadline).
  std::optional<Clock::time_point> latestDeadline(const std::vector<Item>& current) const;

  const Setup& setup_;
  std::span<const Row* const> rows_;
  std::span<const Clock::time_point> deadlines_;
  std::span<kit::EventResult> results_;

  std::deque<Work> queue_;
  Backoff backoff_;
  db::ConnectionPool::Lease lease_;
  Phase phase_ = Phase::Connecting;
  std::vector<Item> toInsert_;  // the rows of the statement in flight
  Clock::time_point attemptStarted_;
  std::optional<db::Error> lastFault_;
  bool tableRemade_ = false;  // once per round: a table that keeps vanishing is an error
  std::string sql_;
  BulkStore::Buffers bulkBuffers_;
  std::vector<const Row*> batch_;
};

}  // namespace actions::singlestore
