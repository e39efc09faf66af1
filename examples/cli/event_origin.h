// Where an event came from, "FILE:LINE", for the report and dry-run lines and their errors
// (docs/contracts.md, "More of send"). The reader says it through RawEvent's `source` (the file)
// and `line`; this compiles whether or not the reader in use has them (then no event has an
// origin).
#pragma once

#include <string>
#include <type_traits>
#include <utility>

#include "actions/event_reader.h"

namespace cli {
namespace detail {

template <class Event>
auto originOf(const Event& e, int)
    -> decltype(std::string(e.source), std::size_t(e.line), std::string()) {
  // Events of standard input have no file to name.
  if (std::string_view(e.source).empty() || std::string_view(e.source) == "-") return {};
  return std::string(e.source) + ":" + std::to_string(e.line);
}
template <class Event>
std::string originOf(const Event&, long) {
  return {};
}

}  // namespace detail

// "FILE:LINE", or empty when the event did not come from a file.
inline std::string originOf(const actions::RawEvent& e) {
  return detail::originOf(e, 0);
}

}  // namespace cli
