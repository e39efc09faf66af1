// Segment field definitions written as actions-core writes them (JSON), turned into kit::Fields,
// so recorded cases can name their fields the upstream way.
#pragma once

#include <stdexcept>

#include "json/json.h"
#include "kit/definition.h"

namespace kittest {

inline actions::kit::FieldType fieldType(const std::string& t) {
  using actions::kit::FieldType;
  for (FieldType f :
       {FieldType::String, FieldType::Text, FieldType::Number, FieldType::Integer,
        FieldType::Datetime, FieldType::Boolean, FieldType::Password, FieldType::Object})
    if (t == actions::kit::toString(f)) return f;
  throw std::invalid_argument("unknown field type " + t);
}

inline actions::kit::Fields fieldsFromJson(const actions::json::Value& obj);

inline actions::kit::InputField fieldFromJson(const actions::json::Value& v) {
  namespace kit = actions::kit;
  auto s = [](const actions::json::Value& x) {
    return std::string(x.GetString(), x.GetStringLength());
  };
  kit::InputField f;
  if (auto it = v.FindMember("label"); it != v.MemberEnd()) f.label = s(it->value);
  if (auto it = v.FindMember("description"); it != v.MemberEnd()) f.description = s(it->value);
  f.type = fieldType(s(v["type"]));
  if (auto it = v.FindMember("required"); it != v.MemberEnd()) {
    if (it->value.IsBool()) {
      f.required = it->value.GetBool();
    } else {
      kit::RequiredWhen when;
      if (auto m = it->value.FindMember("match");
          m != it->value.MemberEnd() && s(m->value) == "any")
        when.match = kit::RequiredWhen::Match::Any;
      for (const auto& c : it->value["conditions"].GetArray()) {
        kit::FieldCondition cond;
        cond.fieldKey = s(c["fieldKey"]);
        cond.op = s(c["operator"]) == "is" ? kit::FieldCondition::Operator::Is
                                           : kit::FieldCondition::Operator::IsNot;
        if (auto val = c.FindMember("value"); val != c.MemberEnd())
          cond.valueJson = actions::json::stringify(val->value);
        when.conditions.push_back(cond);
      }
      f.requiredWhen = when;
    }
  }
  if (auto it = v.FindMember("allowNull"); it != v.MemberEnd()) f.allowNull = it->value.GetBool();
  if (auto it = v.FindMember("multiple"); it != v.MemberEnd()) f.multiple = it->value.GetBool();
  if (auto it = v.FindMember("dynamic"); it != v.MemberEnd()) f.dynamic = it->value.GetBool();
  if (auto it = v.FindMember("additionalProperties"); it != v.MemberEnd())
    f.additionalProperties = it->value.GetBool();
  if (auto it = v.FindMember("minimum"); it != v.MemberEnd())
    f.minimum = actions::json::toDouble(it->value);
  if (auto it = v.FindMember("maximum"); it != v.MemberEnd())
    f.maximum = actions::json::toDouble(it->value);
  if (auto it = v.FindMember("default"); it != v.MemberEnd())
    f.defaultJson = actions::json::stringify(it->value);
  if (auto it = v.FindMember("choices"); it != v.MemberEnd()) {
    for (const auto& c : it->value.GetArray()) {
      if (c.IsString())
        f.choices.push_back({s(c), s(c)});
      else
        f.choices.push_back({s(c["label"]), s(c["value"])});
    }
  }
  if (auto it = v.FindMember("properties"); it != v.MemberEnd())
    f.properties = fieldsFromJson(it->value);
  return f;
}

inline actions::kit::Fields fieldsFromJson(const actions::json::Value& obj) {
  actions::kit::Fields fields;
  for (const auto& m : obj.GetObject())
    fields.push_back(
        {std::string(m.name.GetString(), m.name.GetStringLength()), fieldFromJson(m.value)});
  return fields;
}

}  // namespace kittest
