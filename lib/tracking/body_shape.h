// The shapes a tracking request's body may take (docs/serve.md "Bodies"):
//   {"batch":[events], "sentAt"?, "context"?, "integrations"?, "writeKey"?}  a batch path
//   [events]                                                                a batch path: a
//                                                                           webhook's batch
//   {event}                                                                 a single-event path;
//                                                                           a batch path when the
//                                                                           event has its "type"
// The body is read with the library's JSON reader, as JSON.parse reads it: a member given twice
// counts once, with its last value ({"batch":[A],"batch":[B]} is the batch [B]).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "actions/tracking.h"
#include "json/json.h"

namespace actions::tracking {

struct BodyShape {
  std::string error;  // why the body is none of the shapes; empty when it is one
  // The events, in order (each any JSON value: a non-object is refused per event).
  std::vector<json::Value*> events;
  // Batch-level members (null when absent).
  const json::Value* sentAt = nullptr;
  const json::Value* context = nullptr;
  const json::Value* integrations = nullptr;
  const json::Value* writeKey = nullptr;  // the body's own writeKey (a batch's, or the event's)
};

// Finds the events of `doc` (the parsed body) for `endpoint`.
BodyShape shapeOf(json::Document& doc, const EndpointInfo& endpoint);

}  // namespace actions::tracking
