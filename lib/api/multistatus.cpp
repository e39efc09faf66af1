// include/actions/multistatus.h: Segment's multi-status entry, written in one place.
#include "actions/multistatus.h"

#include "actions/json_text.h"
#include "kit/errors.h"

namespace actions {

void appendMultiStatusEntry(const EventResult& r, std::string& out) {
  out += "{\"status\":";
  out += std::to_string(r.status);
  const char* outcome = toString(r.outcome);
  switch (r.outcome) {
    case Outcome::Inserted:
    case Outcome::Duplicate:
    case Outcome::Validated:
    case Outcome::Skipped:
      out += ",\"body\":{\"outcome\":\"";
      out += outcome;
      out += '"';
      if (!r.error.empty()) {
        out += ",\"reason\":";
        appendJsonString(r.error, out);
      }
      out += '}';
      if (r.outcome != Outcome::Skipped && !r.payloadJson.empty()) {
        out += ",\"sent\":";
        out += r.payloadJson;
      }
      out += '}';
      return;
    case Outcome::Rejected:
    case Outcome::Failed:
      break;
  }
  const std::string& type =
      r.errorType.empty() ? std::string(kit::error_codes::kUnknownError) : r.errorType;
  out += ",\"errortype\":";
  appendJsonString(type, out);
  out += ",\"errormessage\":";
  appendJsonString(r.error, out);
  // Validation problems are the integration's to report; delivery failures the destination's.
  bool integrations =
      r.outcome == Outcome::Rejected && type == kit::error_codes::kPayloadValidationFailed;
  out +=
      integrations ? ",\"errorreporter\":\"INTEGRATIONS\"" : ",\"errorreporter\":\"DESTINATION\"";
  out += ",\"outcome\":\"";
  out += outcome;
  out += "\"}";
}

}  // namespace actions
