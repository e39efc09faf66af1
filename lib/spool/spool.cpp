// actions::Spool (include/actions/spool.h): a segmented append-only log with group commit.
//
// Appenders encode their records into one pending buffer under the mutex; the first appender
// that finds no write in progress becomes the leader, takes the whole buffer, writes it with one
// pwrite and one fdatasync, and wakes everyone whose records it carried. Appenders that arrive
// meanwhile gather into the next buffer, so under load one fsync serves many requests.
// Opening (recovery.h) and the in-memory picture of the files (log_layout.h) are apart.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "actions/spool.h"
#include "spool/directory_lock.h"
#include "spool/file.h"
#include "spool/frame.h"
#include "spool/ledger.h"
#include "spool/log_layout.h"
#include "spool/recovery.h"
#include "spool/segment_cursor.h"

namespace actions {

namespace fs = std::filesystem;
using namespace spool;

namespace {

constexpr std::uint64_t kMinMaxBytes = 64 * 1024;
constexpr std::uint64_t kMinSegmentBytes = 4 * 1024;

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string byteCount(std::uint64_t n) {
  char buf[32];
  if (n >= (1u << 30))
    std::snprintf(buf, sizeof buf, "%.1f GiB", double(n) / double(1u << 30));
  else if (n >= (1u << 20))
    std::snprintf(buf, sizeof buf, "%.1f MiB", double(n) / double(1u << 20));
  else
    std::snprintf(buf, sizeof buf, "%llu bytes", static_cast<unsigned long long>(n));
  return buf;
}

}  // namespace

struct Spool::Impl {
  // Records accepted by one append: first..last at atMs.
  struct Appended {
    std::uint64_t first = 0, last = 0;
    std::int64_t atMs = 0;
  };
  // The records one leader writes; its appenders wait for `done`.
  struct Group {
    bool done = false;
    std::string error;
  };

  std::string dir;
  SpoolOptions options;
  std::uint64_t segmentLimit = 0;
  std::optional<DirectoryLock> lock;
  std::mutex
      ledgerMutex;  // the ledger's writes stay outside `mutex` (appenders never wait on them)
  std::optional<Ledger> ledger;
  SpoolRecovery recovered;

  mutable std::mutex mutex;
  std::condition_variable committed;  // a group is durable (appenders wait)
  std::condition_variable readable;   // records became durable (the reader waits)

  std::deque<Segment> segments;  // in order; the last is the active one once written to
  bool activeOpen = false;       // segments.back() is this run's, open in `active`
  Fd active;                     // only the leader touches it
  std::uint64_t bytes = 0;       // sum of segments' bytes
  WaitingRecords waiting;        // durable, not yet delivered
  std::uint64_t delivered = 0;   // acknowledged up to here
  std::uint64_t nextSequence = 1;
  std::uint64_t lastDurable = 0;

  std::string pending;  // frames of the open group
  std::vector<Appended> pendingRuns;
  std::uint64_t pendingBytes = 0, writingBytes = 0;
  std::shared_ptr<Group> open = std::make_shared<Group>();
  bool flushing = false;
  std::string spare;  // the buffer of the last write, reused

  bool broken = false;
  std::string brokenError;
  std::uint64_t appended = 0, commits = 0, refusedFull = 0;

  mutable std::uint64_t freeCache = 0;
  mutable std::chrono::steady_clock::time_point freeCheckedAt{};
  mutable std::uint64_t appendedSinceFreeCheck = 0;

  // The reader (one consumer).
  std::mutex readerMutex;
  std::uint64_t readNext = 1;              // the next sequence to hand out
  std::optional<std::uint64_t> readFirst;  // the segment the cursor is in
  Fd readFd;
  std::optional<SegmentCursor> cursor;

