// Streams events out of NDJSON or JSON-array input, one raw text at a time, so memory does not
// grow with the input. Parsing is left to the caller: a malformed event still gets its number.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

namespace actions::io {

struct RawEvent {
  std::size_t index = 0;  // 0, 1, 2... across all inputs, in order
  std::string text;       // the event's JSON text (not validated)
  std::string error;      // set when the input itself could not be split (an unterminated array)
};

class EventReader {
 public:
  // `paths` are files, or "-" for standard input; empty means standard input. Throws
  // std::runtime_error naming the file when one cannot be opened.
  explicit EventReader(std::vector<std::string> paths);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // Fills `out` with the next event; false at the end of all inputs. `out.text` keeps its
  // capacity between calls.
  bool next(RawEvent& out);

 private:
  bool openNext();
  int getChar();
  int peekNonSpace();
  bool nextLine(RawEvent& out);
  bool nextArrayElement(RawEvent& out);

  std::vector<std::string> paths_;
  std::size_t pathIndex_ = 0;
  std::FILE* file_ = nullptr;
  bool ownsFile_ = false;
  enum class Mode { Unknown, Lines, Array, ArrayDone } mode_ = Mode::Unknown;
  std::size_t nextIndex_ = 0;
  std::vector<char> buffer_;
  std::size_t bufPos_ = 0, bufLen_ = 0;
};

}  // namespace actions::io
