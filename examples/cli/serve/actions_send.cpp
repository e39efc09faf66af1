// POST /actions/send {"payload": event or [events], "mapping"?: {..}, "subscription"?: ".."}:
// for host runtimes, one Segment multi-status entry per event, as the plugin's execute_batch
// gives (include/actions/plugin.h), always with HTTP 200 when the request itself is good.
#include <string>

#include "actions/json_text.h"
#include "actions/mapping/mapping.h"
#include "actions/multistatus.h"
#include "actions/subscription.h"
#include "body_parser.h"
#include "events.h"
#include "routes.h"

namespace serve {
Answer Routes::actionsSend(const std::string& body, std::string_view authorization) {
  ParsedBody parsed = parseBody(body);
  if (!parsed.ok()) return errorAnswer(400, parsed.error);
  const Member *payload = nullptr, *mapping = nullptr, *subscription = nullptr, *writeKey = nullptr;
  for (const auto& m : parsed.members) {
    if (m.key == "payload")
      payload = &m;
    else if (m.key == "mapping")
      mapping = &m;
    else if (m.key == "subscription")
      subscription = &m;
    else if (m.key == "writeKey")
      writeKey = &m;
    else
      return errorAnswer(400, "unknown key \"" + m.key +
                                  "\" in the request (it takes payload, mapping, subscription "
                                  "and writeKey)");
  }
  if (writeKey && writeKey->kind != JsonKind::String)
    return errorAnswer(
        400, std::string("\"writeKey\" must be a string, not ") + describe(writeKey->kind));
  AuthResult auth = keys_.check(
      authorization, writeKey ? std::optional<std::string>(writeKey->string) : std::nullopt);
  if (auth != AuthResult::Allowed) {
    Answer a = errorAnswer(
        401, auth == AuthResult::Missing ? "no write key" : "the write key is not valid");
    a.askForWriteKey = true;
    return a;
  }
  if (!payload)
    return errorAnswer(400, "the request has no \"payload\": an event or an array of events");
  if (payload->kind != JsonKind::Object && payload->kind != JsonKind::Array)
    return errorAnswer(400,
                       std::string("\"payload\" must be an event or an array of events, not ") +
                           describe(payload->kind));
  if (mapping && mapping->kind != JsonKind::Object)
    return errorAnswer(
        400, std::string("\"mapping\" must be an object, not ") + describe(mapping->kind));
  if (subscription && subscription->kind != JsonKind::String)
    return errorAnswer(
        400, std::string("\"subscription\" must be a string, not ") + describe(subscription->kind));

  std::shared_ptr<actions::Destination> destination;
  try {
    std::optional<std::string> mappingText, subscriptionText;
    if (mapping) mappingText = body.substr(mapping->begin, mapping->end - mapping->begin);
    if (subscription) subscriptionText = subscription->string;
    destination = destinations_.forRequest(mappingText, subscriptionText);
  } catch (const actions::mapping::InvalidMapping& e) {
    Answer a = errorAnswer(400, "invalid mapping");
    a.body.pop_back();
    a.body += ",\"problems\":[";
    for (std::size_t i = 0; i < e.problems().size(); ++i) {
      if (i) a.body += ',';
      actions::appendJsonString(e.problems()[i], a.body);
    }
    a.body += "]}";
    return a;
  } catch (const actions::InvalidSubscription& e) {
    return errorAnswer(400, std::string("invalid subscription: ") + e.what());
  }

  RequestEvents events(config_.limits.maxEventBytes);
  std::string_view text(body);
  if (payload->kind == JsonKind::Object) {
    std::string_view one = text.substr(payload->begin, payload->end - payload->begin);
    // Whether the event has a writeKey to drop: only a parse of the event can tell.
    ParsedBody inner = parseBody(one);
    EventFixes fixes;
    fixes.dropWriteKey = inner.find("writeKey") != nullptr;
    events.add(one, true, "", fixes);
  } else {
    for (const auto& e : payload->elements) {
      EventFixes fixes;
      fixes.dropWriteKey = e.hasWriteKey;
      events.add(text.substr(e.begin, e.end - e.begin), e.object, "a JSON value of another kind",
                 fixes);
    }
  }
  std::vector<actions::EventResult> results = events.deliver(*destination, metrics_);
  Answer a;
  a.events = results.size();
  a.body = "{\"results\":[";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i) a.body += ',';
    actions::appendMultiStatusEntry(results[i], a.body);
  }
  a.body += "]}";
  return a;
}

}  // namespace serve
