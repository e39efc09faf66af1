// Segment's HTTP tracking API: POST /v1/batch {"batch":[..]} and the six single-event paths.
// Answers as Segment's clients expect: 200 {"success":true} once every event is stored, a
// duplicate, skipped or rejected (the rejected listed); 429 / 503 with Retry-After when some
// could not be delivered now, so the client sends the request again (messageIds make the repeat
// harmless).
#include <string>

#include "actions/json_text.h"
#include "answer_list.h"
#include "body_parser.h"
#include "events.h"
#include "log.h"
#include "routes.h"

namespace serve {
namespace {

Answer unauthorized(AuthResult auth) {
  Answer a = errorAnswer(401, auth == AuthResult::Missing
                                  ? "no write key: send it as the user name of HTTP Basic "
                                    "authentication, or as \"writeKey\" in the body"
                                  : "the write key is not valid for this server");
  a.askForWriteKey = true;
  return a;
}

std::optional<std::string> bodyWriteKey(const ParsedBody& body) {
  const Member* m = body.find("writeKey");
  if (m && m->kind == JsonKind::String) return m->string;
  return std::nullopt;
}

// The text of the body's top-level member `key` when it is an object; empty otherwise.
std::string_view objectText(const ParsedBody& parsed, std::string_view body, std::string_view key) {
  const Member* m = parsed.find(key);
  if (!m || m->kind != JsonKind::Object) return {};
  return body.substr(m->begin, m->end - m->begin);
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

Answer Routes::tracking(const Route& route, const std::string& body,
                        std::string_view authorization) {
  ParsedBody parsed = parseBody(body);
  if (!parsed.ok()) return errorAnswer(400, parsed.error);
  AuthResult auth = keys_.check(authorization, bodyWriteKey(parsed));
  if (auth != AuthResult::Allowed) return unauthorized(auth);

  RequestEvents events(config_.limits.maxEventBytes);
  if (route.kind == RouteKind::TrackingBatch) {
    const Member* batch = parsed.find("batch");
    if (!batch) return errorAnswer(400, "the body has no \"batch\": expected {\"batch\":[events]}");
    if (batch->kind != JsonKind::Array)
      return errorAnswer(
          400, std::string("\"batch\" must be an array of events, not ") + describe(batch->kind));
    // Segment's batch-level "context" and "integrations" apply to the events without their own.
    std::string_view context = objectText(parsed, body, "context");
    std::string_view integrations = objectText(parsed, body, "integrations");
    for (const auto& e : batch->elements) {
      EventFixes fixes;
      fixes.dropWriteKey = e.hasWriteKey;
      if (!e.hasContext) fixes.contextIfMissing = context;
      if (!e.hasIntegrations) fixes.integrationsIfMissing = integrations;
      events.add(std::string_view(body).substr(e.begin, e.end - e.begin), e.object,
                 "a JSON value of another kind", fixes);
    }
  } else {
    // The body is the event; the path names its type when it has none.
    EventFixes fixes;
    if (!parsed.find("type")) fixes.typeIfMissing = route.type;
    fixes.dropWriteKey = parsed.find("writeKey") != nullptr;
    events.add(trimmed(body), true, "", fixes);
  }

  std::vector<actions::EventResult> results = events.deliver(destinations_.main(), metrics_);
  Answer a;
  a.events = results.size();
  std::size_t failed = 0, rejected = 0;
  bool tooMany = false;
  const actions::EventResult* firstFailure = nullptr;
  for (const auto& r : results) {
    if (r.outcome == actions::Outcome::Failed) {
      ++failed;
      tooMany |= r.status == 429;
      if (!firstFailure) firstFailure = &r;
    } else if (r.outcome == actions::Outcome::Rejected) {
      ++rejected;
    }
  }
  if (failed) {
    std::string message =
        std::to_string(failed) + " of " + std::to_string(results.size()) +
        " events could not be delivered now (send the request again): " + firstFailure->error;
    LogLine("delivery", "error")
        .add("path", route.kind == RouteKind::TrackingBatch ? "/v1/batch"
                                                            : "/v1/" + std::string(route.type))
        .add("events", results.size())
        .add("failed", failed)
        .add("status", firstFailure->status)
        .add("errorType", firstFailure->errorType)
        .add("error", firstFailure->error)
        .write();
    Answer e = errorAnswer(tooMany ? 429 : 503, message);
    e.events = results.size();
    e.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
    return e;
  }
  a.body = "{\"success\":true";
  // Each rejected event: where it is in the request, its messageId, and why (the first ones).
  ListedEvents listed("rejected");
  for (std::size_t i = 0; rejected && i < results.size(); ++i) {
    const auto& r = results[i];
    if (r.outcome != actions::Outcome::Rejected || !listed.count()) continue;
    std::string entry = "{\"index\":" + std::to_string(i) + ",\"messageId\":";
    if (r.messageId)
      actions::appendJsonString(*r.messageId, entry);
    else
      entry += "null";
    entry += ",\"status\":" + std::to_string(r.status) + ",\"errorType\":";
    actions::appendJsonString(r.errorType, entry);
    entry += ",\"error\":";
    actions::appendJsonString(r.error, entry);
    entry += '}';
    listed.add(entry);
  }
  listed.appendTo(a.body);
  a.body += '}';
  return a;
}

}  // namespace serve
