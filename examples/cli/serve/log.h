// Structured log lines: one JSON object per line on standard error, written whole (lines from
// several threads never interleave). Fields are added in order; nothing here knows the password,
// and callers pass only what a log may show (never settings, never write keys).
//
//   serve::LogLine("request").add("method", "POST").add("status", 200).write();
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

namespace serve {

class LogLine {
 public:
  // `event` names what happened: start, request, delivery, drain, stop...
  explicit LogLine(std::string_view event, std::string_view level = "info");
  LogLine& add(std::string_view key, std::string_view value);
  LogLine& add(std::string_view key, const char* value) {
    return add(key, std::string_view(value));
  }
  LogLine& add(std::string_view key, std::int64_t value);
  LogLine& add(std::string_view key, int value) { return add(key, std::int64_t(value)); }
  LogLine& add(std::string_view key, std::size_t value) { return add(key, std::int64_t(value)); }
  LogLine& add(std::string_view key, unsigned value) { return add(key, std::int64_t(value)); }
  LogLine& add(std::string_view key, double value);
  LogLine& add(std::string_view key, bool value);
  // Writes the line to standard error.
  void write();

 private:
  void key(std::string_view key);
  std::string text_;
};

// For a condition that can repeat as fast as a loop turns (accept failing while descriptors are
// out): at most one line per interval, the lines not written counted and reported with the next.
//
//   static LogEvery acceptFailures(std::chrono::seconds(10));
//   std::uint64_t suppressed;
//   if (acceptFailures.allow(suppressed)) LogLine("accept", "error").add("suppressed", ...)...
class LogEvery {
 public:
  explicit LogEvery(std::chrono::steady_clock::duration interval) : interval_(interval) {}
  // True when a line may be written now; `suppressed` is then how many were not since the last.
  bool allow(std::uint64_t& suppressed);

 private:
  std::chrono::steady_clock::duration interval_;
  std::mutex mutex_;
  bool any_ = false;
  std::chrono::steady_clock::time_point last_;
  std::uint64_t suppressed_ = 0;
};

}  // namespace serve
