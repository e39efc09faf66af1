// Events out of NDJSON (one per line, blank lines ignored) or one JSON array, from files or
// standard input, streamed one raw text at a time so memory does not grow with the input — the
// INPUT of the command-line tool. Events are numbered 0, 1, 2... across all inputs; parsing is
// left to the caller, so a malformed event still gets its number.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "actions/export.h"

namespace actions {

struct RawEvent {
  std::size_t index = 0;  // 0, 1, 2... across all inputs, in order
  std::string text;       // the event's JSON text (not validated)
  std::string error;      // set when the input itself could not be split (an unterminated array)
};

class ACTIONS_API EventReader {
 public:
  // `paths` are files, or "-" for standard input; none means standard input. Throws
  // std::runtime_error naming the file when one cannot be opened.
  explicit EventReader(std::vector<std::string> paths);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Fills `out` with the next event; false at the end of all inputs. `out`'s buffers are reused.
  bool next(RawEvent& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
