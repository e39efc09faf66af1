// The events of a run's inputs, read on a thread of their own and handed over in batches, so the
// run can stop reading at once (a signal, an output that failed) even while a read blocks on a
// pipe or a terminal, and can show progress while it waits for input.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace cli {

// Events handed over together; the views point into the batch's own buffer.
struct EventBatch {
  struct Event {
    std::size_t index;
    std::string_view text, error, origin;  // origin: "FILE:LINE" or empty
  };
  std::vector<Event> events;

  // Used by InputFeed.
  std::string arena;
  struct Span {
    std::size_t index, text, textLen, error, errorLen, origin, originLen;
  };
  std::vector<Span> spans;
  void clear() {
    arena.clear();
    spans.clear();
    events.clear();
  }
};

class InputFeed {
 public:
  // Opens the inputs ("-" or none: standard input); throws std::runtime_error naming one that
  // cannot be opened. Reading starts with start().
  explicit InputFeed(const std::vector<std::string>& paths);
  // Stops reading. A read blocked on a pipe cannot be taken back: the thread is then left to
  // the process's end (see stillReading()).
  ~InputFeed();
  InputFeed(const InputFeed&) = delete;
  InputFeed& operator=(const InputFeed&) = delete;

  void start();

  enum class Take { Events, Nothing, End };
  // Waits up to `wait` for events and moves every event read so far into `batch` (cleared
  // first). End: the input is over and nothing is left; Nothing: none came in time.
  Take take(EventBatch& batch, std::chrono::milliseconds wait);
  // Stops reading: an event the reader finishes after this is dropped, as never read.
  void stop();

  // Bytes of the events read (their text and a line end each) and their count.
  std::uint64_t bytesRead() const;
  std::uint64_t eventsRead() const;
  // Why reading ended early (a read error), or empty.
  std::string error() const;
  // Whether the reading thread is still inside a read (after stop(): blocked on a pipe).
  bool stillReading() const;

  struct Shared;

 private:
  Take takeDirect(EventBatch& batch);
  static void viewsOf(EventBatch& batch);

  std::shared_ptr<Shared> shared_;
  bool direct_ = false;  // only regular files: read on the caller's thread, in take()
  std::thread thread_;
};

}  // namespace cli
