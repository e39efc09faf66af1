#include "tracking/enrichment.h"

#include <array>

#include "kit/timestamp.h"
#include "tracking/clock.h"
#include "tracking/message_id.h"

namespace actions::tracking {
namespace {

json::Value* member(json::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const json::Value* member(const json::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

// Sets object[key] = value, in place when the key exists (its position kept), else at the end.
void set(json::Value& object, const char* key, json::Value value, json::Allocator& alloc) {
  if (json::Value* existing = member(object, key)) {
    *existing = std::move(value);
    return;
  }
  object.AddMember(json::Value(key, alloc), std::move(value), alloc);
}

json::Value text(std::string_view s, json::Allocator& alloc) {
  return json::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc);
}

bool missing(const json::Value* v) {
  return !v || v->IsNull();
}

// Library names of Segment's client-side libraries (context.library.name).
constexpr std::array<std::string_view, 9> kClientLibraries = {"analytics.js",
                                                              "analytics-ios",
                                                              "analytics-android",
                                                              "analytics-swift",
                                                              "analytics-kotlin",
                                                              "analytics-react-native",
                                                              "@segment/analytics-react-native",
                                                              "analytics_flutter",
                                                              "analytics-flutter"};

void correctTimes(json::Value& event, json::Allocator& alloc, const Arrival& arrival) {
  // Members are looked up again after each change: adding one may move the others.
  set(event, "receivedAt", text(arrival.receivedAt, alloc), alloc);
  if (missing(member(event, "sentAt")) && arrival.batchSentAt && !arrival.batchSentAt->IsNull())
    set(event, "sentAt", json::Value(*arrival.batchSentAt, alloc), alloc);
  const json::Value* timestamp = member(event, "timestamp");
  if (missing(timestamp)) {
    set(event, "timestamp", text(arrival.receivedAt, alloc), alloc);
    return;
  }
  auto original = kit::parseTimestamp(*timestamp);
  if (!original.micros) return;  // validation names what is wrong with it
  set(event, "originalTimestamp", json::Value(*timestamp, alloc), alloc);
  const json::Value* sentAt = member(event, "sentAt");
  if (missing(sentAt)) return;  // an explicit timestamp without sentAt: kept as it is
  auto sent = kit::parseTimestamp(*sentAt);
  if (!sent.micros) return;
  std::int64_t corrected = arrival.receivedAtMicros - (*sent.micros - *original.micros);
  set(event, "timestamp", text(isoTime(corrected), alloc), alloc);
}

void fillClientIp(json::Value& event, json::Allocator& alloc, const Arrival& arrival) {
  if (arrival.clientIp.empty() || !fromClient(event, arrival.clientPath)) return;
  json::Value* context = member(event, "context");
  if (missing(context)) {
    set(event, "context", json::Value(rapidjson::kObjectType), alloc);
    context = member(event, "context");
  }
  if (!context->IsObject() || !missing(member(*context, "ip"))) return;
  set(*context, "ip", text(arrival.clientIp, alloc), alloc);
}

}  // namespace

bool fromClient(const json::Value& event, bool clientPath) {
  if (clientPath) return true;
  const json::Value* context = member(event, "context");
  if (!context || !context->IsObject()) return false;
  const json::Value* direct = member(*context, "direct");
  if (direct && direct->IsBool() && direct->GetBool()) return true;
  const json::Value* library = member(*context, "library");
  if (!library || !library->IsObject()) return false;
  const json::Value* name = member(*library, "name");
  if (!name || !name->IsString()) return false;
  std::string_view n(name->GetString(), name->GetStringLength());
  for (auto known : kClientLibraries)
    if (n == known) return true;
  return false;
}

std::string clientAddress(std::string_view peer, std::string_view forwardedFor, bool trustProxy) {
  std::string_view address = peer;
  if (trustProxy) {
    std::string_view list = forwardedFor;
    auto comma = list.rfind(',');
    std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
    while (!last.empty() && (last.front() == ' ' || last.front() == '\t')) last.remove_prefix(1);
    while (!last.empty() && (last.back() == ' ' || last.back() == '\t')) last.remove_suffix(1);
    if (!last.empty()) address = last;
  }
  constexpr std::string_view mapped = "::ffff:";
  if (address.size() > mapped.size() && address.substr(0, mapped.size()) == mapped &&
      address.find('.') != std::string_view::npos)
    address.remove_prefix(mapped.size());
  return std::string(address);
}

void enrich(json::Value& event, json::Allocator& alloc, const Arrival& arrival,
            std::string_view source) {
  if (missing(member(event, "receivedAt"))) correctTimes(event, alloc, arrival);
  const json::Value* messageId = member(event, "messageId");
  if (missing(messageId) || (messageId->IsString() && messageId->GetStringLength() == 0))
    set(event, "messageId", text(generateMessageId(arrival.receivedAtMicros / 1000000), alloc),
        alloc);
  fillClientIp(event, alloc, arrival);
  if (!source.empty()) set(event, "projectId", text(source, alloc), alloc);
}

}  // namespace actions::tracking