  Impl(const std::string& directory, const SpoolOptions& o) : dir(directory), options(o) {
    if (options.maxBytes < kMinMaxBytes)
      throw std::invalid_argument("the spool's maxBytes must be at least 64 KiB");
    if (options.segmentBytes < kMinSegmentBytes)
      throw std::invalid_argument("the spool's segmentBytes must be at least 4 KiB");
    segmentLimit = std::max(kMinSegmentBytes, std::min(options.segmentBytes, options.maxBytes / 8));
    std::error_code ec;
    // Events are users' data: a spool this process creates is its owner's alone.
    if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);
    if (ec || !fs::is_directory(dir))
      throw SpoolError("cannot use " + dir +
                       " as the spool directory: " + (ec ? ec.message() : "it is not a directory"));
    lock.emplace(dir);
    ledger.emplace(dir + "/ledger");
    delivered = ledger->delivered();
    RecoveredLog log = recoverLog(dir, delivered, segmentLimit);
    segments = std::move(log.segments);
    waiting = std::move(log.waiting);
    bytes = log.bytes;
    nextSequence = log.highest + 1;
    lastDurable = log.highest;
    recovered = std::move(log.report);
    readNext = delivered + 1;
  }

  // --- appending ---------------------------------------------------------------------------

  std::uint64_t freeNow() const {
    auto now = std::chrono::steady_clock::now();
    if (now - freeCheckedAt > std::chrono::milliseconds(250) ||
        appendedSinceFreeCheck > (std::uint64_t(16) << 20)) {
      freeCache = freeBytes(dir);
      freeCheckedAt = now;
      appendedSinceFreeCheck = 0;
    }
    return freeCache;
  }

  // Why `size` more bytes cannot be taken now; empty when they can. Under the mutex.
  std::string whyFull(std::uint64_t size) const {
    std::uint64_t held = bytes + pendingBytes + writingBytes;
    if (held + size > options.maxBytes)
      return "the spool holds " + byteCount(held) + " of its " + byteCount(options.maxBytes) +
             " (maxBytes) until delivery frees some";
    std::uint64_t avail = freeNow();
    std::uint64_t after =
        avail > pendingBytes + writingBytes + size ? avail - pendingBytes - writingBytes - size : 0;
    if (after < options.minFreeBytes)
      return "the file system of " + dir + " has " + byteCount(avail) + " free, under the " +
             byteCount(options.minFreeBytes) + " the spool leaves free (minFreeBytes)";
    return {};
  }

  // Writes one group's frames: into the active segment, or into a new one when there is none
  // yet or it is full. Returns the error text, empty on success; sets `fatal` when the data may
  // be lost whatever happens next (a failed fsync).
  std::string writeGroup(const std::string& frames, std::uint64_t first, bool roll,
                         std::uint64_t activeBytes, bool& fatal, bool& rolled) {
    rolled = false;
    if (roll) {
      std::string path = dir + "/" + segmentFileName(first);
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (fd < 0) return systemError("cannot create", path, errno);
      Fd file(fd);
      std::string head = segmentHeader(first);
      int err = writeAt(fd, head, 0);
      if (!err) err = writeAt(fd, frames, head.size());
      if (err) {
        ::unlink(path.c_str());
        return systemError("cannot write", path, err);
      }
      if ((err = syncData(fd)) || (err = syncDirectory(dir))) {
        fatal = true;
        return systemError("cannot sync", path, err);
      }
      active = std::move(file);
      rolled = true;
      return {};
    }
    const std::string& path = segments.back().path;  // only the leader changes segments' paths
    if (int err = writeAt(active.get(), frames, activeBytes)) {
      // Leave no partial record behind for the next group to follow.
      if (::ftruncate(active.get(), static_cast<off_t>(activeBytes)) != 0) fatal = true;
      return systemError("cannot write", path, err);
    }
    if (int err = syncData(active.get())) {
      fatal = true;
      return systemError("cannot sync", path, err);
    }
    return {};
  }

