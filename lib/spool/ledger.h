// The ledger: the sequence number of the last record delivered, every record up to it included.
// Two 32-byte slots written in turn, each with a generation and a checksum, so a write torn by a
// crash leaves the other slot (the previous position) readable. It is synced at most once a
// second: after a power loss the position may be a little behind, and the records past it are
// delivered again — which the table's messageId key answers as duplicates, never as second rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "spool/file.h"

namespace actions::spool {

class Ledger {
 public:
  // Opens (creating) the ledger file; the position is 0 (nothing delivered) for a new one or
  // when neither slot is readable.
  explicit Ledger(const std::string& path);
  std::uint64_t delivered() const { return delivered_; }
  // Records `sequence` as delivered; syncs when the last sync is a second old, or when `sync`.
  // Returns 0 or the errno of a failed write.
  int record(std::uint64_t sequence, bool sync = false);
  int sync();

 private:
  std::string path_;
  Fd fd_;
  std::uint64_t delivered_ = 0;
  std::uint64_t generation_ = 0;
  bool dirty_ = false;
  std::chrono::steady_clock::time_point lastSync_{};
};

}  // namespace actions::spool
