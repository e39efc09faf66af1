// Reads a segment file's records in order, a buffered chunk at a time, up to a given end (the
// bytes known to be durable). Used to recover a spool when it is opened and to read it.
#pragma once

#include <cstdint>
#include <string>

#include "spool/frame.h"

namespace actions::spool {

class SegmentCursor {
 public:
  SegmentCursor(int fd, std::uint64_t offset) : fd_(fd), offset_(offset) {}

  enum class Step { Record, End, Torn, Corrupt, IoError };
  // The next record before `end`: Record (in `frame`, whose payload is valid until the next
  // call), End (exactly at `end`), Torn (a frame runs past `end`), Corrupt (bad checksum), or
  // IoError (errno in error()). offset() stays at the start of a record that was not returned.
  Step next(std::uint64_t end, Frame& frame);
  std::uint64_t offset() const { return offset_; }
  int error() const { return error_; }

 private:
  bool fill(std::size_t atLeast, std::uint64_t end);

  int fd_;
  std::uint64_t offset_;  // file offset of the next record
  std::string buffer_;    // file bytes from bufferStart_
  std::uint64_t bufferStart_ = 0;
  int error_ = 0;
};

}  // namespace actions::spool
