// Structured log lines: one JSON object per line on standard error, written whole (lines from
// several threads never interleave). Fields are added in order; nothing here knows the password,
// and callers pass only what a log may show (never settings, never write keys).
//
//   serve::LogLine("request").add("method", "POST").add("status", 200).write();
#pragma once

#include <cstdint>
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

}  // namespace serve
