// The bytes of a segment file: a 16-byte header (magic, the first record's sequence number),
// then records, each framed as
//
//   u32 payload length | u32 CRC-32 of the rest | u64 sequence | i64 appended at (Unix ms) |
//   payload
//
// all little-endian. The checksum (zlib's CRC-32) covers the length, the sequence, the time and
// the payload, so a record torn by a crash, or stale bytes past the last good record, fail it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace actions::spool {

inline constexpr std::size_t kSegmentHeaderBytes = 16;
inline constexpr std::size_t kFrameHeaderBytes = 24;
inline constexpr std::string_view kSegmentMagic = "ASSPOOL1";

// The header of a segment whose first record will be `firstSequence`.
std::string segmentHeader(std::uint64_t firstSequence);
// The first sequence number a segment header names; nullopt when it is not one.
std::optional<std::uint64_t> parseSegmentHeader(std::string_view bytes);

// Appends one framed record to `out`.
void appendFrame(std::string& out, std::uint64_t sequence, std::int64_t appendedAtMs,
                 std::string_view payload);
inline std::size_t frameSize(std::size_t payloadBytes) {
  return kFrameHeaderBytes + payloadBytes;
}

struct Frame {
  std::uint64_t sequence = 0;
  std::int64_t appendedAtMs = 0;
  std::string_view payload;  // into the bytes given to decodeFrame
  std::size_t size = 0;      // header and payload
};

enum class FrameStatus {
  Ok,
  Incomplete,  // fewer bytes than the frame says (the end of what was read, or a torn tail)
  Corrupt,     // the checksum does not match
};

// Decodes the frame at the start of `bytes`.
FrameStatus decodeFrame(std::string_view bytes, Frame& frame);
// The payload length a frame header announces (the first 4 bytes); `bytes` has at least 4.
std::uint32_t announcedPayload(std::string_view bytes);

}  // namespace actions::spool
