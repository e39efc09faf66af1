// A list of events in an answer (the rejected, the skipped), capped so an answer stays small
// whatever the request held: the first kMaxListedEvents entries that fit in kMaxListedBytes, and
// the total besides.
//
//   ListedEvents rejected("rejected");
//   for (...) if (rejected.count()) rejected.add(entryJson(...));
//   rejected.appendTo(body);  // ,"rejected":[...],"rejectedTotal":N
#pragma once

#include <cstddef>
#include <string>

#include "limits.h"

namespace serve {

class ListedEvents {
 public:
  explicit ListedEvents(std::string name) : name_(std::move(name)) {}

  // Counts one more event; true when its entry is still to be listed (then add() it).
  bool count() {
    ++total_;
    return !full_ && listed_ < kMaxListedEvents;
  }
  // The entry (a JSON value) of the event counted last.
  void add(const std::string& entry) {
    if (full_ || entries_.size() + entry.size() + 1 > kMaxListedBytes) {
      full_ = true;  // the list stays a prefix: nothing after an entry that did not fit
      return;
    }
    if (listed_) entries_ += ',';
    entries_ += entry;
    ++listed_;
  }
  std::size_t total() const { return total_; }
  std::size_t listed() const { return listed_; }

  // ,"NAME":[entries],"NAMETotal":N — nothing when no event was counted.
  void appendTo(std::string& out) const {
    if (!total_) return;
    out += ",\"" + name_ + "\":[" + entries_ + "],\"" + name_ + "Total\":" + std::to_string(total_);
  }

 private:
  std::string name_;
  std::string entries_;
  std::size_t total_ = 0, listed_ = 0;
  bool full_ = false;
};

}  // namespace serve
