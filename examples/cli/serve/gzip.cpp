#include "gzip.h"

#include <zlib.h>

namespace serve {

GunzipResult gunzip(std::string_view compressed, std::size_t limit, std::string& out) {
  out.clear();
  z_stream zs{};
  // 16 + MAX_WBITS: a gzip wrapper (header and CRC trailer), not a raw or zlib stream.
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return GunzipResult::Damaged;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  zs.avail_in = static_cast<uInt>(compressed.size());
  char chunk[16384];
  int rc = Z_OK;
  GunzipResult result = GunzipResult::Ok;
  while (rc != Z_STREAM_END) {
    zs.next_out = reinterpret_cast<Bytef*>(chunk);
    zs.avail_out = sizeof chunk;
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      result = GunzipResult::Damaged;  // also a body that ends before its stream does
      break;
    }
    std::size_t produced = sizeof chunk - zs.avail_out;
    if (out.size() + produced > limit) {
      result = GunzipResult::TooLarge;
      break;
    }
    out.append(chunk, produced);
    if (rc == Z_OK && produced == 0 && zs.avail_in == 0) {
      result = GunzipResult::Damaged;
      break;
    }
  }
  if (result == GunzipResult::Ok && zs.avail_in != 0) result = GunzipResult::Damaged;
  inflateEnd(&zs);
  if (result != GunzipResult::Ok) out.clear();
  return result;
}

}  // namespace serve
