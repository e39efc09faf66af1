// Request bodies sent with Content-Encoding: gzip (Segment's Java library compresses by default).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace serve {

enum class GunzipResult { Ok, TooLarge, Damaged };

// Decompresses `compressed` into `out`, stopping with TooLarge as soon as the text would pass
// `limit` bytes (a small body cannot expand into a large allocation).
GunzipResult gunzip(std::string_view compressed, std::size_t limit, std::string& out);

}  // namespace serve
