#include "kit/multistatus.h"

#include "kit/errors.h"

namespace actions::kit {
namespace {

json::Value str(const std::string& s, json::Allocator& a) {
  return json::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

}  // namespace

void multiStatusEntry(const EventResult& r, const json::Value* sent, json::Value& out,
                      json::Allocator& a) {
  out.SetObject();
  out.AddMember("status", r.status, a);
  const char* outcome = toString(r.outcome);
  if (r.outcome == Outcome::Inserted || r.outcome == Outcome::Duplicate ||
      r.outcome == Outcome::Skipped) {
    json::Value body(rapidjson::kObjectType);
    body.AddMember("outcome", json::Value(rapidjson::StringRef(outcome)), a);
    if (!r.error.empty()) body.AddMember("reason", str(r.error, a), a);
    out.AddMember("body", body, a);
    if (sent) out.AddMember("sent", json::Value(*sent, a), a);
    return;
  }
  std::string type = r.errorType.empty() ? error_codes::kUnknownError : r.errorType;
  out.AddMember("errortype", str(type, a), a);
  out.AddMember("errormessage", str(r.error, a), a);
  // Validation problems are the integration's to report; delivery failures the destination's.
  const char* reporter =
      r.outcome == Outcome::Rejected && type == error_codes::kPayloadValidationFailed
          ? "INTEGRATIONS"
          : "DESTINATION";
  out.AddMember("errorreporter", json::Value(rapidjson::StringRef(reporter)), a);
  out.AddMember("outcome", json::Value(rapidjson::StringRef(outcome)), a);
}

}  // namespace actions::kit
