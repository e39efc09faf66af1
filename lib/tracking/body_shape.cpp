#include "tracking/body_shape.h"

namespace actions::tracking {
namespace {

const char* kindOf(const json::Value& v) {
  if (v.IsNull()) return "null";
  if (v.IsBool()) return "a boolean";
  if (v.IsNumber()) return "a number";
  if (v.IsString()) return "a string";
  if (v.IsArray()) return "an array";
  return "an object";
}

json::Value* member(json::Value& object, const char* key) {
  auto it = object.FindMember(key);
  return it == object.MemberEnd() ? nullptr : &it->value;
}

}  // namespace

BodyShape shapeOf(json::Document& doc, const EndpointInfo& endpoint) {
  BodyShape shape;
  bool batchPath =
      endpoint.endpoint == Endpoint::Batch || endpoint.endpoint == Endpoint::ClientBatch;
  if (doc.IsArray()) {
    if (!batchPath) {
      shape.error =
          "a single-event path takes one event (an object), not an array: post arrays of events "
          "to /v1/batch";
      return shape;
    }
    for (auto& e : doc.GetArray()) shape.events.push_back(&e);
    return shape;
  }
  if (!doc.IsObject()) {
    shape.error = std::string("the body must be a JSON object or array, not ") + kindOf(doc);
    return shape;
  }
  json::Value* batch = batchPath ? member(doc, "batch") : nullptr;
  if (!batch) {
    if (batchPath && !member(doc, "type")) {
      shape.error =
          "the body has no \"batch\": expected {\"batch\":[events]}, an array of events, or one "
          "event with its \"type\"";
      return shape;
    }
    shape.events.push_back(&doc);
    if (const json::Value* key = member(doc, "writeKey")) shape.writeKey = key;
    return shape;
  }
  if (!batch->IsArray()) {
    shape.error = std::string("\"batch\" must be an array of events, not ") + kindOf(*batch);
    return shape;
  }
  for (auto& e : batch->GetArray()) shape.events.push_back(&e);
  shape.sentAt = member(doc, "sentAt");
  shape.context = member(doc, "context");
  shape.integrations = member(doc, "integrations");
  shape.writeKey = member(doc, "writeKey");
  return shape;
}

}  // namespace actions::tracking
