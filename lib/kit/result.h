// One event's answer, in the shape of Segment's multi-status responses: what happened to it
// (outcome), an HTTP-like status, and for events that were not delivered the error and its type.
// The library's one outcome vocabulary: hosts get the same outcomes as actions::Outcome
// (actions/sender.h), results as actions::EventResult (actions/destination.h).
#pragma once

#include <string>

namespace actions::kit {

// Validated: resolved into a valid payload and not delivered (a dry run, or Destination::resolve).
enum class Outcome { Inserted, Duplicate, Skipped, Rejected, Failed, Validated };

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
    case Outcome::Validated:
      return "validated";
  }
  return "failed";
}

// A result nobody filled in reads as a failure: an answer forgotten on some path can never pass
// for a stored event.
struct EventResult {
  int status = 500;  // HTTP-like status: 200, 400 (rejected), 401, 429 / 5xx (failed)
  Outcome outcome = Outcome::Failed;
  std::string error;      // empty when delivered
  std::string errorType;  // Segment's error code, e.g. PAYLOAD_VALIDATION_FAILED

  bool delivered() const { return outcome == Outcome::Inserted || outcome == Outcome::Duplicate; }
};

inline EventResult validated() {
  return {200, Outcome::Validated, {}, {}};
}

}  // namespace actions::kit
