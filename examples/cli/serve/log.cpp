#include "log.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "actions/json_text.h"

namespace serve {
namespace {

// 2026-12-01T22:30:00.123Z
std::string utcNow() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(ms % 1000));
  return buf;
}

std::mutex& writeMutex() {
  static std::mutex m;
  return m;
}

}  // namespace

LogLine::LogLine(std::string_view event, std::string_view level) {
  text_ = "{\"time\":\"" + utcNow() + "\"";
  add("level", level);
  add("event", event);
}

void LogLine::key(std::string_view key) {
  text_ += ',';
  actions::appendJsonString(key, text_);
  text_ += ':';
}

LogLine& LogLine::add(std::string_view k, std::string_view value) {
  key(k);
  actions::appendJsonString(value, text_);
  return *this;
}

LogLine& LogLine::add(std::string_view k, std::int64_t value) {
  key(k);
  text_ += std::to_string(value);
  return *this;
}

LogLine& LogLine::add(std::string_view k, double value) {
  key(k);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", value);
  text_ += buf;
  return *this;
}

LogLine& LogLine::add(std::string_view k, bool value) {
  key(k);
  text_ += value ? "true" : "false";
  return *this;
}

void LogLine::write() {
  text_ += "}\n";
  std::lock_guard<std::mutex> lock(writeMutex());
  // One write(2) per line: whole lines even if something else writes to the descriptor.
  const char* p = text_.data();
  std::size_t left = text_.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n <= 0) break;
    p += n;
    left -= static_cast<std::size_t>(n);
  }
}

bool LogEvery::allow(std::uint64_t& suppressed) {
  auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(mutex_);
  if (any_ && now - last_ < interval_) {
    ++suppressed_;
    return false;
  }
  any_ = true;
  last_ = now;
  suppressed = suppressed_;
  suppressed_ = 0;
  return true;
}

}  // namespace serve
