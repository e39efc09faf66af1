// Events out of NDJSON (one per line, blank lines ignored), one JSON array, or a stream of whole
// JSON values one after another (pretty-printed objects, as `jq .` prints them), from files or
// standard input, plain or gzip-compressed, streamed one raw text at a time so memory does not
// grow with the input — the INPUT of the command-line tool. Events are numbered 0, 1, 2...
// across all inputs; parsing is left to the caller, so a malformed event still gets its number.
//
// The layout of each input is recognised from its first bytes, without a flag:
// - gzip (bytes 1f 8b) is decompressed first, member after member (`gzip -c a >> f` works);
// - '[' starts a JSON array: each element is an event;
// - a first line that is '{' alone (as `jq .`, JSON.stringify(v, null, 2) and Python's
//   json.dumps(v, indent=2) print objects) starts a stream of JSON values: each value, split by
//   balanced brackets outside strings, is an event (a '{' at the start of a line while a value is
//   still open begins the next value, so one unclosed value costs only itself);
// - anything else is NDJSON: each non-blank line is an event. "\n", "\r\n" and a bare "\r" each
//   end a line.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "actions/export.h"

namespace actions {

struct RawEvent {
  std::size_t index = 0;  // 0, 1, 2... across all inputs, in order
  std::string text;       // the event's JSON text (not validated); empty when `error` is set and
                          // no text could be kept (a missing array element, an event over the
                          // size limit, a read error between events)
  // Set when the input itself is at fault for this event; the event is then to be rejected with
  // this message: an array or value the input ends inside, a missing array element ("[1,]",
  // "[,"), an event over the size limit ("event is N bytes, over the limit of M bytes"), or an
  // input that could not be read to its end ("cannot read input F: Input/output error", corrupt
  // or truncated gzip data). After a read error the reader goes on with the next input.
  std::string error;
  // Where the event starts, for messages like "events.ndjson:12": the input's path exactly as
  // given to the constructor ("-" for standard input), and the 1-based line of that input (of the
  // decompressed text for gzip input) on which the event's first character stands.
  std::string source;
  std::size_t line = 0;
};

class ACTIONS_API EventReader {
 public:
  // The longest event accepted by default, in bytes.
  static constexpr std::size_t kDefaultMaxEventBytes = std::size_t{64} << 20;

  // `paths` are files, or "-" for standard input; none means standard input. Throws
  // std::runtime_error naming the file when one cannot be opened or is a directory. Errors met
  // while reading come as events with `error` set, never as an early end.
  explicit EventReader(std::vector<std::string> paths);
  ~EventReader();
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  // An event (line, array element or value) longer than this is not held in memory: it is
  // skipped to its end and comes back as an event with `error` set and empty `text`.
  void setMaxEventBytes(std::size_t bytes);
  std::size_t maxEventBytes() const;

  // Ends the reading early: next() returns false from now on (the event being read is dropped),
  // and a read that a signal interrupts returns instead of waiting for input. Async-signal-safe:
  // call it from a SIGINT / SIGTERM handler installed without SA_RESTART (so a read blocked on a
  // quiet pipe or terminal is interrupted), or from another thread.
  void stop() noexcept;

  // Whether one of the inputs is standard input and that is a terminal (a user who may not know
  // the tool waits for them to type or paste events).
  bool readsTerminal() const;

  // Whether input read ahead is still in memory, so the next call to next() starts without
  // waiting for a read. A caller that hands events on in batches hands its batch on when this is
  // false: the next event may be a long time coming (a pipe, a terminal).
  bool hasBufferedInput() const;

  // `hook` runs on the reading thread right before each read of an input that may wait for it
  // (what was read ahead is used up, between two events or inside one). A caller that gathers
  // events before handing them on hands them on there: a finished event then never waits behind
  // the start of the next one. An empty function removes it.
  void onWaitForInput(std::function<void()> hook);

  // Fills `out` with the next event; false at the end of all inputs. `out`'s buffers are reused.
  // Returns as soon as an event is complete: from a pipe or terminal, a line is handed over when
  // it has arrived, without waiting for more input.
  bool next(RawEvent& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace actions
