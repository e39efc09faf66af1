#include "io/event_reader.h"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace actions::io {
namespace {
bool isSpace(int c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
}  // namespace

EventReader::EventReader(std::vector<std::string> paths) : paths_(std::move(paths)) {
  if (paths_.empty()) paths_.push_back("-");
  // Fail early, before any event is handled, when an input cannot be read.
  for (const auto& p : paths_) {
    if (p == "-") continue;
    std::FILE* f = std::fopen(p.c_str(), "rb");
    if (!f) throw std::runtime_error("cannot open input " + p + ": " + std::strerror(errno));
    std::fclose(f);
  }
  buffer_.resize(1 << 16);
}

EventReader::~EventReader() {
  if (file_ && ownsFile_) std::fclose(file_);
}

bool EventReader::openNext() {
  if (file_ && ownsFile_) std::fclose(file_);
  file_ = nullptr;
  bufPos_ = bufLen_ = 0;
  mode_ = Mode::Unknown;
  if (pathIndex_ >= paths_.size()) return false;
  const std::string& p = paths_[pathIndex_++];
  if (p == "-") {
    file_ = stdin;
    ownsFile_ = false;
  } else {
    file_ = std::fopen(p.c_str(), "rb");
    if (!file_) throw std::runtime_error("cannot open input " + p + ": " + std::strerror(errno));
    ownsFile_ = true;
  }
  // A UTF-8 byte order mark is not part of the first event.
  if (getChar() != EOF) --bufPos_;
  if (bufLen_ >= 3 && std::memcmp(buffer_.data(), "\xEF\xBB\xBF", 3) == 0) bufPos_ = 3;
  return true;
}

int EventReader::getChar() {
  if (bufPos_ == bufLen_) {
    if (!file_) return EOF;
    bufLen_ = std::fread(buffer_.data(), 1, buffer_.size(), file_);
    bufPos_ = 0;
    if (bufLen_ == 0) return EOF;
  }
  return static_cast<unsigned char>(buffer_[bufPos_++]);
}

int EventReader::peekNonSpace() {
  for (;;) {
    int c = getChar();
    if (c == EOF) return EOF;
    if (!isSpace(c)) {
      --bufPos_;
      return c;
    }
  }
}

bool EventReader::next(RawEvent& out) {
  for (;;) {
    if (!file_ && !openNext()) return false;
    if (mode_ == Mode::Unknown) {
      int c = peekNonSpace();
      if (c == EOF) {
        if (!openNext()) return false;
        continue;
      }
      if (c == '[') {
        getChar();
        mode_ = Mode::Array;
      } else {
        mode_ = Mode::Lines;
      }
    }
    bool got = mode_ == Mode::Lines   ? nextLine(out)
               : mode_ == Mode::Array ? nextArrayElement(out)
                                      : false;
    if (got) {
      out.index = nextIndex_++;
      return true;
    }
    if (mode_ == Mode::ArrayDone) {
      // Anything after the closing bracket is read as further NDJSON lines.
      mode_ = Mode::Lines;
      continue;
    }
    if (!openNext()) return false;
  }
}

bool EventReader::nextLine(RawEvent& out) {
  out.text.clear();
  out.error.clear();
  for (;;) {
    // Copy a run of bytes up to the next newline in one go.
    if (bufPos_ == bufLen_ && getChar() != EOF) --bufPos_;
    if (bufPos_ == bufLen_) {
      bool blank = out.text.find_first_not_of(" \t\r\n") == std::string::npos;
      if (blank) return false;
      return true;
    }
    const char* start = buffer_.data() + bufPos_;
    const void* nl = std::memchr(start, '\n', bufLen_ - bufPos_);
    std::size_t n = nl ? static_cast<const char*>(nl) - start : bufLen_ - bufPos_;
    out.text.append(start, n);
    bufPos_ += n;
    if (nl) {
      ++bufPos_;
      if (out.text.find_first_not_of(" \t\r\n") == std::string::npos) {
        out.text.clear();  // blank lines are ignored
        continue;
      }
      return true;
    }
  }
}

bool EventReader::nextArrayElement(RawEvent& out) {
  out.text.clear();
  out.error.clear();
  int c = peekNonSpace();
  if (c == ']') {
    getChar();
    mode_ = Mode::ArrayDone;
    return false;
  }
  if (c == ',') {
    getChar();
    c = peekNonSpace();
  }
  if (c == EOF) {
    mode_ = Mode::ArrayDone;
    return false;
  }
  // Scan one element: track strings and nesting to find the comma or bracket that ends it. The
  // bytes scanned are appended a buffer's run at a time, not one by one.
  int depth = 0;
  bool inString = false, escape = false;
  for (;;) {
    if (bufPos_ == bufLen_) {
      if (getChar() == EOF) {
        out.error = "unterminated JSON array: the input ended inside it";
        mode_ = Mode::ArrayDone;
        return true;
      }
      --bufPos_;
    }
    const char* data = buffer_.data();
    std::size_t i = bufPos_;
    bool ended = false;
    for (; i < bufLen_; ++i) {
      char ch = data[i];
      if (inString) {
        if (escape)
          escape = false;
        else if (ch == '\\')
          escape = true;
        else if (ch == '"')
          inString = false;
      } else if (ch == '"') {
        inString = true;
      } else if (ch == '{' || ch == '[') {
        ++depth;
      } else if (ch == '}' || ch == ']') {
        if (depth == 0) {  // the array's own closing bracket: left for the next call
          ended = true;
          break;
        }
        --depth;
      } else if (ch == ',' && depth == 0) {
        ended = true;
        break;
      }
    }
    out.text.append(data + bufPos_, i - bufPos_);
    bufPos_ = i;
    if (ended) return true;
  }
}

}  // namespace actions::io
