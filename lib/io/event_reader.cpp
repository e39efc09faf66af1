#include "io/event_reader.h"

#include <unistd.h>

#include <cstring>
#include <string_view>

namespace actions::io {
namespace {

bool isBlank(const std::string& text) {
  return text.find_first_not_of(" \t\r\n") == std::string::npos;
}

bool isLineBreak(char c) {
  return c == '\n' || c == '\r';
}

}  // namespace

bool EventReader::Nesting::followsText(char ch, char prev, std::size_t& line) {
  if (isLineBreak(ch)) {
    if (ch == '\r' || prev != '\r') ++line;
    inString = escape = false;
    return true;
  }
  if (inString) {
    if (escape)
      escape = false;
    else if (ch == '\\')
      escape = true;
    else if (ch == '"')
      inString = false;
    return true;
  }
  if (ch == '"') {
    inString = true;
    return true;
  }
  return false;
}

EventReader::EventReader(std::vector<std::string> paths) : paths_(std::move(paths)) {
  if (paths_.empty()) paths_.push_back("-");
  // Fail early, before any event is handled, when an input cannot be read.
  for (const auto& p : paths_) checkReadable(p);
  buffer_.resize(1 << 16);
}

EventReader::~EventReader() = default;

bool EventReader::readsTerminal() const {
  for (const auto& p : paths_)
    if (p == "-") return ::isatty(STDIN_FILENO) == 1;
  return false;
}

bool EventReader::openNext() {
  source_.reset();
  pos_ = len_ = 0;
  ended_ = false;
  failure_.clear();
  mode_ = Mode::Unknown;
  line_ = 1;
  lastByte_ = 0;
  if (pathIndex_ >= paths_.size()) return false;
  const std::string& path = paths_[pathIndex_++];
  try {
    source_ = openFile(path, &stopped_);
  } catch (const ReadError& e) {
    // Checked by the constructor, gone since: reported as an event of its own, like any read
    // error met on the way.
    failure_ = e.what();
    ended_ = true;
    return true;
  }
  // Only bytes that may begin a gzip header or a byte order mark are waited for, so a pipe's
  // first line is not held back.
  readAtLeast(1);
  if (len_ > 0 && buffer_[0] == '\x1f') readAtLeast(2);
  if (looksGzipped(buffer_.data(), len_)) {
    source_ = gunzip(std::move(source_), std::string(buffer_.data(), len_), path);
    len_ = 0;
    readAtLeast(1);
  }
  // A UTF-8 byte order mark is not part of the first event.
  if (len_ > 0 && buffer_[0] == '\xEF') readAtLeast(3);
  if (len_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
  return true;
}

// Reads until the buffer holds `n` bytes or the input ends (a pipe may deliver them one by one).
void EventReader::readAtLeast(std::size_t n) {
  while (len_ < n && !ended_ && source_) {
    std::size_t got = 0;
    if (beforeRead_) beforeRead_();
    try {
      got = source_->read(buffer_.data() + len_, buffer_.size() - len_);
    } catch (const ReadError& e) {
      failure_ = e.what();
    }
    if (got == 0) ended_ = true;
    len_ += got;
  }
}

// Refills the empty buffer with what the input has now; false at its end or on a read error
// (kept in failure_).
bool EventReader::fill() {
  pos_ = len_ = 0;
  readAtLeast(1);
  return len_ > 0;
}

int EventReader::peekNonSpace() {
  for (;;) {
    if (pos_ == len_ && !fill()) return -1;
    char ch = buffer_[pos_];
    if (ch == '\n') {
      if (lastByte_ != '\r') ++line_;
    } else if (ch == '\r') {
      ++line_;
    } else if (ch != ' ' && ch != '\t') {
      return static_cast<unsigned char>(ch);
    }
    lastByte_ = ch;
    ++pos_;
  }
}

bool EventReader::next(RawEvent& out) {
  for (;;) {
    if (stopped_.load()) return false;
    if (!open_) {
      if (!openNext()) return false;
      open_ = true;
    }
    out.text.clear();
    out.error.clear();
    Step s = step(out);
    if (stopped_.load()) return false;  // what a stop cut short is not an event
    if (s == Step::Again) continue;
    if (s == Step::End) {
      open_ = false;
      if (failure_.empty()) continue;
      // A read error between events is an event of its own, so it is reported and counted.
      out.error.swap(failure_);
      out.line = line_;
    }
    out.index = nextIndex_++;
    out.source = paths_[pathIndex_ - 1];
    return true;
  }
}

EventReader::Step EventReader::step(RawEvent& out) {
  switch (mode_) {
    case Mode::Unknown:
      return detect(out);
    case Mode::Lines:
      return nextLine(out) ? Step::Event : Step::End;
    case Mode::Array:
      return nextArrayElement(out);
    case Mode::Values:
      return nextValue(out) ? Step::Event : Step::End;
  }
  return Step::End;
}

// Decides from the first bytes how the input is laid out: '[' an array; a first line that is '{'
// alone, a stream of pretty-printed values (as jq, JSON.stringify(v, null, 2) or Python's
// json.dumps(v, indent=2) print them); anything else NDJSON. In NDJSON a lone '{' is malformed,
// so no NDJSON input that was read before is read differently, a malformed first line included.
EventReader::Step EventReader::detect(RawEvent& out) {
  int c = peekNonSpace();
  if (c < 0) return Step::End;
  if (c == '[') {
    arrayLine_ = line_;
    lastByte_ = buffer_[pos_++];
    arrayAt_ = ArrayAt::Open;
    mode_ = Mode::Array;
    return Step::Again;
  }
  mode_ = Mode::Lines;
  if (c != '{') return Step::Again;
  // The first line is read as a line either way; when it is the '{' alone, the value goes on
  // over the next lines.
  if (!nextLine(out)) return Step::End;
  if (!out.error.empty() || out.text.find_first_not_of(" \t", 1) != std::string::npos)
    return Step::Event;
  mode_ = Mode::Values;
  out.text += '\n';
  Nesting opened;
  opened.depth = 1;
  return scanValue(out, opened, out.text.size()) ? Step::Event : Step::End;
}

void EventReader::keep(RawEvent& out, const char* bytes, std::size_t n, std::size_t& length) const {
  length += n;
  // Past the limit nothing more is kept: the event is only measured to its end.
  if (length <= maxEventBytes_) out.text.append(bytes, n);
}

bool EventReader::finish(RawEvent& out, std::size_t length) const {
  if (length > maxEventBytes_) {
    out.text.clear();
    out.text.shrink_to_fit();  // a rare event: give its memory back rather than keep it
    out.error = "event is " + std::to_string(length) + " bytes, over the limit of " +
                std::to_string(maxEventBytes_) + " bytes";
    constexpr std::size_t kMiB = std::size_t{1} << 20;
    if (maxEventBytes_ % kMiB == 0)
      out.error += " (" + std::to_string(maxEventBytes_ / kMiB) + " MiB)";
  }
  return true;
}

// The input ended (or failed) inside an event: the event carries why.
bool EventReader::endedInside(RawEvent& out, std::size_t length, const std::string& why) {
  finish(out, length);
  out.error = failure_.empty() ? why : failure_;
  failure_.clear();
  return true;
}

// One non-blank line. "\n", "\r\n" and a bare "\r" each end a line.
bool EventReader::nextLine(RawEvent& out) {
  std::size_t length = 0;  // bytes of the line, kept or not
  out.line = line_;
  for (;;) {
    if (pos_ == len_ && !fill()) {
      if (length == 0 || (length <= maxEventBytes_ && isBlank(out.text))) {
        out.text.clear();
        return false;
      }
      if (!failure_.empty()) return endedInside(out, length, failure_);
      return finish(out, length);
    }
    const char* start = buffer_.data() + pos_;
    std::size_t available = len_ - pos_;
    if (lastByte_ == '\r' && *start == '\n') {  // the second half of a "\r\n" cut by a read
      lastByte_ = '\n';
      ++pos_;
      continue;
    }
    const void* lf = std::memchr(start, '\n', available);
    std::size_t n = lf ? static_cast<const char*>(lf) - start : available;
    const void* cr = std::memchr(start, '\r', n);
    if (cr) n = static_cast<const char*>(cr) - start;
    keep(out, start, n, length);
    pos_ += n;
    if (!lf && !cr) {
      if (n > 0) lastByte_ = start[n - 1];
      continue;
    }
    // The line break: "\r\n" is one, even when a read cuts it (see above).
    lastByte_ = buffer_[pos_++];
    if (lastByte_ == '\r' && pos_ < len_ && buffer_[pos_] == '\n') lastByte_ = buffer_[pos_++];
    ++line_;
    if (length == 0 || (length <= maxEventBytes_ && isBlank(out.text))) {  // blank: ignored
      out.text.clear();
      length = 0;
      out.line = line_;
      continue;
    }
    return finish(out, length);
  }
}

// One element of a JSON array, or the error of a missing one. Every call consumes input, so a
// malformed array cannot keep the reader in place.
EventReader::Step EventReader::nextArrayElement(RawEvent& out) {
  auto opened = [&] { return " (the array opens at line " + std::to_string(arrayLine_) + ")"; };
  int c = peekNonSpace();
  if (arrayAt_ == ArrayAt::Element && c == ',') {
    lastByte_ = buffer_[pos_++];
    arrayAt_ = ArrayAt::Comma;
    c = peekNonSpace();
  }
  out.line = line_;
  if (c < 0) {
    mode_ = Mode::Unknown;
    const char* where = arrayAt_ == ArrayAt::Open    ? "after '['"
                        : arrayAt_ == ArrayAt::Comma ? "after ','"
                                                     : "without its closing ']'";
    endedInside(out, 0,
                std::string("unterminated JSON array: the input ended ") + where + opened());
    return Step::Event;
  }
  if (c == ']') {
    lastByte_ = buffer_[pos_++];
    mode_ = Mode::Unknown;  // what follows the array is read afresh
    if (arrayAt_ != ArrayAt::Comma) return Step::Again;
    out.error = "missing JSON array element: ']' follows ','" + opened();
    return Step::Event;
  }
  if (c == ',') {  // "[," or ",,"
    lastByte_ = buffer_[pos_++];
    arrayAt_ = ArrayAt::Comma;
    out.error = "missing JSON array element: ',' with no element before it" + opened();
    return Step::Event;
  }
  arrayAt_ = ArrayAt::Element;
  scanElement(out);
  return Step::Event;
}

// Scans one element up to the ',' or ']' that ends it outside strings and nesting. A stray '}'
// or ']' that closes nothing stays in the element (which then fails to parse), so the scan
// always moves on.
bool EventReader::scanElement(RawEvent& out) {
  Nesting s;
  std::size_t length = 0;
  for (;;) {
    if (pos_ == len_ && !fill()) {
      // An element that is whole (nothing left open) is handed over as it is; the missing ']'
      // is then an error of its own, at the next call.
      if (s.depth == 0 && !s.inString && failure_.empty()) return finish(out, length);
      mode_ = Mode::Unknown;
      return endedInside(out, length,
                         "unterminated JSON array: the input ended inside it (the array opens "
                         "at line " +
                             std::to_string(arrayLine_) + ")");
    }
    const char* data = buffer_.data();
    std::size_t i = pos_;
    char prev = lastByte_;
    bool ended = false;
    for (; i < len_; ++i) {
      char ch = data[i];
      if (s.followsText(ch, prev, line_)) {
        // text: nothing structural
      } else if (ch == '{' || ch == '[') {
        ++s.depth;
      } else if (ch == '}' || ch == ']') {
        if (s.depth > 0) {
          --s.depth;
        } else if (ch == ']') {  // the array's own closing bracket: left for the next call
          ended = true;
          break;
        }
      } else if (ch == ',' && s.depth == 0) {
        ended = true;
        break;
      }
      prev = ch;
    }
    keep(out, data + pos_, i - pos_, length);
    pos_ = i;
    lastByte_ = prev;
    if (ended) return finish(out, length);
  }
}

// One value of a stream of JSON values. What is not an object or array there runs to the end of
// its line, as an event that will fail to parse.
bool EventReader::nextValue(RawEvent& out) {
  int c = peekNonSpace();
  if (c < 0) return false;
  if (c != '{' && c != '[') return nextLine(out);
  out.line = line_;
  return scanValue(out, Nesting{}, 0);
}

// Scans on to the bracket that closes the value. A '{' at the start of a line while the value is
// still open begins the next value (pretty-printers indent nested ones): the open one is
// reported unclosed there instead of swallowing the rest of the input.
bool EventReader::scanValue(RawEvent& out, Nesting s, std::size_t length) {
  for (;;) {
    if (pos_ == len_ && !fill()) {
      return endedInside(out, length,
                         "the input ended inside a JSON value (it starts at line " +
                             std::to_string(out.line) + ")");
    }
    const char* data = buffer_.data();
    std::size_t i = pos_;
    char prev = lastByte_;
    bool closed = false, cut = false;
    for (; i < len_; ++i) {
      char ch = data[i];
      if (s.followsText(ch, prev, line_)) {
        // text: nothing structural
      } else if (ch == '{' || ch == '[') {
        if (ch == '{' && s.depth > 0 && isLineBreak(prev)) {
          cut = true;
          break;
        }
        ++s.depth;
      } else if ((ch == '}' || ch == ']') && --s.depth == 0) {
        prev = ch;
        ++i;
        closed = true;
        break;
      }
      prev = ch;
    }
    keep(out, data + pos_, i - pos_, length);
    pos_ = i;
    lastByte_ = prev;
    if (closed) return finish(out, length);
    if (cut) {
      finish(out, length);
      if (out.error.empty())
        out.error = "JSON value not closed: a new value starts at line " + std::to_string(line_);
      return true;
    }
  }
}

}  // namespace actions::io
