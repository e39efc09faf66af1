#include "auth.h"

#include <cctype>
#include <cstdint>

namespace serve {
namespace {

int base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

std::optional<std::string> base64Decode(std::string_view text) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = base64Value(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

// Compares without stopping at the first difference, so timing tells nothing about a key.
bool sameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

std::optional<std::string> basicUser(std::string_view authorization) {
  constexpr std::string_view scheme = "basic ";
  if (authorization.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i])
      return std::nullopt;
  std::string_view encoded = authorization.substr(scheme.size());
  while (!encoded.empty() && encoded.front() == ' ') encoded.remove_prefix(1);
  while (!encoded.empty() && encoded.back() == ' ') encoded.remove_suffix(1);
  auto decoded = base64Decode(encoded);
  if (!decoded) return std::nullopt;
  auto colon = decoded->find(':');
  return colon == std::string::npos ? *decoded : decoded->substr(0, colon);
}

bool WriteKeys::known(std::string_view key) const {
  bool found = false;
  for (const auto& k : keys_) found |= sameKey(k, key);
  return found;
}

AuthResult WriteKeys::check(std::string_view authorization,
                            const std::optional<std::string>& bodyWriteKey) const {
  if (!authorization.empty()) {
    auto user = basicUser(authorization);
    if (user && !user->empty()) return known(*user) ? AuthResult::Allowed : AuthResult::Wrong;
  }
  if (bodyWriteKey) return known(*bodyWriteKey) ? AuthResult::Allowed : AuthResult::Wrong;
  return allowAnonymous_ ? AuthResult::Allowed : AuthResult::Missing;
}

}  // namespace serve