  // Called by an appender holding the lock whose group is not yet written and no one writes.
  void lead(std::unique_lock<std::mutex>& lk) {
    flushing = true;
    std::shared_ptr<Group> group = std::move(open);
    open = std::make_shared<Group>();
    std::string frames;
    frames.swap(pending);
    pending.swap(spare);
    pending.clear();
    std::vector<Appended> groupRuns;
    groupRuns.swap(pendingRuns);
    writingBytes = pendingBytes;
    pendingBytes = 0;
    const std::uint64_t first = groupRuns.front().first, last = groupRuns.back().last;
    const bool roll = !activeOpen || segments.back().bytes >= segmentLimit;
    const std::uint64_t activeBytes = activeOpen ? segments.back().bytes : 0;

    lk.unlock();
    bool fatal = false, rolled = false;
    std::string error = writeGroup(frames, first, roll, activeBytes, fatal, rolled);
    lk.lock();

    if (error.empty()) {
      if (rolled) {
        segments.push_back(Segment{first, last, kSegmentHeaderBytes + frames.size(),
                                   dir + "/" + segmentFileName(first)});
        bytes += kSegmentHeaderBytes + frames.size();
        activeOpen = true;
      } else {
        segments.back().last = last;
        segments.back().bytes += frames.size();
        bytes += frames.size();
      }
      for (const Appended& r : groupRuns) {
        waiting.add(r.first, r.last, r.atMs);
        appended += r.last - r.first + 1;
      }
      lastDurable = last;
      ++commits;
      appendedSinceFreeCheck += frames.size();
    } else if (fatal) {
      broken = true;
      brokenError = error +
                    " (records since the last good sync may be lost: the spool takes "
                    "no more until the process is restarted)";
    }
    writingBytes = 0;
    frames.clear();
    spare.swap(frames);
    group->done = true;
    group->error = error;
    flushing = false;
    committed.notify_all();
    if (error.empty()) readable.notify_all();
  }

  SpoolAppend append(const std::vector<std::string_view>& payloads) {
    SpoolAppend result;
    std::uint64_t size = 0;
    for (auto p : payloads) {
      if (p.size() > std::numeric_limits<std::uint32_t>::max()) {
        result.error = "a record of " + byteCount(p.size()) + " is over the 4 GiB a record holds";
        return result;
      }
      size += frameSize(p.size());
    }
    std::unique_lock lk(mutex);
    if (broken) {
      result.error = brokenError;
      return result;
    }
    if (size > options.maxBytes) {
      result.error = "the records (" + byteCount(size) + ") are more than the spool holds (" +
                     byteCount(options.maxBytes) + ", maxBytes)";
      return result;
    }
    if (payloads.empty()) {
      result.status = SpoolAppend::Status::Appended;
      result.firstSequence = nextSequence;
      return result;
    }
    if (std::string why = whyFull(size); !why.empty()) {
      ++refusedFull;
      result.status = SpoolAppend::Status::Full;
      result.error = std::move(why);
      return result;
    }
    const std::int64_t at = nowMs();
    result.firstSequence = nextSequence;
    for (auto p : payloads) appendFrame(pending, nextSequence++, at, p);
    pendingRuns.push_back(Appended{result.firstSequence, nextSequence - 1, at});
    pendingBytes += size;
    std::shared_ptr<Group> group = open;
    while (!group->done) {
      if (!flushing)
        lead(lk);
      else
        committed.wait(lk);
    }
    if (!group->error.empty()) {
      result.error = group->error;
      return result;
    }
    result.status = SpoolAppend::Status::Appended;
    return result;
  }

  // --- reading -----------------------------------------------------------------------------

  // The segment holding `sequence` or the first after it; nullptr when there is none. Locked.
  const Segment* segmentFor(std::uint64_t sequence) const {
    for (const Segment& s : segments)
      if (s.last >= sequence && s.last >= s.first) return &s;
    return nullptr;
  }

