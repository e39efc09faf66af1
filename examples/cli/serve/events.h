// The events of one /actions/send request on their way to a Destination: slices of the body where
// they can be passed as sent, rewritten copies where they cannot (a "writeKey" that must not be
// stored), and the events refused before any Destination (not an object, over the size limit per
// event), each with its own error. A bad event costs only itself. (The tracking API's events are
// read by the library's tracking rules, include/actions/tracking.h.)
#pragma once

#include <cstddef>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/destination.h"
#include "metrics.h"

namespace serve {

// What an event needs before it goes to the Destination; nothing, for most events.
struct EventFixes {
  bool dropWriteKey = false;  // remove its "writeKey": a credential is not data
  bool any() const { return dropWriteKey; }
};

class RequestEvents {
 public:
  explicit RequestEvents(std::size_t maxEventBytes) : maxEventBytes_(maxEventBytes) {}

  // The next event of the request, with what it needs changed.
  void add(std::string_view text, bool isObject, std::string_view kindIfNotObject,
           const EventFixes& fixes = {});

  std::size_t size() const { return results_.size(); }

  // Runs the accepted events through `destination` (one performBatch) and returns one result per
  // event of the request, in order; counts them in `metrics` and times the call.
  std::vector<actions::EventResult> deliver(actions::Destination& destination, Metrics& metrics);
  // The same, each valid payload first shown to `check`, which refuses it by returning its answer
  // (the payloads it lets through are delivered as performBatch would).
  using PayloadCheck =
      std::function<std::optional<actions::EventResult>(std::string_view payloadJson)>;
  std::vector<actions::EventResult> deliver(actions::Destination& destination, Metrics& metrics,
                                            const PayloadCheck& check);

 private:
  void reject(std::string error);

  std::size_t maxEventBytes_;
  std::vector<std::string_view> views_;        // handed to the Destination
  std::vector<std::size_t> positions_;         // views_[k] is event positions_[k] of the request
  std::deque<std::string> owned_;              // rewritten events (stable addresses)
  std::vector<actions::EventResult> results_;  // filled for refused events, the rest by deliver
};

// The event's text with `fixes` applied; the text unchanged when it does not parse.
std::string rewriteEvent(std::string_view text, const EventFixes& fixes);

}  // namespace serve
