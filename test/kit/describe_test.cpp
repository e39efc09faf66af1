// A definition as Segment's metadata.json describes it.
#include <gtest/gtest.h>

#include "kit/describe.h"
#include "test_data.h"

namespace {

using namespace actions;
using kit::FieldType;

TEST(Describe, FieldsCarryTheirAttributesWhereTheyApply) {
  kit::DestinationDefinition d;
  d.name = "X";
  d.slug = "actions-x";
  kit::InputField key = kittest::field("Key", FieldType::Password, "The key.");
  key.required = true;
  d.authenticationFields.push_back({"key", key});
  kit::ActionDefinition a;
  a.title = "Go";
  a.description = "Goes.";
  a.defaultSubscription = "type = \"track\"";
  kit::InputField n = kittest::field("N", FieldType::Number, "A number.");
  n.minimum = 1;
  n.maximum = 9;
  n.defaultJson = "3";
  a.fields.push_back({"n", n});
  kit::InputField tags = kittest::field("Tags", FieldType::String, "Tags.");
  tags.multiple = true;
  tags.allowNull = true;
  tags.dynamic = true;
  tags.choices = {{"A", "a"}};
  a.fields.push_back({"tags", tags});
  kit::InputField ev = kittest::field("Event", FieldType::String, "E.");
  ev.requiredWhen = kit::RequiredWhen{kit::RequiredWhen::Match::Any,
                                      {{"n", kit::FieldCondition::Operator::IsNot, "3"},
                                       {"tags", kit::FieldCondition::Operator::Is, {}}}};
  a.fields.push_back({"ev", ev});
  a.performBatch = [](const kit::BatchRequest&, std::span<kit::EventResult>) {};
  d.actions.push_back({"go", a});
  d.presets.push_back({"Go", "type = \"track\"", "go", "", "automatic"});

  json::Document out = kittest::parseOrDie(kit::describe(d));
  EXPECT_EQ(out["name"], "X");
  EXPECT_EQ(out["mode"], "cloud");
  EXPECT_EQ(out["authentication"]["scheme"], "custom");
  EXPECT_EQ(json::stringify(out["authentication"]["fields"]["key"]),
            R"({"label":"Key","description":"The key.","type":"password","required":true})");
  const auto& go = out["actions"]["go"];
  EXPECT_EQ(go["title"], "Go");
  EXPECT_EQ(go["platform"], "cloud");
  EXPECT_TRUE(go["hasPerformBatch"].GetBool());
  EXPECT_EQ(go["defaultSubscription"], "type = \"track\"");
  EXPECT_EQ(
      json::stringify(go["fields"]["n"]),
      R"({"label":"N","description":"A number.","type":"number","required":false,"default":3,"minimum":1,"maximum":9})");
  EXPECT_EQ(
      json::stringify(go["fields"]["tags"]),
      R"({"label":"Tags","description":"Tags.","type":"string","required":false,"choices":[{"label":"A","value":"a"}],"multiple":true,"allowNull":true,"dynamic":true})");
  EXPECT_EQ(
      json::stringify(go["fields"]["ev"]["required"]),
      R"({"match":"any","conditions":[{"fieldKey":"n","operator":"is_not","value":3},{"fieldKey":"tags","operator":"is"}]})");
  // A preset without a mapping of its own gets the action's default mapping (its fields' defaults).
  EXPECT_EQ(
      json::stringify(out["presets"][0]),
      R"({"name":"Go","subscribe":"type = \"track\"","partnerAction":"go","mapping":{"n":3},"type":"automatic"})");
}

}  // namespace
