// A durable queue in front of a Destination: a host accepts events by appending their payloads
// to a Spool (on disk and fsync'd when append returns) and answers its client at once, while a
// SpoolDelivery moves them to the table in order of arrival, retrying for hours when the database
// is away. `serve --ack spool` is built this way (docs/serve.md, "The spool").
//
//   actions::Spool spool("/var/lib/events-spool");           // locks the directory
//   actions::Destination destination(settings);
//   actions::SpoolDelivery delivery(spool, destination);     // a thread of its own from here on
//   for (const auto& r : destination.resolve(events))        // per request
//     if (r.result.outcome == actions::Outcome::Validated) payloads.push_back(r.payloadJson);
//   if (spool.append(payloads).status == actions::SpoolAppend::Status::Appended) { /* 200 */ }
//
// On disk: segment files of records, each framed with its length and a checksum; a ledger of the
// last record delivered; a lock. A record that append() acknowledged survives the process being
// killed and the machine losing power; a record torn by a crash (never acknowledged) fails its
// checksum and is dropped when the spool is opened again.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "actions/destination.h"
#include "actions/export.h"

namespace actions {

struct SpoolOptions {
  // The most bytes the spool's segment files may hold; an append that would pass it is refused
  // (Full). Records are removed a segment at a time once all of its records are delivered.
  std::uint64_t maxBytes = std::uint64_t(4) << 30;
  // An append is refused (Full) while the file system holding the spool has less free than this.
  std::uint64_t minFreeBytes = std::uint64_t(512) << 20;
  // A segment file is closed and the next one begun once it holds this much (at most an eighth of
  // maxBytes, so delivered segments go away long before the spool is full).
  std::uint64_t segmentBytes = std::uint64_t(64) << 20;
};

// The directory cannot be used: not creatable, not writable, or damaged beyond recovery.
class ACTIONS_API SpoolError : public std::runtime_error {
 public:
  explicit SpoolError(const std::string& what) : std::runtime_error(what) {}
};

// Another Spool, in this process or another, has the directory open.
class ACTIONS_API SpoolLocked : public SpoolError {
 public:
  explicit SpoolLocked(const std::string& what) : SpoolError(what) {}
};

struct SpoolAppend {
  enum class Status {
    Appended,  // every payload is on disk (written and fsync'd)
    Full,      // nothing appended: maxBytes or minFreeBytes would be passed; retry later
    Failed,    // nothing appended: the file system refused (the reason is in error)
  };
  Status status = Status::Failed;
  std::uint64_t firstSequence = 0;  // Appended: the first payload's sequence number
  std::string error;                // Full, Failed: why
  bool ok() const { return status == Status::Appended; }
};

// A record read back: what was appended, and when.
struct SpoolRecord {
  std::uint64_t sequence = 0;     // increasing in order of arrival
  std::int64_t appendedAtMs = 0;  // Unix time in milliseconds
  std::string payload;
};

struct SpoolStats {
  std::uint64_t bytes = 0;           // held by the segment files on disk now
  std::uint64_t maxBytes = 0;        // the cap in force
  std::uint64_t recordsWaiting = 0;  // appended and not yet acknowledged as delivered
  double oldestAgeSeconds = 0;       // the oldest waiting record's age (0 when none waits)
  std::uint64_t segments = 0;        // segment files now
  std::uint64_t appended = 0;        // records appended since the spool was opened
  std::uint64_t commits = 0;         // fsyncs that made appends durable (group commit: few)
  std::uint64_t refusedFull = 0;     // appends refused because the spool or the disk was full
  bool broken = false;               // an fsync failed: nothing more is accepted (see error)
  std::string error;                 // why, when broken
};

// What opening the spool found on disk.
struct SpoolRecovery {
  std::uint64_t recordsWaiting = 0;  // records left by an earlier run, not yet delivered
  std::uint64_t segments = 0;        // segment files found
  std::uint64_t tornBytes = 0;       // bytes of a torn last record dropped (never acknowledged)
  // Bytes after a bad record inside an earlier segment (damage, not a crash): moved aside into a
  // file named in `notes`, never silently dropped.
  std::uint64_t damagedBytes = 0;
  std::vector<std::string> notes;  // one line per thing repaired
};

// The spool: one directory, one process. Any number of threads may append at once; concurrent
// appends share one write and one fsync (group commit). One consumer reads and acknowledges.
class ACTIONS_API Spool {
 public:
  // Opens the spool in `directory` (created when missing), recovers what an earlier run left
  // and locks it. Throws SpoolLocked when another Spool holds it, SpoolError when it cannot be
  // used; std::invalid_argument for options out of range.
  explicit Spool(const std::string& directory, const SpoolOptions& options = SpoolOptions());
  // Syncs the ledger and unlocks. Appends and reads in progress must have returned.
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends the payloads as consecutive records; returns once they are durable (or refused as a
  // whole). Thread-safe.
  SpoolAppend append(const std::vector<std::string_view>& payloads);
  // Whether an append of `bytes` would be taken now (capacity and free disk, as append judges).
  bool accepts(std::uint64_t bytes = 0) const;

  // The consumer's side, for one thread at a time. The next records after those already read
  // (from the first unacknowledged one, after opening), at most `maxRecords` and about `maxBytes`
  // (at least one record); waits up to `wait` for one to be appended when none is there.
  std::vector<SpoolRecord> read(std::size_t maxRecords, std::size_t maxBytes,
                                std::chrono::milliseconds wait);
  // Every record up to and including `sequence` is delivered: it will not be read again after a
  // restart, and segments holding only delivered records are deleted.
  void acknowledge(std::uint64_t sequence);
  // Makes the next read() start again after the last acknowledged record.
  void rewind();

  SpoolStats stats() const;
  const SpoolRecovery& recovery() const;
  const std::string& directory() const;

  struct Impl;  // private to the library

 private:
  std::unique_ptr<Impl> impl_;
};

struct SpoolDeliveryOptions {
  // How long a record's delivery is retried, counted from its acceptance, before it is written
  // to the dead-letter file instead (never dropped). Segment retries a destination for hours.
  std::chrono::milliseconds retryFor = std::chrono::hours(4);
  // Records per delivery call; 0: the Destination's batchSize().
  std::size_t batchSize = 0;
  // Delivery calls in progress at once (each in its own thread).
  unsigned concurrency = 2;
  // The wait after a failed delivery, doubled after each further one up to maxBackoff.
  std::chrono::milliseconds firstBackoff{250};
  std::chrono::milliseconds maxBackoff{5000};
  // Where records the database refuses go, one JSON object per line; empty: dead-letters.ndjson
  // in the spool's directory.
  std::string deadLetterPath;
};

// What a SpoolDelivery tells its host (for its logs).
struct SpoolNotice {
  enum class Kind {
    Stalled,       // a delivery failed: the records are kept and retried with backoff
    Recovered,     // a delivery succeeded again after a stall
    DeadLettered,  // records the database refused (or that ran out of retryFor) went aside
  };
  Kind kind = Kind::Stalled;
  std::uint64_t events = 0;   // Stalled: records waiting; Recovered: delivered by that call;
                              // DeadLettered: records written to the dead-letter file
  double seconds = 0;         // Recovered: how long delivery was stalled
  std::uint64_t retries = 0;  // Recovered: failed attempts during the stall
  std::string error;          // Stalled: why; DeadLettered: the first record's reason
  std::string path;           // DeadLettered: the dead-letter file
};

struct SpoolDeliveryStats {
  std::uint64_t inserted = 0;
  std::uint64_t duplicate = 0;     // already in the table: a redelivery after a crash, or a repeat
  std::uint64_t deadLettered = 0;  // written to the dead-letter file
  std::uint64_t retries = 0;       // failed delivery attempts that were retried
  std::uint64_t deliveries = 0;    // delivery calls made
  bool stalled = false;            // the last delivery failed
  double stalledSeconds = 0;       // since when, while stalled
  std::string lastError;           // the last failure's reason
};

// Moves a spool's records into a Destination, in order of arrival: threads of its own read
// records, deliver them (Destination::performPayloads), and acknowledge them once every record
// is inserted or a duplicate — or refused by the database (outcome Rejected) and written with its
// reason to the dead-letter file, so it blocks nothing behind it. A failed delivery (database
// down, too busy...) is retried with backoff, for SpoolDeliveryOptions::retryFor.
class ACTIONS_API SpoolDelivery {
 public:
  // One call's worth of payloads in, one result per payload out (in order).
  using Deliver = std::function<std::vector<EventResult>(const std::vector<std::string_view>&)>;
  using Notify = std::function<void(const SpoolNotice&)>;

