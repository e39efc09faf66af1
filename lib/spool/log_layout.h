// What the spool keeps in memory about its files: the segments in order, and the records waiting
// for delivery (their count, and when the oldest was accepted), plus how segment files are named.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>

namespace actions::spool {

// A segment file holding records first..last (last = first - 1 while it has none); `bytes` is
// what is durable: a reader reads no further.
struct Segment {
  std::uint64_t first = 0;
  std::uint64_t last = 0;
  std::uint64_t bytes = 0;
  std::string path;
};

// The records appended and not yet delivered, as runs of consecutive sequence numbers accepted
// within the same second: a few entries however long the backlog, enough for the count and for
// the oldest record's age to the second.
class WaitingRecords {
 public:
  // Records first..last, accepted at `atMs` (Unix ms), wait (after every record added so far).
  void add(std::uint64_t first, std::uint64_t last, std::int64_t atMs);
  // Every record up to `sequence` is delivered.
  void deliveredUpTo(std::uint64_t sequence);
  std::uint64_t count() const { return count_; }
  // When the oldest waiting record was accepted; nullopt when none waits.
  std::optional<std::int64_t> oldestAtMs() const;

 private:
  struct Run {
    std::uint64_t first = 0, last = 0;
    std::int64_t atMs = 0;
  };
  std::deque<Run> runs_;
  std::uint64_t count_ = 0;
};

// "segment-00000000000000000042.log" for a segment whose first record is 42.
std::string segmentFileName(std::uint64_t first);
// The first sequence a segment file's name carries; nullopt for other files.
std::optional<std::uint64_t> segmentFileNumber(const std::string& name);

}  // namespace actions::spool
