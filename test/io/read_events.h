// Helpers of the EventReader tests: every event of an input, with a bound on how many there may
// be, so a reader that stops consuming input fails the test instead of hanging it.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/event_reader.h"
#include "support/test_env.h"

namespace readtest {

using actions::io::EventReader;
using actions::io::RawEvent;

// Every event of the inputs at `paths`. An input of N bytes cannot hold more than N + 1 events
// (each consumes a byte, one more may report its end): past that the reader is looping.
inline std::vector<RawEvent> readPaths(
    const std::vector<std::string>& paths,
    std::size_t maxEventBytes = EventReader::kDefaultMaxEventBytes, std::size_t bound = 1 << 20) {
  EventReader reader(paths);
  reader.setMaxEventBytes(maxEventBytes);
  std::vector<RawEvent> events;
  RawEvent e;
  while (reader.next(e)) {
    events.push_back(e);
    if (events.size() > bound) {
      ADD_FAILURE() << "the reader keeps returning events: more than " << bound;
      break;
    }
  }
  return events;
}

inline std::vector<RawEvent> readText(
    const std::string& text, std::size_t maxEventBytes = EventReader::kDefaultMaxEventBytes) {
  testenv::TempDir dir;
  std::string path = dir.path() + "/in.json";
  testenv::writeText(path, text);
  return readPaths({path}, maxEventBytes, text.size() + 1);
}

inline std::vector<std::string> texts(const std::vector<RawEvent>& events) {
  std::vector<std::string> out;
  for (auto& e : events) out.push_back(e.text);
  return out;
}

inline std::vector<std::size_t> lines(const std::vector<RawEvent>& events) {
  std::vector<std::size_t> out;
  for (auto& e : events) out.push_back(e.line);
  return out;
}

inline std::vector<bool> failed(const std::vector<RawEvent>& events) {
  std::vector<bool> out;
  for (auto& e : events) out.push_back(!e.error.empty());
  return out;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace readtest
