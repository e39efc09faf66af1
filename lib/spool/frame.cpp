#include "spool/frame.h"

#include <zlib.h>

namespace actions::spool {
namespace {

void put32(char* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
void put64(char* p, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = static_cast<char>((v >> (8 * i)) & 0xff);
}
std::uint32_t get32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= std::uint32_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}
std::uint64_t get64(const char* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= std::uint64_t(static_cast<unsigned char>(p[i])) << (8 * i);
  return v;
}

// CRC-32 of the length (bytes 0..3), sequence and time (8..23) and the payload.
std::uint32_t frameChecksum(const char* header, std::string_view payload) {
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(header), 4);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(header + 8), 16);
  // zlib takes a uInt length: feed a large payload in pieces.
  const char* p = payload.data();
  std::size_t left = payload.size();
  while (left > 0) {
    uInt n = static_cast<uInt>(left > (1u << 30) ? (1u << 30) : left);
    crc = crc32(crc, reinterpret_cast<const Bytef*>(p), n);
    p += n;
    left -= n;
  }
  return static_cast<std::uint32_t>(crc);
}

}  // namespace

std::string segmentHeader(std::uint64_t firstSequence) {
  std::string h(kSegmentHeaderBytes, '\0');
  h.replace(0, kSegmentMagic.size(), kSegmentMagic);
  put64(h.data() + 8, firstSequence);
  return h;
}

std::optional<std::uint64_t> parseSegmentHeader(std::string_view bytes) {
  if (bytes.size() < kSegmentHeaderBytes || bytes.substr(0, kSegmentMagic.size()) != kSegmentMagic)
    return std::nullopt;
  return get64(bytes.data() + 8);
}

void appendFrame(std::string& out, std::uint64_t sequence, std::int64_t appendedAtMs,
                 std::string_view payload) {
  std::size_t at = out.size();
  out.resize(at + kFrameHeaderBytes);
  char* h = out.data() + at;
  put32(h, static_cast<std::uint32_t>(payload.size()));
  put64(h + 8, sequence);
  put64(h + 16, static_cast<std::uint64_t>(appendedAtMs));
  put32(h + 4, frameChecksum(h, payload));
  out.append(payload);
}

std::uint32_t announcedPayload(std::string_view bytes) {
  return get32(bytes.data());
}

FrameStatus decodeFrame(std::string_view bytes, Frame& frame) {
  if (bytes.size() < kFrameHeaderBytes) return FrameStatus::Incomplete;
  const char* h = bytes.data();
  std::uint32_t length = get32(h);
  if (bytes.size() - kFrameHeaderBytes < length) return FrameStatus::Incomplete;
  std::string_view payload = bytes.substr(kFrameHeaderBytes, length);
  if (frameChecksum(h, payload) != get32(h + 4)) return FrameStatus::Corrupt;
  frame.sequence = get64(h + 8);
  frame.appendedAtMs = static_cast<std::int64_t>(get64(h + 16));
  frame.payload = payload;
  frame.size = kFrameHeaderBytes + length;
  return FrameStatus::Ok;
}

}  // namespace actions::spool
