// Opening a spool: its segment files read through in order, every record's checksum checked. A
// torn last record (a crash during its write: never acknowledged) is cut off; bad bytes anywhere
// else (damage, not a crash) are moved aside into `<segment>.damaged`; segments whose records are
// all delivered are deleted. What was repaired is reported, one note per thing.
#pragma once

#include <cstdint>
#include <deque>
#include <string>

#include "actions/spool.h"
#include "spool/log_layout.h"

namespace actions::spool {

struct RecoveredLog {
  std::deque<Segment> segments;  // holding undelivered records, in order
  WaitingRecords waiting;        // records after `delivered`
  std::uint64_t bytes = 0;       // of the segments kept
  std::uint64_t highest = 0;     // the highest sequence seen (or `delivered`)
  SpoolRecovery report;
};

// `delivered`: the ledger's position. `segmentLimit`: the most a segment's last write can add
// (bad bytes past the last good record of the last segment, up to that much, are a torn write).
// Throws SpoolError when a file cannot be read or repaired.
RecoveredLog recoverLog(const std::string& dir, std::uint64_t delivered,
                        std::uint64_t segmentLimit);

}  // namespace actions::spool
