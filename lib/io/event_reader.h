// Streams events out of NDJSON, one JSON array, or a stream of whole JSON values one after
// another (pretty-printed objects as `jq .` prints them), plain or gzip-compressed, one raw text
// at a time, so memory does not grow with the input. Parsing is left to the caller: a malformed
// event still gets its number. Every malformed shape ends promptly: each call consumes input or
// moves to the next file.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/byte_source.h"

namespace actions::io {

struct RawEvent {
  std::size_t index = 0;  // 0, 1, 2... across all inputs, in order
  std::string text;       // the event's JSON text (not validated)
  std::string error;      // set when the input itself could not be split or read
  std::string source;     // the input's path as given; "-" for standard input
  std::size_t line = 0;   // 1-based line of `source` where the event starts
};

class EventReader {
 public:
  static constexpr std::size_t kDefaultMaxEventBytes = std::size_t{64} << 20;

  // `paths` are files, or "-" for standard input; empty means standard input. Throws
  // std::runtime_error naming the file when one cannot be opened or is a directory.
  explicit EventReader(std::vector<std::string> paths);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // An event longer than this is not kept: it is skipped to its end and reported as an error.
  void setMaxEventBytes(std::size_t bytes) { maxEventBytes_ = bytes; }
  std::size_t maxEventBytes() const { return maxEventBytes_; }

  // Ends the reading: next() returns false from now on, and a read(2) that a signal interrupts
  // returns instead of waiting on. Async-signal-safe: meant for a SIGINT / SIGTERM handler
  // (installed without SA_RESTART, so a blocked read is interrupted) or another thread.
  void stop() noexcept { stopped_.store(true); }

  // Whether one of the inputs is standard input and that is a terminal.
  bool readsTerminal() const;

  // Whether input read ahead is still in memory (the next next() starts without a read).
  bool hasBufferedInput() const { return pos_ < len_; }

  // Runs before each read(2) of an input (the bytes read ahead are used up): see
  // actions::EventReader::onWaitForInput.
  void onWaitForInput(std::function<void()> hook) { beforeRead_ = std::move(hook); }

  // Fills `out` with the next event; false at the end of all inputs. `out.text` keeps its
  // capacity between calls. Returns as soon as an event is complete: a pipe's line is handed
  // over without waiting for more input.
  bool next(RawEvent& out);

 private:
  enum class Step { Event, Again, End };
  enum class Mode { Unknown, Lines, Array, Values };
  enum class ArrayAt { Open, Comma, Element };  // what the scan of an array stands after
  struct Nesting {                              // where a scan stands in a JSON text
    int depth = 0;
    bool inString = false, escape = false;
    // Follows strings and line breaks (counting lines into `line`; a string cannot hold a line
    // break, so one resynchronises): true when `ch` is text, nothing structural to look at.
    bool followsText(char ch, char prev, std::size_t& line);
  };

  bool openNext();
  bool fill();
  void readAtLeast(std::size_t n);
  int peekNonSpace();
  Step step(RawEvent& out);
  Step detect(RawEvent& out);
  bool nextLine(RawEvent& out);
  Step nextArrayElement(RawEvent& out);
  bool scanElement(RawEvent& out);
  bool nextValue(RawEvent& out);
  bool scanValue(RawEvent& out, Nesting nesting, std::size_t length);
  void keep(RawEvent& out, const char* bytes, std::size_t n, std::size_t& length) const;
  bool finish(RawEvent& out, std::size_t length) const;
  bool endedInside(RawEvent& out, std::size_t length, const std::string& why);

  std::vector<std::string> paths_;
  std::size_t pathIndex_ = 0;
  std::unique_ptr<ByteSource> source_;
  bool open_ = false;    // an input is being read (source_ may be gone after a failure)
  bool ended_ = false;   // the current input has no more bytes (or could not be read further)
  std::string failure_;  // why the current input could not be read to its end, once reported
  Mode mode_ = Mode::Unknown;
  ArrayAt arrayAt_ = ArrayAt::Open;
  std::size_t arrayLine_ = 0;  // line of the '[' of the array being read
  std::size_t line_ = 1;       // line of the next byte
  char lastByte_ = 0;          // the byte before the next one: "\r\n" is one line break
  std::size_t maxEventBytes_ = kDefaultMaxEventBytes;
  std::size_t nextIndex_ = 0;
  std::atomic<bool> stopped_{false};
  std::vector<char> buffer_;
  std::size_t pos_ = 0, len_ = 0;
  std::function<void()> beforeRead_;
};

}  // namespace actions::io
