// actions::tracking::TrackingApi (include/actions/tracking.h): a request's body read into its
// events, the write key judged, Segment's limits applied, each event refused with its reason or
// given Segment's fields and handed back as JSON text.
#include <algorithm>
#include <array>
#include <limits>

#include "actions/tracking.h"
#include "json/json.h"
#include "tracking/body_shape.h"
#include "tracking/clock.h"
#include "tracking/enrichment.h"
#include "tracking/integrations.h"
#include "tracking/project_settings.h"
#include "tracking/write_keys.h"

namespace actions::tracking {
namespace {

constexpr std::array<std::string_view, 6> kTypes = {"track",  "identify", "page",
                                                    "screen", "group",    "alias"};

json::Value* member(json::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

bool missing(const json::Value* v) {
  return !v || v->IsNull();
}

const char* kindOf(const json::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

// Gives the event the batch's members of `key` (context, integrations) that it lacks: Segment's
// batch-level object "will be merged with any context inside each of the items in the batch".
void mergeBatchObject(json::Value& event, const char* key, const json::Value* batchLevel,
                      json::Allocator& alloc) {
  if (!batchLevel || !batchLevel->IsObject()) return;
  json::Value* own = member(event, key);
  if (missing(own)) {
    json::Value copy(*batchLevel, alloc);
    if (own)
      *own = std::move(copy);
    else
      event.AddMember(json::Value(key, alloc), std::move(copy), alloc);
    return;
  }
  if (!own->IsObject()) return;
  for (const auto& m : batchLevel->GetObject())
    if (!own->HasMember(m.name))
      own->AddMember(json::Value(m.name, alloc), json::Value(m.value, alloc), alloc);
}

std::string typeProblem(const json::Value* type) {
  if (missing(type))
    return "the event has no \"type\": each event of a batch needs one of track, identify, page, "
           "screen, group, alias";
  if (!type->IsString())
    return std::string(
               "\"type\" must be a string (track, identify, page, screen, group or "
               "alias), not ") +
           kindOf(*type);
  std::string_view t(type->GetString(), type->GetStringLength());
  if (std::find(kTypes.begin(), kTypes.end(), t) != kTypes.end()) return "";
  std::string shown(t.substr(0, 64));
  return "\"type\" is \"" + shown +
         "\", which is not one of Segment's types: track, identify, page, screen, group, alias "
         "(in lower case)";
}

}  // namespace

struct TrackingApi::Impl {
  explicit Impl(Options o)
      : options(std::move(o)), keys(options.writeKeys, options.allowAnonymous) {}
  Options options;
  KeyTable keys;
};

TrackingApi::TrackingApi(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {}
TrackingApi::~TrackingApi() = default;

const Options& TrackingApi::options() const {
  return impl_->options;
}

Credential TrackingApi::checkAuthorization(std::string_view authorization) const {
  auto user = basicUser(authorization);
  if (!user || user->empty()) return Credential{KeyCheck::Missing, ""};
  return impl_->keys.judge(*user);
}

Credential TrackingApi::checkKey(std::string_view authorization,
                                 const std::optional<std::string>& bodyKey) const {
  return impl_->keys.check(authorization, bodyKey);
}

std::size_t TrackingApi::maxBody(const EndpointInfo& endpoint) const {
  switch (endpoint.endpoint) {
    case Endpoint::Batch:
    case Endpoint::ClientBatch:
      return impl_->options.limits.maxBatchBytes;
    case Endpoint::Single:
    case Endpoint::ClientMetrics:
      return impl_->options.limits.maxEventBytes;
    case Endpoint::ProjectSettings:
    case Endpoint::Unknown:
      break;
  }
  return 0;
}

Intake TrackingApi::read(const Request& request) const {
  const Options& o = impl_->options;
  Intake in;
  auto fail = [&in](int status, std::string error) {
    in.status = status;
    in.error = std::move(error);
    in.accepted.clear();
    in.acceptedIndex.clear();
    in.refused.clear();
    return in;
  };
  std::size_t limit = maxBody(request.endpoint);
  if (limit == 0) return fail(400, "this path takes no events");
  if (request.body.size() > limit)
    return fail(400, "the body is " + std::to_string(request.body.size()) +
                         " bytes, over this path's limit of " + std::to_string(limit) + " bytes");
  json::Document doc;
  if (auto error = json::parse(request.body, doc))
    return fail(400, "the body is not JSON: " + error->describe());
  BodyShape shape = shapeOf(doc, request.endpoint);
  if (!shape.error.empty()) return fail(400, shape.error);
  // Over Segment's limit of events a batch the request is refused whole, as a body over its
  // size is (the contract's 400): the client learns at once, and nothing of it is half taken.
  if (shape.events.size() > o.limits.maxBatchEvents)
    return fail(400, "the batch has " + std::to_string(shape.events.size()) +
                         " events, over Segment's limit of " +
                         std::to_string(o.limits.maxBatchEvents) + " events a batch");

  // The write key: the header's, judged first; else the body's; else the events' own. A key
  // that is not this server's refuses the whole request, wherever it stands.
  Credential credential = checkAuthorization(request.authorization);
  bool headerKey = credential.check != KeyCheck::Missing;
  // An event that carries its own key stands for that key's source.
  std::vector<std::optional<std::string>> eventSources(shape.events.size());
  if (!headerKey) {
    std::optional<std::string> bodyKey;
    if (shape.writeKey) {
      if (!shape.writeKey->IsString())
        return fail(401,
                    "\"writeKey\" must be a string, not " + std::string(kindOf(*shape.writeKey)));
      bodyKey.emplace(shape.writeKey->GetString(), shape.writeKey->GetStringLength());
    }
    for (std::size_t i = 0; i < shape.events.size(); ++i) {
      json::Value& e = *shape.events[i];
      if (!e.IsObject()) continue;
      const json::Value* key = member(e, "writeKey");
      if (!key || key == shape.writeKey) continue;
      if (!key->IsString())
        return fail(401, "event " + std::to_string(i) + ": \"writeKey\" must be a string, not " +
                             kindOf(*key));
      Credential own =
          impl_->keys.judge(std::string_view(key->GetString(), key->GetStringLength()));
      if (own.check != KeyCheck::Allowed)
        return fail(401, "event " + std::to_string(i) +
                             " carries a write key that is not valid for this server");
      eventSources[i] = own.source;
      if (!bodyKey) bodyKey.emplace(key->GetString(), key->GetStringLength());
    }
    credential = impl_->keys.check("", bodyKey);
  }
  if (credential.check == KeyCheck::Missing)
    return fail(401,
                "no write key: send it as the user name of HTTP Basic authentication, or as "
                "\"writeKey\" in the body");
  if (credential.check == KeyCheck::Wrong)
    return fail(401, "the write key is not valid for this server");
  in.source = credential.source;
  in.events = shape.events.size();

  Arrival arrival;
  // receivedAt is written to the millisecond; the correction uses the time as written.
  arrival.receivedAtMicros = microsOf(request.receivedAt) / 1000 * 1000;
  arrival.receivedAt = isoTime(arrival.receivedAtMicros);
  arrival.batchSentAt = shape.sentAt;
  arrival.clientPath = request.endpoint.clientSide;
  arrival.clientIp = clientAddress(request.peerAddress, request.forwardedFor, o.trustProxy);
  bool singlePath = request.endpoint.endpoint == Endpoint::Single;
  auto& alloc = doc.GetAllocator();
  std::string text;
  for (std::size_t i = 0; i < shape.events.size(); ++i) {
    json::Value& e = *shape.events[i];
    auto refuse = [&](Outcome outcome, const char* reason, std::string error) {
      Refusal r;
      r.index = i;
      r.outcome = outcome;
      r.reason = reason;
      r.error = std::move(error);
      if (e.IsObject())
        if (const json::Value* id = member(e, "messageId"); id && id->IsString())
          r.messageId.emplace(id->GetString(), id->GetStringLength());
      if (outcome == Outcome::Rejected) {
        if (text.empty()) json::stringify(e, text);
        r.text = text;
      }
      in.refused.push_back(std::move(r));
    };
    text.clear();
    if (!e.IsObject()) {
      refuse(Outcome::Rejected, "not_an_object",
             "event " + std::to_string(i) + " is not a JSON object but " + kindOf(e));
      continue;
    }
    // A credential is not data: never stored, never written to a file.
    if (member(e, "writeKey")) e.EraseMember("writeKey");
    // An event's compact JSON is no longer than its text in the body (bar the odd number
    // JavaScript writes longer: 1e21 is 1e+21): the events of a body within the limit are
    // not measured. One over it refuses the request whole, as Segment's limit does.
    if (request.body.size() > o.limits.maxEventBytes) json::stringify(e, text);
    if (text.size() > o.limits.maxEventBytes)
      return fail(400, "event " + std::to_string(i) + " is " + std::to_string(text.size()) +
                           " bytes, over Segment's limit of " +
                           std::to_string(o.limits.maxEventBytes) + " bytes an event");
    if (singlePath && missing(member(e, "type"))) {
      json::Value type(request.endpoint.type.data(),
                       static_cast<rapidjson::SizeType>(request.endpoint.type.size()), alloc);
      if (json::Value* t = member(e, "type"))
        *t = std::move(type);
      else
        e.AddMember("type", std::move(type), alloc);
    }
    if (std::string problem = typeProblem(member(e, "type")); !problem.empty()) {
      refuse(Outcome::Rejected, "type", std::move(problem));
      continue;
    }
    mergeBatchObject(e, "context", shape.context, alloc);
    mergeBatchObject(e, "integrations", shape.integrations, alloc);
    if (!sendsTo(member(e, "integrations"), o.destinationName)) {
      refuse(Outcome::Skipped, "integrations",
             "its integrations object keeps it from " + o.destinationName +
                 " (\"All\": false "
                 "without \"" +
                 o.destinationName + "\": true, or \"" + o.destinationName + "\": false)");
      continue;
    }
    const std::string& source = eventSources[i] ? *eventSources[i] : in.source;
    enrich(e, alloc, arrival, source);
    in.accepted.emplace_back();
    json::stringify(e, in.accepted.back());
    in.acceptedIndex.push_back(i);
  }
  return in;
}

std::string TrackingApi::projectSettings(std::string_view writeKey,
                                         std::string_view apiBase) const {
  if (!impl_->keys.find(writeKey) && !impl_->keys.allowAnonymous()) return "";
  return projectSettingsJson(writeKey, apiBase);
}

}  // namespace actions::tracking
