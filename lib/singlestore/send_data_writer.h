// The Send Data action's writer: what the kit's perform / performBatch hand their validated
// payloads to. It runs the stages of this folder in a row —
//
//   payload --encodeRow--> Row --(group by database)--> table ensured --BatchWriter--> outcome
//
// — and answers every payload with a kit::EventResult:
//   inserted   200  stored now
//   duplicate  200  its messageId was stored already (earlier run, earlier copy in the call)
//   rejected   400  cannot be stored as it is: PAYLOAD_VALIDATION_FAILED (a value over 255
//                   characters, an unusable timestamp, a bad database name...) or BAD_REQUEST
//                   (the server refused the row, or the payload's database does not exist)
//   failed     401  INVALID_AUTHENTICATION (access denied)
//              503  RETRYABLE_ERROR (transient faults outlasted WriterOptions::retry.retryFor)
//              500  INTERNAL_SERVER_ERROR (anything else that stops delivery, e.g. a table that
//              cannot
//                   be made; a table dropped while running is made again)
//
// Thread safety: write() may be called from several threads at once on one writer; each call
// borrows its own connection from the writer's own pool (at most WriterOptions::maxConnections).
// Ordering across concurrent calls is the order of commits: when two calls carry the same
// messageId at the same time, whichever commits first is the stored copy. Callers that need the
// first copy in input order to win across batches write those batches one after the other.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

#include "db/pool.h"
#include "json/json.h"
#include "kit/result.h"
#include "singlestore/bulk_store.h"
#include "singlestore/dialect.h"
#include "singlestore/retry.h"
#include "singlestore/settings.h"
#include "singlestore/table.h"

namespace actions::singlestore {

// Which statement new rows go in with. Auto is what the server does best (bulk_store.h); the
// others rule paths out on purpose: the tests use them to run every path against MariaDB, and a
// host may use them to rule LOAD DATA out on a cluster that misbehaves with it. There is no
// environment switch: the choice is this option, made by whoever builds the writer.
enum class WritePath {
  Auto,             // arrays on MariaDB; else LOAD DATA as the dialect runs it (bulk_store.h:
                    // in a transaction, with ERRORS HANDLE on SingleStore); else INSERT
  LoadData,         // LOAD DATA as the dialect runs it, never arrays
  LoadDataSettled,  // LOAD DATA in autocommit and settled (SingleStore's fallback), any server
  Insert,           // multi-row INSERT only
};

// The name of a write path ("auto", "load-data", "load-data-settled", "insert"), and back.
std::string_view toString(WritePath path);
std::optional<WritePath> parseWritePath(std::string_view name);

struct WriterOptions {
  RetryPolicy retry;  // transient faults: backoff with jitter for up to retry.retryFor (2 min)
  std::size_t batchSize =
      0;  // rows per INSERT; 0: the smallest max_batch_size of the call's payloads
  unsigned connectTimeoutSec = 10;
  unsigned readTimeoutSec = 60;  // below any deadline a caller gives (write's deadlines)
  unsigned writeTimeoutSec = 60;
  std::size_t maxConnections = 8;  // the writer's own pool: connections open at once at most
  // New rows go in with the server's bulk statement (array binding on MariaDB, LOAD DATA LOCAL
  // INFILE from memory elsewhere; see bulk_store.h), with multi-row INSERT when the server allows
  // neither.
  bool bulkLoad = true;
  WritePath writePath = WritePath::Auto;  // with bulkLoad
};

// What checkConnection() found: `reason` is empty when the database takes writes now; else it
// says why not without naming the address, the user or the password (a public /ready may show
// it); `detail` is the full error, for the operator's log.
struct ConnectionCheck {
  std::string reason;
  std::string detail;
  bool ready() const { return reason.empty(); }
};

class SendDataWriter {
 public:
  explicit SendDataWriter(const Settings& settings, WriterOptions options = {});

  // Connects once, detects the dialect and creates the settings' table when missing (checking an
  // existing one). No retries: a caller uses it to fail fast (exit 2) on bad settings. Throws
  // db::Error.
  void prepare();

  // Writes payloads[i] and answers it in results[i] (results.size() must equal payloads.size()).
  // Each payload is a validated Send Data payload object: messageId, timestamp, type, optional
  // event, message, optional database, max_batch_size. Does not throw for database problems —
  // they become outcomes.
  // `deadlines`: one per payload, or none. A payload is never written after its deadline, and
  // no wait on the database for it lasts beyond it: at each retry point the payloads whose
  // deadline has passed are answered 503, the others retried until theirs (batch_writer.h).
  void write(std::span<const json::Value* const> payloads, std::span<kit::EventResult> results,
             std::span<const std::chrono::steady_clock::time_point> deadlines = {});

  // Whether the database takes writes now, decided within `bound` (a connection of its own, not
  // one of the pool's, so busy writers never delay it): it must connect, answer, and — when it
  // reports read_only — accept a write (a probe row inserted and rolled back).
  ConnectionCheck check(std::chrono::milliseconds bound = std::chrono::seconds(2));
  // check().reason: empty when ready.
  std::string checkConnection(std::chrono::milliseconds bound = std::chrono::seconds(2));
  // Transient faults retried so far, by every write of this writer.
  std::uint64_t retries() const { return retries_.load(std::memory_order_relaxed); }
  // The connections behind this writer (its own).
  const db::ConnectionPool& pool() const { return *pool_; }

  // The dialect, once known (after prepare() or a first write).
  std::optional<Dialect> dialect() const;

 private:
  // Makes sure `database`'s table exists (once per writer; again when a write finds it gone),
  // retrying transient faults. Returns the failure to give that database's rows, or nothing
  // when the table is ready.
  std::optional<kit::EventResult> ensureTableOnce(const std::string& database,
                                                  const RetryPolicy& retry);

  Settings settings_;
  WriterOptions options_;
  std::shared_ptr<db::ConnectionPool> pool_;
  mutable std::mutex mutex_;  // guards dialect_ and readyDatabases_
  std::optional<Dialect> dialect_;
  std::set<std::string> readyDatabases_;
  BulkFlags bulkFlags_;  // what the server refused of the bulk statements, shared by the writes
  std::atomic<std::uint64_t> retries_{0};
};

}  // namespace actions::singlestore
