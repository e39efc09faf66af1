#include "io/byte_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace actions::io {
namespace {

ReadError cannotRead(const std::string& path, const std::string& why) {
  return ReadError((path == "-" ? "cannot read standard input" : "cannot read input " + path) +
                   ": " + why);
}

class FileSource : public ByteSource {
 public:
  FileSource(int fd, bool owned, std::string path, const std::atomic<bool>* stop)
      : fd_(fd), owned_(owned), path_(std::move(path)), stop_(stop) {}
  ~FileSource() override {
    if (owned_) ::close(fd_);
  }
  FileSource(const FileSource&) = delete;
  FileSource& operator=(const FileSource&) = delete;

  std::size_t read(char* into, std::size_t capacity) override {
    for (;;) {
      if (stop_ && stop_->load()) return 0;
      ssize_t n = ::read(fd_, into, capacity);
      if (n >= 0) return static_cast<std::size_t>(n);
      if (errno == EINTR) continue;  // the stop flag, set by the signal's handler, is seen above
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        // A non-blocking descriptor (inherited that way): wait until it has bytes.
        pollfd ready{fd_, POLLIN, 0};
        ::poll(&ready, 1, -1);
        continue;
      }
      throw cannotRead(path_, std::strerror(errno));
    }
  }

 private:
  int fd_;
  bool owned_;
  std::string path_;
  const std::atomic<bool>* stop_;
};

class GzipSource : public ByteSource {
 public:
  GzipSource(std::unique_ptr<ByteSource> compressed, std::string head, std::string name)
      : compressed_(std::move(compressed)), name_(std::move(name)), in_(1 << 16) {
    std::memset(&stream_, 0, sizeof stream_);
    // 16 + MAX_WBITS: a gzip header and trailer around the deflate data.
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK)
      throw cannotRead(name_, "cannot start gzip decompression");
    if (head.size() > in_.size()) in_.resize(head.size());
    std::memcpy(in_.data(), head.data(), head.size());
    stream_.next_in = reinterpret_cast<Bytef*>(in_.data());
    stream_.avail_in = static_cast<uInt>(head.size());
  }
  ~GzipSource() override { inflateEnd(&stream_); }
  GzipSource(const GzipSource&) = delete;
  GzipSource& operator=(const GzipSource&) = delete;

  std::size_t read(char* into, std::size_t capacity) override {
    if (finished_ || capacity == 0) return 0;
    stream_.next_out = reinterpret_cast<Bytef*>(into);
    stream_.avail_out = static_cast<uInt>(capacity);
    for (;;) {
      if (stream_.avail_in == 0) {
        std::size_t n = compressed_->read(in_.data(), in_.size());
        if (n == 0) {
          // The end of the compressed data: fine between members, not inside one.
          if (betweenMembers_) {
            finished_ = true;
            return capacity - stream_.avail_out;
          }
          throw cannotRead(name_, "the gzip data ends early (a truncated file?)");
        }
        stream_.next_in = reinterpret_cast<Bytef*>(in_.data());
        stream_.avail_in = static_cast<uInt>(n);
      }
      betweenMembers_ = false;
      int rc = inflate(&stream_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // Another member may follow (gzip -c a >> f): start over on the bytes that remain.
        inflateReset(&stream_);
        betweenMembers_ = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        std::string why = stream_.msg ? stream_.msg : "error " + std::to_string(rc);
        throw cannotRead(name_, "corrupt gzip data (" + why + ")");
      }
      // Z_BUF_ERROR only says no progress was possible: more input is read above.
      std::size_t produced = capacity - stream_.avail_out;
      // Hand over what is there rather than wait for more compressed bytes from a pipe.
      if (produced > 0 && (stream_.avail_out == 0 || stream_.avail_in == 0)) return produced;
    }
  }

 private:
  std::unique_ptr<ByteSource> compressed_;
  std::string name_;
  std::vector<char> in_;
  z_stream stream_;
  bool betweenMembers_ = false;
  bool finished_ = false;
};

int openForReading(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw ReadError("cannot open input " + path + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw ReadError("cannot read input " + path + ": it is a directory");
  }
  return fd;
}

}  // namespace

std::unique_ptr<ByteSource> openFile(const std::string& path, const std::atomic<bool>* stop) {
  if (path == "-") {
    struct stat st;
    if (::fstat(STDIN_FILENO, &st) == 0 && S_ISDIR(st.st_mode))
      throw ReadError("cannot read standard input: it is a directory");
    return std::make_unique<FileSource>(STDIN_FILENO, false, path, stop);
  }
  return std::make_unique<FileSource>(openForReading(path), true, path, stop);
}

void checkReadable(const std::string& path) {
  if (path == "-") return;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0)
    throw ReadError("cannot open input " + path + ": " + std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw ReadError("cannot read input " + path + ": it is a directory");
  // A named pipe is not opened twice: opening it would wait for its writer, and closing it again
  // could leave that writer without a reader.
  if (S_ISFIFO(st.st_mode)) return;
  ::close(openForReading(path));
}

bool looksGzipped(const char* head, std::size_t size) {
  return size >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
         static_cast<unsigned char>(head[1]) == 0x8b;
}

std::unique_ptr<ByteSource> gunzip(std::unique_ptr<ByteSource> compressed, std::string head,
                                   std::string name) {
  return std::make_unique<GzipSource>(std::move(compressed), std::move(head), std::move(name));
}

}  // namespace actions::io
