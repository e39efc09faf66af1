#include "tracking/write_keys.h"

#include <cctype>
#include <cstdint>

namespace actions::tracking {
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

bool sameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

bool sourceCharacter(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
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

const WriteKey* KeyTable::find(std::string_view key) const {
  const WriteKey* found = nullptr;
  for (const auto& k : keys_)
    if (sameKey(k.key, key) && !found) found = &k;
  return found;
}

Credential KeyTable::judge(std::string_view key) const {
  Credential c;
  const WriteKey* k = find(key);
  c.check = k ? KeyCheck::Allowed : KeyCheck::Wrong;
  if (k) c.source = k->source;
  return c;
}

Credential KeyTable::check(std::string_view authorization,
                           const std::optional<std::string>& bodyKey) const {
  if (!authorization.empty()) {
    auto user = basicUser(authorization);
    if (user && !user->empty()) return judge(*user);
  }
  if (bodyKey) return judge(*bodyKey);
  Credential c;
  c.check = allowAnonymous_ ? KeyCheck::Allowed : KeyCheck::Missing;
  return c;
}

WriteKeyParse parseWriteKey(std::string_view text) {
  WriteKeyParse r;
  std::string_view key = text, source;
  if (auto eq = text.find('='); eq != std::string_view::npos) {
    key = text.substr(0, eq);
    source = text.substr(eq + 1);
    if (source.empty() || source.size() > 64) {
      r.error = "the source name after '=' must be 1 to 64 characters";
      return r;
    }
    for (char c : source) {
      if (!sourceCharacter(c)) {
        r.error = "a source name takes letters, digits, '.', '_' and '-' only";
        return r;
      }
    }
  }
  if (key.empty() || key.find(':') != std::string_view::npos) {
    r.error = "a write key must be non-empty and without ':' (it is HTTP Basic's user name)";
    return r;
  }
  r.key = WriteKey{std::string(key), std::string(source)};
  return r;
}

}  // namespace actions::tracking
