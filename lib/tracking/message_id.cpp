#include "tracking/message_id.h"

#include <array>
#include <random>

namespace actions::tracking {
namespace {

constexpr std::int64_t kKsuidEpoch = 1400000000;
constexpr char kBase62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
constexpr std::size_t kKsuidChars = 27;

}  // namespace

std::string generateMessageId(std::int64_t unixSeconds) {
  std::array<unsigned char, 20> bytes{};
  auto stamp = static_cast<std::uint32_t>(unixSeconds - kKsuidEpoch);
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<unsigned char>(stamp >> (24 - 8 * i));
  // The operating system's generator (getrandom): ids from several servers must never collide.
  thread_local std::random_device random;
  for (std::size_t i = 4; i < bytes.size(); i += 4) {
    std::uint32_t r = random();
    for (int k = 0; k < 4; ++k) bytes[i + k] = static_cast<unsigned char>(r >> (8 * k));
  }
  // The 160-bit number in base 62, most significant digit first, padded with '0'.
  std::string digits(kKsuidChars, '0');
  for (std::size_t pos = kKsuidChars; pos-- > 0;) {
    unsigned remainder = 0;
    for (auto& b : bytes) {
      unsigned value = (remainder << 8) | b;
      b = static_cast<unsigned char>(value / 62);
      remainder = value % 62;
    }
    digits[pos] = kBase62[remainder];
  }
  return "api-" + digits;
}

}  // namespace actions::tracking
