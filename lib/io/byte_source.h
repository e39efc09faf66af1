// Where the reader's bytes come from: a file or standard input read with read(2), so a pipe's
// bytes are handed on as soon as they arrive, and gzip data decompressed on the way.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>

namespace actions::io {

// A failure to read an input (an I/O error, corrupt gzip data); its message names the input.
class ReadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to `capacity` bytes into `into`, waiting only until some are available; 0 at the end.
  // Throws ReadError.
  virtual std::size_t read(char* into, std::size_t capacity) = 0;
};

// Opens `path` ("-": standard input). Throws ReadError naming it when it cannot be read, a
// directory included (reading one would otherwise look like an empty input). A read that a
// signal interrupts once `stop` is set ends the input instead of waiting on.
std::unique_ptr<ByteSource> openFile(const std::string& path,
                                     const std::atomic<bool>* stop = nullptr);

// Checks that `path` can be opened for reading, without keeping it open. Throws ReadError.
void checkReadable(const std::string& path);

// Whether `head` (the first bytes of an input) starts a gzip member.
bool looksGzipped(const char* head, std::size_t size);

// Decompresses `compressed`, member after member (`gzip -c a >> f` makes several), after first
// taking the `head` bytes already read from it. `name` names the input in errors.
std::unique_ptr<ByteSource> gunzip(std::unique_ptr<ByteSource> compressed, std::string head,
                                   std::string name);

}  // namespace actions::io
