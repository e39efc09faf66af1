#include "spool/ledger.h"

#include <fcntl.h>
#include <xxhash.h>

#include <cstring>

namespace actions::spool {
namespace {

constexpr std::size_t kSlotBytes = 32;
constexpr char kMagic[4] = {'A', 'S', 'L', 'G'};

std::uint32_t slotChecksum(const unsigned char* slot) {
  return static_cast<std::uint32_t>(XXH3_64bits(slot + 8, kSlotBytes - 8));
}

void put(unsigned char* p, std::uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) p[i] = static_cast<unsigned char>((v >> (8 * i)) & 0xff);
}
std::uint64_t get(const unsigned char* p, int bytes) {
  std::uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= std::uint64_t(p[i]) << (8 * i);
  return v;
}

// Slot layout: magic (4) | XXH3 of bytes 8..31, low 32 bits (4) | generation (8) | delivered (8) |
// zero (8).
bool readSlot(const std::string& bytes, std::size_t at, std::uint64_t& generation,
              std::uint64_t& delivered) {
  if (bytes.size() < at + kSlotBytes) return false;
  auto* s = reinterpret_cast<const unsigned char*>(bytes.data() + at);
  if (std::memcmp(s, kMagic, 4) != 0 || get(s + 4, 4) != slotChecksum(s)) return false;
  generation = get(s + 8, 8);
  delivered = get(s + 16, 8);
  return true;
}

}  // namespace

Ledger::Ledger(const std::string& path) : path_(path), fd_(openFile(path, O_RDWR | O_CREAT, 0600)) {
  std::string bytes;
  readAt(fd_.get(), bytes, 2 * kSlotBytes, 0);
  std::uint64_t g0 = 0, d0 = 0, g1 = 0, d1 = 0;
  bool ok0 = readSlot(bytes, 0, g0, d0), ok1 = readSlot(bytes, kSlotBytes, g1, d1);
  if (ok0 && (!ok1 || g0 > g1)) {
    generation_ = g0;
    delivered_ = d0;
  } else if (ok1) {
    generation_ = g1;
    delivered_ = d1;
  }
}

int Ledger::record(std::uint64_t sequence, bool syncNow) {
  if (sequence <= delivered_ && !syncNow) return 0;
  if (sequence > delivered_) {
    unsigned char slot[kSlotBytes] = {};
    std::memcpy(slot, kMagic, 4);
    put(slot + 8, generation_ + 1, 8);
    put(slot + 16, sequence, 8);
    put(slot + 4, slotChecksum(slot), 4);
    std::uint64_t at = ((generation_ + 1) % 2) * kSlotBytes;
    if (int err = writeAt(fd_.get(), {reinterpret_cast<char*>(slot), kSlotBytes}, at)) return err;
    ++generation_;
    delivered_ = sequence;
    dirty_ = true;
  }
  auto now = std::chrono::steady_clock::now();
  if (syncNow || now - lastSync_ >= std::chrono::seconds(1)) return sync();
  return 0;
}

int Ledger::sync() {
  lastSync_ = std::chrono::steady_clock::now();
  if (!dirty_) return 0;
  dirty_ = false;
  return syncData(fd_.get());
}

}  // namespace actions::spool
