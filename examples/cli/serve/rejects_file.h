// `serve --rejects FILE`: the text of every rejected event, one per line, as `send --rejects`
// writes it, for fixing and sending again. Appended to (a restart keeps what was there), each
// request's lines written at once, so lines of concurrent requests never interleave.
#pragma once

#include <mutex>
#include <string>
#include <string_view>

namespace serve {

class RejectsFile {
 public:
  // Opens (creates) `path` for appending; throws std::runtime_error naming it when it cannot.
  explicit RejectsFile(const std::string& path);
  ~RejectsFile();
  RejectsFile(const RejectsFile&) = delete;
  RejectsFile& operator=(const RejectsFile&) = delete;

  // Appends `lines` (each ending in '\n'); false, with the reason in `error`, when the write
  // failed (a full disk): the events are still answered, and the log says so.
  bool append(std::string_view lines, std::string& error);

 private:
  std::mutex mutex_;
  int fd_ = -1;
  std::string path_;
};

}  // namespace serve
