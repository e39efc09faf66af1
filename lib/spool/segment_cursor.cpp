#include "spool/segment_cursor.h"

#include <algorithm>

#include "spool/file.h"

namespace actions::spool {
namespace {
constexpr std::size_t kChunk = 1 << 20;
}

// Makes the buffer hold at least `atLeast` bytes from offset_ (fewer when `end` comes first).
bool SegmentCursor::fill(std::size_t atLeast, std::uint64_t end) {
  std::uint64_t have = offset_ >= bufferStart_ && offset_ <= bufferStart_ + buffer_.size()
                           ? bufferStart_ + buffer_.size() - offset_
                           : 0;
  if (have >= atLeast) return true;
  std::uint64_t want = std::min<std::uint64_t>(std::max<std::uint64_t>(atLeast, kChunk),
                                               end > offset_ ? end - offset_ : 0);
  std::string chunk;
  if (int err = readAt(fd_, chunk, static_cast<std::size_t>(want), offset_)) {
    error_ = err;
    return false;
  }
  buffer_ = std::move(chunk);
  bufferStart_ = offset_;
  return true;
}

SegmentCursor::Step SegmentCursor::next(std::uint64_t end, Frame& frame) {
  if (offset_ >= end) return Step::End;
  if (!fill(kFrameHeaderBytes, end)) return Step::IoError;
  std::string_view view(buffer_);
  view.remove_prefix(static_cast<std::size_t>(offset_ - bufferStart_));
  if (view.size() < kFrameHeaderBytes) return Step::Torn;
  std::uint64_t size = frameSize(announcedPayload(view));
  if (offset_ + size > end) return Step::Torn;
  if (view.size() < size) {
    if (!fill(static_cast<std::size_t>(size), end)) return Step::IoError;
    view = std::string_view(buffer_).substr(static_cast<std::size_t>(offset_ - bufferStart_));
    if (view.size() < size) return Step::Torn;
  }
  switch (decodeFrame(view, frame)) {
    case FrameStatus::Ok:
      offset_ += frame.size;
      return Step::Record;
    case FrameStatus::Incomplete:
      return Step::Torn;
    case FrameStatus::Corrupt:
      break;
  }
  return Step::Corrupt;
}

}  // namespace actions::spool
