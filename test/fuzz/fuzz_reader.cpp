// Reads arbitrary bytes as an input file (NDJSON, a JSON array, a stream of values, gzip) and
// checks what must hold for any input: the reader ends (no more events than the input can
// hold), numbers events in order, never hands over an empty event without an error, keeps
// lines moving forward, and keeps no event longer than its limit.
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/event_reader.h"

namespace {

void readOnce(const std::string& path, std::size_t size, std::size_t limit) {
  actions::io::EventReader reader({path});
  reader.setMaxEventBytes(limit);
  actions::io::RawEvent e;
  std::size_t count = 0, lastLine = 1;
  // Gzip can expand: only plain input bounds the number of events by its size.
  std::size_t bound = 64 * size + 2;
  while (reader.next(e)) {
    if (e.index != count) std::abort();
    if (++count > bound) std::abort();  // the reader is not consuming its input
    if (e.text.find_first_not_of(" \t\r\n") == std::string::npos && e.error.empty()) std::abort();
    if (e.line < lastLine) std::abort();
    lastLine = e.line;
    if (e.text.size() > limit) std::abort();
    if (e.source != path) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static int fd = memfd_create("fuzz_reader", 0);
  if (fd < 0) std::abort();
  if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size))
    std::abort();
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  readOnce(path, size, actions::io::EventReader::kDefaultMaxEventBytes);
  readOnce(path, size, 16);  // the limit met in every shape
  return 0;
}
