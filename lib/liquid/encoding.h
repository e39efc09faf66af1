// Byte encodings the filters need: base64 (as Node's Buffer reads and writes it), SHA-256 and
// HMAC-SHA-256 (hex digests, as Node's crypto gives them).
#pragma once

#include <string>
#include <string_view>

namespace actions::liquid::encoding {

std::string base64Encode(std::string_view bytes);
// Decodes the base64 alphabet, skipping anything else and stopping at padding, as Node does.
std::string base64Decode(std::string_view text);

std::string sha256Hex(std::string_view bytes);
std::string hmacSha256Hex(std::string_view key, std::string_view bytes);

}  // namespace actions::liquid::encoding
