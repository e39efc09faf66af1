// The files a run writes (the report, the rejected events, the summary, the dry run's lines):
// buffered, written with POSIX calls so a failure (a full disk, /dev/full, a closed pipe) is
// caught and named, and checked against the inputs so an output never overwrites an input.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cli {

class OutputFile {
 public:
  // `path` "-" is standard output. Creates or truncates the file; throws std::runtime_error
  // naming it when it cannot be opened.
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Appends to the buffer, writing it out once it is large. Nothing more is written after a
  // failure.
  void append(std::string_view text) {
    buffer_.append(text);
    if (buffer_.size() >= kFlushAt) flush();
  }
  std::string& buffer() { return buffer_; }
  void flushIfLarge() {
    if (buffer_.size() >= kFlushAt) flush();
  }
  // Writes what is buffered; false on a failure (then error() says what and why).
  bool flush();
  // Flushes and closes (a file); false on a failure.
  bool close();
  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  // "standard output" or the path.
  const std::string& name() const { return name_; }

 private:
  static constexpr std::size_t kFlushAt = 1 << 16;
  int fd_ = -1;
  bool ownsFd_ = false;
  std::string name_;
  std::string buffer_;
  std::string error_;
};

// A role and a path of an output ("--report", "report.ndjson"); "-" is standard output.
struct OutputPath {
  std::string option;
  std::string path;
};

// Why these outputs cannot be written while these inputs are read, or empty when they can: an
// output that is one of the inputs (the same file, however its path is spelt: compared by device
// and inode, standard input included when it is read), two outputs that are the same file, or
// two outputs to standard output. `stdoutUsed` names what already writes standard output (the
// dry run's lines), empty when nothing does.
std::string outputConflict(const std::vector<std::string>& inputs,
                           const std::vector<OutputPath>& outputs, const std::string& stdoutUsed);

// A rejected event's text as one line of a --rejects file (send's and serve's): line breaks, only
// possible in whitespace between tokens, become spaces.
void appendRejectLine(std::string_view text, std::string& out);

}  // namespace cli