  // Delivers through `destination.performPayloads`. Both must outlive this object. The notices
  // also reach the Destination's hooks (SendOptions::hooks: a log line each, and the
  // spool.stalls / spool.dead_lettered counters of hooks.h), whether or not `notify` is given.
  SpoolDelivery(Spool& spool, Destination& destination,
                const SpoolDeliveryOptions& options = SpoolDeliveryOptions(), Notify notify = {});
  // Delivers through any function with performPayloads' contract (a host's own sink, a test's).
  // options.batchSize 0 means 1000 here.
  SpoolDelivery(Spool& spool, Deliver deliver,
                const SpoolDeliveryOptions& options = SpoolDeliveryOptions(), Notify notify = {});
  // stop().
  ~SpoolDelivery();
  SpoolDelivery(const SpoolDelivery&) = delete;
  SpoolDelivery& operator=(const SpoolDelivery&) = delete;

  // Waits until no record waits (everything appended so far is delivered or dead-lettered), or
  // until `deadline`; true when none waits.
  bool drain(std::chrono::steady_clock::time_point deadline);
  // No delivery begins after this; returns once the calls in progress have returned (each within
  // the Destination's own retryFor). Records not acknowledged stay in the spool for the next run.
  void stop();

  SpoolDeliveryStats stats() const;

  struct Impl;  // private to the library

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
