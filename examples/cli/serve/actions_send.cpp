// POST /actions/send {"payload": event or [events], "mapping"?: {..}, "subscription"?: ".."}:
// for host runtimes, one Segment multi-status entry per event, as the plugin's execute_batch
// gives (include/actions/plugin.h), always with HTTP 200 when the request itself is good.
//
// A request's mapping may send rows to any database (its "database" field). A write key does not
// grant that: payloads go only to the settings' dbName and the databases the operator lists
// (--allow-database); any other is refused per event, with a message that names only what the
// request itself said, so nothing is learnt about which databases exist.
#include <rapidjson/document.h>

#include <algorithm>
#include <string>

#include "actions/json_text.h"
#include "actions/mapping/mapping.h"
#include "actions/multistatus.h"
#include "actions/subscription.h"
#include "body_parser.h"
#include "events.h"
#include "routes.h"

namespace serve {
namespace {

// Whether payloads made by `mappingJson` may carry a database: it maps "database", or it is not a
// plain object of fields (a directive at its top could produce any field).
bool mayNameDatabase(const std::optional<std::string>& mappingJson) {
  if (!mappingJson) return false;  // the action's default mapping has no "database"
  rapidjson::Document doc;
  doc.Parse(mappingJson->data(), mappingJson->size());
  if (doc.HasParseError() || !doc.IsObject()) return true;
  for (const auto& m : doc.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    if (key == "database" || (!key.empty() && key.front() == '@')) return true;
  }
  return false;
}

// The payload's "database" when it names one other than `allowed` lists; nothing otherwise.
std::optional<std::string> forbiddenDatabase(std::string_view payloadJson,
                                             const std::vector<std::string>& allowed) {
  rapidjson::Document doc;
  doc.Parse(payloadJson.data(), payloadJson.size());
  if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
  auto it = doc.FindMember("database");
  if (it == doc.MemberEnd() || !it->value.IsString() || it->value.GetStringLength() == 0)
    return std::nullopt;  // the settings' dbName (a value of another kind: the writer rejects it)
  std::string name(it->value.GetString(), it->value.GetStringLength());
  if (std::find(allowed.begin(), allowed.end(), name) != allowed.end()) return std::nullopt;
  return name;
}

}  // namespace

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
    EventFixes fixes;
    fixes.dropWriteKey = payload->hasWriteKey;
    events.add(one, true, "", fixes);
  } else {
    for (const auto& e : payload->elements) {
      EventFixes fixes;
      fixes.dropWriteKey = e.hasWriteKey;
      events.add(text.substr(e.begin, e.end - e.begin), e.object, "a JSON value of another kind",
                 fixes);
    }
  }
  std::vector<actions::EventResult> results;
  const std::optional<std::string>& serverMapping = config_.send.mappingJson;
  if (!mayNameDatabase(mapping ? std::optional<std::string>(std::string(
                                     text.substr(mapping->begin, mapping->end - mapping->begin)))
                               : serverMapping)) {
    results = events.deliver(*destination, metrics_);
  } else {
    std::vector<std::string> allowed = config_.allowedDatabases;
    allowed.push_back(destinations_.settings().database());
    results = events.deliver(
        *destination, metrics_,
        [&](std::string_view payload) -> std::optional<actions::EventResult> {
          auto name = forbiddenDatabase(payload, allowed);
          if (!name) return std::nullopt;
          actions::EventResult r;
          r.outcome = actions::Outcome::Rejected;
          r.status = 403;
          r.errorType = "FORBIDDEN";
          r.error = "this server does not write to the database the payload names (";
          // As the request gave it, cut short: the answer tells nothing the request did not.
          if (name->size() > 64) {
            std::size_t cut = 64;
            while (cut > 0 && ((*name)[cut] & 0xC0) == 0x80) --cut;  // not inside a character
            *name = name->substr(0, cut) + "...";
          }
          r.error += *name;
          r.error +=
              "): it writes to its configured database, and to others only when the operator "
              "allows them (serve --allow-database)";
          return r;
        });
  }
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
