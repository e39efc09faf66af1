// Payload validation against recorded upstream behaviour: removeEmptyValues, then ajv with
// actions-core's schema and human messages, over varied field definitions (every type, allowNull,
// multiple, choices, bounds, nested objects, conditionally required fields with is / is_not,
// empty values, any / all, dotted keys). Recorded by record_validation_cases.js.
#include <gtest/gtest.h>

#include "fields_from_json.h"
#include "kit/remove_empty_values.h"
#include "kit/schema.h"
#include "kit/validator.h"
#include "test_data.h"

namespace {

using namespace actions;

TEST(ValidationCases, AgreeWithSegmentOnEveryRecordedCase) {
  json::Document sets = kittest::parseOrDie(kittest::readLines("kit/field_sets.json").at(0));
  std::vector<std::shared_ptr<const kit::schema::Schema>> schemas;
  for (const auto& set : sets.GetArray())
    schemas.push_back(kit::schema::Schema::compile(kittest::fieldsFromJson(set)));

  auto lines = kittest::readLines("kit/validation_cases.jsonl");
  ASSERT_GE(lines.size(), 1000u);
  std::size_t ok = 0, checked = 0;
  for (const auto& line : lines) {
    json::Document c = kittest::parseOrDie(line);
    const auto& root = schemas.at(c["set"].GetUint())->root();
    json::Document payload;
    payload.CopyFrom(c["payload"], payload.GetAllocator());
    ++checked;
    bool kept = kit::removeEmptyValues(payload, root, !c["batch"].GetBool());
    ASSERT_TRUE(kept);
    std::string error = kit::validatePayload(root, payload, payload.GetAllocator());
    if (c["ok"].GetBool()) {
      EXPECT_EQ(error, "") << line;
      EXPECT_EQ(json::stringify(payload), json::stringify(c["output"])) << line;
      if (error.empty() && json::stringify(payload) == json::stringify(c["output"])) ++ok;
    } else {
      EXPECT_EQ(error, kittest::str(c["error"])) << line;
      if (error == kittest::str(c["error"])) ++ok;
    }
  }
  EXPECT_EQ(ok, checked);
}

}  // namespace
