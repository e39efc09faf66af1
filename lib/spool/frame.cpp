#include "spool/frame.h"

#include <xxhash.h>

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

// The checksum of the frame at `frame`: XXH3 (64-bit, seeded with the payload length) over the
// sequence, the time and the payload, which lie together after the checksum field; the low 32
// bits are kept. A different length, sequence, time or payload gives an unrelated value.
std::uint32_t frameChecksum(const char* frame, std::uint32_t payloadLength) {
  return static_cast<std::uint32_t>(
      XXH3_64bits_withSeed(frame + 8, 16 + std::size_t(payloadLength), payloadLength));
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
  out.append(payload);
  h = out.data() + at;  // the append may have moved the buffer
  put32(h + 4, frameChecksum(h, static_cast<std::uint32_t>(payload.size())));
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
  if (frameChecksum(h, length) != get32(h + 4)) return FrameStatus::Corrupt;
  frame.sequence = get64(h + 8);
  frame.appendedAtMs = static_cast<std::int64_t>(get64(h + 16));
  frame.payload = payload;
  frame.size = kFrameHeaderBytes + length;
  return FrameStatus::Ok;
}

}  // namespace actions::spool
