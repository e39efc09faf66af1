#include "spool/dead_letters.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "actions/json_text.h"

namespace actions::spool {

std::string isoTime(std::int64_t unixMs) {
  std::time_t seconds = static_cast<std::time_t>(unixMs / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unixMs % 1000));
  return buf;
}

std::string DeadLetters::write(const std::vector<DeadLetter>& letters) {
  if (letters.empty()) return {};
  std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  std::string lines;
  for (const DeadLetter& l : letters) {
    lines += "{\"time\":\"" + isoTime(now) +
             "\",\"sequence\":" + std::to_string(l.record->sequence) + ",\"acceptedAt\":\"" +
             isoTime(l.record->appendedAtMs) + "\",\"messageId\":";
    if (l.result.messageId)
      appendJsonString(*l.result.messageId, lines);
    else
      lines += "null";
    lines += ",\"status\":" + std::to_string(l.result.status) + ",\"errorType\":";
    appendJsonString(l.result.errorType, lines);
    lines += ",\"error\":";
    appendJsonString(l.result.error, lines);
    lines += ",\"payload\":";
    appendJsonString(l.record->payload, lines);
    lines += "}\n";
  }
  std::lock_guard lock(mutex_);
  if (!fd_) {
    int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return systemError("cannot open the dead-letter file", path_, errno);
    fd_ = Fd(fd);
  }
  // Appended with write(2) on an O_APPEND descriptor: lines never interleave with a writer of
  // another process (an operator's tool, say) mid-line.
  std::string_view rest(lines);
  while (!rest.empty()) {
    ssize_t n = ::write(fd_.get(), rest.data(), rest.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return systemError("cannot write the dead-letter file", path_, errno);
    }
    rest.remove_prefix(static_cast<std::size_t>(n));
  }
  if (int err = syncData(fd_.get())) return systemError("cannot sync", path_, err);
  return {};
}

}  // namespace actions::spool
