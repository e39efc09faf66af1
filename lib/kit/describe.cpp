#include "kit/describe.h"

#include <stdexcept>

#include "kit/default_mapping.h"

namespace actions::kit {
namespace {

using Alloc = json::Allocator;

json::Value str(std::string_view s, Alloc& a) {
  return json::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

json::Value parsed(const std::string& text, Alloc& a) {
  json::Document d;
  if (auto err = json::parse(text, d))
    throw std::invalid_argument("definition holds invalid JSON: " + err->describe());
  return json::Value(d, a);
}

void add(json::Value& obj, std::string_view key, json::Value value, Alloc& a) {
  obj.AddMember(str(key, a), value, a);
}

json::Value describeFields(const Fields& fields, Alloc& a) {
  json::Value out(rapidjson::kObjectType);
  for (const auto& [key, field] : fields) {
    json::Value f;
    describeField(field, f, a);
    add(out, key, std::move(f), a);
  }
  return out;
}

json::Value describeCondition(const RequiredWhen& when, Alloc& a) {
  json::Value out(rapidjson::kObjectType);
  if (when.match == RequiredWhen::Match::Any) add(out, "match", str("any", a), a);
  json::Value list(rapidjson::kArrayType);
  for (const auto& c : when.conditions) {
    json::Value cond(rapidjson::kObjectType);
    add(cond, "fieldKey", str(c.fieldKey, a), a);
    add(cond, "operator", str(c.op == FieldCondition::Operator::Is ? "is" : "is_not", a), a);
    if (c.valueJson) add(cond, "value", parsed(*c.valueJson, a), a);
    list.PushBack(cond, a);
  }
  add(out, "conditions", std::move(list), a);
  return out;
}

}  // namespace

void describeField(const InputField& field, json::Value& out, Alloc& a) {
  out.SetObject();
  add(out, "label", str(field.label, a), a);
  add(out, "description", str(field.description, a), a);
  add(out, "type", str(toString(field.type), a), a);
  if (field.requiredWhen && !field.required)
    add(out, "required", describeCondition(*field.requiredWhen, a), a);
  else
    add(out, "required", json::Value(field.required), a);
  if (field.defaultJson) add(out, "default", parsed(*field.defaultJson, a), a);
  if (!field.choices.empty()) {
    json::Value choices(rapidjson::kArrayType);
    for (const auto& c : field.choices) {
      json::Value choice(rapidjson::kObjectType);
      add(choice, "label", str(c.label, a), a);
      add(choice, "value", str(c.value, a), a);
      choices.PushBack(choice, a);
    }
    add(out, "choices", std::move(choices), a);
  }
  if (field.minimum) add(out, "minimum", json::Value(*field.minimum), a);
  if (field.maximum) add(out, "maximum", json::Value(*field.maximum), a);
  if (field.multiple) add(out, "multiple", json::Value(true), a);
  if (field.allowNull) add(out, "allowNull", json::Value(true), a);
  if (field.dynamic) add(out, "dynamic", json::Value(true), a);
  if (!field.properties.empty()) {
    add(out, "properties", describeFields(field.properties, a), a);
    if (field.additionalProperties) add(out, "additionalProperties", json::Value(true), a);
  }
}

void describe(const DestinationDefinition& d, json::Document& out) {
  out.SetObject();
  auto& a = out.GetAllocator();
  add(out, "name", str(d.name, a), a);
  add(out, "slug", str(d.slug, a), a);
  add(out, "mode", str(d.mode, a), a);
  if (!d.description.empty()) add(out, "description", str(d.description, a), a);
  json::Value auth(rapidjson::kObjectType);
  add(auth, "scheme", str(d.authenticationScheme, a), a);
  add(auth, "fields", describeFields(d.authenticationFields, a), a);
  add(out, "authentication", std::move(auth), a);
  json::Value actions(rapidjson::kObjectType);
  for (const auto& [key, action] : d.actions) {
    json::Value x(rapidjson::kObjectType);
    add(x, "title", str(action.title, a), a);
    add(x, "description", str(action.description, a), a);
    add(x, "platform", str(action.platform, a), a);
    if (!action.defaultSubscription.empty())
      add(x, "defaultSubscription", str(action.defaultSubscription, a), a);
    add(x, "hasPerformBatch", json::Value(static_cast<bool>(action.performBatch)), a);
    add(x, "fields", describeFields(action.fields, a), a);
    if (!action.dynamicFields.empty()) {
      json::Value dyn(rapidjson::kArrayType);
      for (const auto& [field, fn] : action.dynamicFields) dyn.PushBack(str(field, a), a);
      add(x, "dynamicFields", std::move(dyn), a);
    }
    add(actions, key, std::move(x), a);
  }
  add(out, "actions", std::move(actions), a);
  json::Value presets(rapidjson::kArrayType);
  for (const auto& p : d.presets) {
    json::Value x(rapidjson::kObjectType);
    add(x, "name", str(p.name, a), a);
    add(x, "subscribe", str(p.subscribe, a), a);
    add(x, "partnerAction", str(p.partnerAction, a), a);
    json::Document mapping;
    if (!p.mappingJson.empty()) {
      add(x, "mapping", parsed(p.mappingJson, a), a);
    } else if (const ActionDefinition* action = d.findAction(p.partnerAction)) {
      defaultMapping(*action, mapping);
      add(x, "mapping", json::Value(mapping, a), a);
    }
    add(x, "type", str(p.type, a), a);
    presets.PushBack(x, a);
  }
  add(out, "presets", std::move(presets), a);
}

std::string describe(const DestinationDefinition& destination) {
  json::Document d;
  describe(destination, d);
  return json::stringify(d);
}

}  // namespace actions::kit