  std::vector<SpoolRecord> read(std::size_t maxRecords, std::size_t maxBytes,
                                std::chrono::milliseconds wait) {
    std::lock_guard readerLock(readerMutex);
    std::vector<SpoolRecord> out;
    if (maxRecords == 0) return out;
    std::unique_lock lk(mutex);
    readable.wait_for(lk, wait, [&] { return lastDurable >= readNext; });
    std::size_t taken = 0;
    while (out.size() < maxRecords && taken < maxBytes && lastDurable >= readNext) {
      const Segment* seg = segmentFor(readNext);
      if (!seg) break;
      if (!readFirst || *readFirst != seg->first) {
        readFd = openFile(seg->path, O_RDONLY);
        cursor.emplace(readFd.get(), kSegmentHeaderBytes);
        readFirst = seg->first;
      }
      const std::uint64_t end = seg->bytes;
      const std::string path = seg->path;  // `seg` may go once the lock is released
      lk.unlock();
      Frame frame;
      SegmentCursor::Step step = SegmentCursor::Step::End;
      while (out.size() < maxRecords && taken < maxBytes &&
             (step = cursor->next(end, frame)) == SegmentCursor::Step::Record) {
        if (frame.sequence < readNext) continue;  // acknowledged before a restart or rewind
        out.push_back(SpoolRecord{frame.sequence, frame.appendedAtMs, std::string(frame.payload)});
        taken += frame.payload.size();
        readNext = frame.sequence + 1;
      }
      lk.lock();
      if (step == SegmentCursor::Step::IoError)
        throw SpoolError(systemError("cannot read", path, cursor->error()));
      if (step == SegmentCursor::Step::Torn || step == SegmentCursor::Step::Corrupt)
        throw SpoolError("the spool segment " + path + " changed under the reader at byte " +
                         std::to_string(cursor->offset()));
    }
    return out;
  }

  void rewind() {
    std::lock_guard readerLock(readerMutex);
    std::lock_guard lk(mutex);
    readNext = delivered + 1;
    readFirst.reset();
    cursor.reset();
    readFd = Fd();
  }

  void acknowledge(std::uint64_t sequence) {
    std::vector<std::string> gone;
    {
      std::lock_guard lk(mutex);
      sequence = std::min(sequence, lastDurable);
      if (sequence <= delivered) return;
      waiting.deliveredUpTo(sequence);
      delivered = sequence;
      // Whole segments of delivered records go; the active one stays open for appends.
      while (!segments.empty() && segments.front().last <= delivered &&
             !(activeOpen && segments.size() == 1)) {
        gone.push_back(segments.front().path);
        bytes -= segments.front().bytes;
        segments.pop_front();
      }
    }
    {
      std::lock_guard lk(ledgerMutex);
      ledger->record(sequence);
    }
    for (const auto& path : gone) ::unlink(path.c_str());
  }

  SpoolStats stats() const {
    std::lock_guard lk(mutex);
    SpoolStats s;
    s.bytes = bytes;
    s.maxBytes = options.maxBytes;
    s.recordsWaiting = waiting.count();
    if (auto oldest = waiting.oldestAtMs())
      s.oldestAgeSeconds = std::max<double>(0, double(nowMs() - *oldest) / 1e3);
    s.segments = segments.size();
    s.appended = appended;
    s.commits = commits;
    s.refusedFull = refusedFull;
    s.broken = broken;
    s.error = brokenError;
    return s;
  }
};

Spool::Spool(const std::string& directory, const SpoolOptions& options)
    : impl_(std::make_unique<Impl>(directory, options)) {}

Spool::~Spool() {
  std::lock_guard lk(impl_->ledgerMutex);
  impl_->ledger->sync();
}

SpoolAppend Spool::append(const std::vector<std::string_view>& payloads) {
  return impl_->append(payloads);
}

bool Spool::accepts(std::uint64_t bytes) const {
  std::lock_guard lk(impl_->mutex);
  return !impl_->broken && impl_->whyFull(bytes).empty();
}

std::vector<SpoolRecord> Spool::read(std::size_t maxRecords, std::size_t maxBytes,
                                     std::chrono::milliseconds wait) {
  return impl_->read(maxRecords, maxBytes, wait);
}

void Spool::acknowledge(std::uint64_t sequence) {
  impl_->acknowledge(sequence);
}

void Spool::rewind() {
  impl_->rewind();
}

SpoolStats Spool::stats() const {
  return impl_->stats();
}

const SpoolRecovery& Spool::recovery() const {
  return impl_->recovered;
}

const std::string& Spool::directory() const {
  return impl_->dir;
}

}  // namespace actions
