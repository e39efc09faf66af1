// The dead-letter file: records the database refused (or that ran out of retries), one JSON
// object per line with the reason, appended and fsync'd before the spool lets them go.
//
//   {"time":"2026-12-06T08:00:00.000Z","sequence":42,"acceptedAt":"2026-12-06T07:59:58.120Z",
//    "messageId":"m-1","status":400,"errorType":"BAD_REQUEST",
//    "error":"the server refused the row: ...","payload":"{\"messageId\":\"m-1\",...}"}
//
// "payload" is the record as the spool held it (the Send Data payload's JSON text), as a string.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "actions/destination.h"
#include "actions/spool.h"
#include "spool/file.h"

namespace actions::spool {

struct DeadLetter {
  const SpoolRecord* record = nullptr;
  EventResult result;  // why: its status, errorType and error
};

class DeadLetters {
 public:
  explicit DeadLetters(std::string path) : path_(std::move(path)) {}
  // Appends one line per letter and syncs; returns the error text, empty on success. Thread-safe.
  std::string write(const std::vector<DeadLetter>& letters);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mutex_;
  Fd fd_;  // opened at the first letter
};

// "2026-12-06T08:00:00.000Z" for Unix milliseconds.
std::string isoTime(std::int64_t unixMs);

}  // namespace actions::spool
