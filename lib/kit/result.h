// One event's answer, in the shape of Segment's multi-status responses: what happened to it
// (outcome), an HTTP-like status, and for events that were not delivered the error and its type.
// Private to the library: hosts get actions::EventResult (actions/destination.h).
#pragma once

#include <string>

namespace actions::kit {

enum class Outcome { Inserted, Duplicate, Skipped, Rejected, Failed };

inline const char* toString(Outcome o) {
  switch (o) {
    case Outcome::Inserted:
      return "inserted";
    case Outcome::Duplicate:
      return "duplicate";
    case Outcome::Skipped:
      return "skipped";
    case Outcome::Rejected:
      return "rejected";
    case Outcome::Failed:
      return "failed";
  }
  return "failed";
}

struct EventResult {
  int status = 200;  // HTTP-like status: 200, 400 (rejected), 401, 429 / 5xx (failed)
  Outcome outcome = Outcome::Inserted;
  std::string error;      // empty when delivered
  std::string errorType;  // Segment's error code, e.g. PAYLOAD_VALIDATION_FAILED

  bool delivered() const { return outcome == Outcome::Inserted || outcome == Outcome::Duplicate; }
};

}  // namespace actions::kit
