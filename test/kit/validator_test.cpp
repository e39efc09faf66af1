// Each field rule and coercion of Segment's validation, one at a time (messages as
// @segment/ajv-human-errors words them; behaviour as ajv with coerceTypes "array").
#include <gtest/gtest.h>

#include "kit/remove_empty_values.h"
#include "kit/schema.h"
#include "kit/validator.h"
#include "test_data.h"

namespace {

using namespace actions;
using kit::FieldType;
using kit::InputField;

InputField field(const char* label, FieldType type) {
  InputField f;
  f.label = label;
  f.type = type;
  return f;
}

struct Outcome {
  std::string error;
  std::string payload;  // the payload after validation, as JSON
};

// removeEmptyValues (batch mode) then validation, as the kit runs them.
Outcome check(const kit::Fields& fields, const char* payloadJson, bool batch = true) {
  auto schema = kit::schema::Schema::compile(fields);
  json::Document payload = kittest::parseOrDie(payloadJson);
  kit::removeEmptyValues(payload, schema->root(), !batch);
  Outcome o;
  o.error = kit::validatePayload(schema->root(), payload, payload.GetAllocator());
  o.payload = json::stringify(payload);
  return o;
}

kit::Fields one(const char* key, InputField f) {
  return {{key, std::move(f)}};
}

TEST(Validator, RequiredFieldMissing) {
  InputField id = field("Message ID", FieldType::String);
  id.required = true;
  EXPECT_EQ(check(one("messageId", id), "{}").error,
            "The root value is missing the required field 'messageId'.");
  EXPECT_EQ(check(one("messageId", id), R"({"messageId":"x"})").error, "");
}

TEST(Validator, NullCountsAsMissingUnlessAllowed) {
  InputField id = field("Message ID", FieldType::String);
  id.required = true;
  EXPECT_EQ(check(one("messageId", id), R"({"messageId":null})").error,
            "The root value is missing the required field 'messageId'.");
  id.allowNull = true;
  EXPECT_EQ(check(one("messageId", id), R"({"messageId":null})").error, "");
}

TEST(Validator, EmptyStringIsKeptForStringsInBatchesAndDroppedForSingleEvents) {
  InputField id = field("Message ID", FieldType::String);
  id.required = true;
  EXPECT_EQ(check(one("messageId", id), R"({"messageId":""})", true).error, "");
  EXPECT_EQ(check(one("messageId", id), R"({"messageId":""})", false).error,
            "The root value is missing the required field 'messageId'.");
  InputField n = field("N", FieldType::Number);
  n.required = true;
  EXPECT_EQ(check(one("n", n), R"({"n":""})").error,
            "The root value is missing the required field 'n'.");
}

TEST(Validator, NumbersAndBooleansBecomeStrings) {
  auto o = check(one("s", field("S", FieldType::String)), R"({"s":12345})");
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.payload, R"({"s":"12345"})");
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":1.5e21})").payload,
            R"({"s":"1.5e+21"})");
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":false})").payload,
            R"({"s":"false"})");
}

TEST(Validator, NumericStringsBecomeNumbers) {
  EXPECT_EQ(check(one("n", field("N", FieldType::Number)), R"({"n":"1.5"})").payload,
            R"({"n":1.5})");
  EXPECT_EQ(check(one("n", field("N", FieldType::Number)), R"({"n":" 0x10 "})").payload,
            R"({"n":16})");
  EXPECT_EQ(check(one("n", field("N", FieldType::Number)), R"({"n":true})").payload, R"({"n":1})");
  EXPECT_EQ(check(one("n", field("N", FieldType::Number)), R"({"n":"abc"})").error,
            "N must be a number but it was a string.");
  EXPECT_EQ(check(one("i", field("I", FieldType::Integer)), R"({"i":"42"})").payload,
            R"({"i":42})");
  EXPECT_EQ(check(one("i", field("I", FieldType::Integer)), R"({"i":"4.2"})").error,
            "I must be an integer but it was a string.");
  EXPECT_EQ(check(one("i", field("I", FieldType::Integer)), R"({"i":4.2})").error,
            "I must be an integer but it was a number.");
}

TEST(Validator, TrueAndFalseStringsBecomeBooleans) {
  EXPECT_EQ(check(one("b", field("B", FieldType::Boolean)), R"({"b":"false"})").payload,
            R"({"b":false})");
  EXPECT_EQ(check(one("b", field("B", FieldType::Boolean)), R"({"b":1})").payload, R"({"b":true})");
  EXPECT_EQ(check(one("b", field("B", FieldType::Boolean)), R"({"b":"yes"})").error,
            "B must be a boolean but it was a string.");
}

TEST(Validator, OneElementArrayIsUnwrapped) {
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":["x"]})").payload,
            R"({"s":"x"})");
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":[7]})").payload, R"({"s":"7"})");
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":["x","y"]})").error,
            "S must be a string but it was an array.");
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":[{}]})").error,
            "S must be a string but it was an object.");
}

TEST(Validator, MultipleWrapsAScalarAndChecksEachItem) {
  InputField tags = field("Tags", FieldType::String);
  tags.multiple = true;
  EXPECT_EQ(check(one("tags", tags), R"({"tags":"a"})").payload, R"({"tags":["a"]})");
  EXPECT_EQ(check(one("tags", tags), R"({"tags":["a",1,null]})").payload, R"({"tags":["a","1"]})");
  EXPECT_EQ(check(one("tags", tags), R"({"tags":[{}]})").error,
            "The value at /tags/0 must be a string but it was an object.");
}

TEST(Validator, ChoicesAreAnEnum) {
  InputField type = field("Type", FieldType::String);
  for (const char* t : {"track", "identify", "page"}) type.choices.push_back({t, t});
  EXPECT_EQ(check(one("type", type), R"({"type":"page"})").error, "");
  EXPECT_EQ(check(one("type", type), R"({"type":"Page"})").error,
            "Type must be one of: \"track\", \"identify\", or \"page\".");
  EXPECT_EQ(check(one("type", type), R"({"type":{}})").error,
            "Type must be a string but it was an object. Type must be one of: \"track\", "
            "\"identify\", or \"page\".");
}

TEST(Validator, StringLengthBounds) {
  InputField s = field("Code", FieldType::String);
  s.minimum = 2;
  s.maximum = 3;
  EXPECT_EQ(check(one("s", s), R"({"s":"a"})").error,
            "Code must be 2 characters or more but it was 1 character.");
  EXPECT_EQ(check(one("s", s), R"({"s":"abcd"})").error,
            "Code must be 3 characters or fewer but it was 4 characters.");
  EXPECT_EQ(check(one("s", s), R"({"s":"\u00e9\u00e9\u00e9"})").error,
            "");  // characters, not bytes
}

TEST(Validator, NumberBoundsApplyToNumbersOnly) {
  InputField n = field("N", FieldType::Number);
  n.minimum = 1;
  n.maximum = 10;
  EXPECT_EQ(check(one("n", n), R"({"n":0.5})").error, "N must be equal to or greater than 1.");
  EXPECT_EQ(check(one("n", n), R"({"n":"11"})").error, "N must be equal to or less than 10.");
  // Segment does not apply bounds to integer fields.
  InputField i = field("I", FieldType::Integer);
  i.minimum = 1;
  i.maximum = 10;
  EXPECT_EQ(check(one("i", i), R"({"i":0})").error, "");
}

TEST(Validator, DatetimeTakesDateLikeStringsAndNumbers) {
  auto ts = one("ts", field("Timestamp", FieldType::Datetime));
  EXPECT_EQ(check(ts, R"({"ts":"2020-01-01T00:00:00Z"})").error, "");
  EXPECT_EQ(check(ts, R"({"ts":1700000000})").error, "");
  EXPECT_EQ(check(ts, R"({"ts":"not-a-date"})").error,
            "Timestamp must be a valid date-like string but it was not.");
  EXPECT_EQ(check(ts, R"({"ts":{}})").error,
            "Timestamp must be a string or number but it was an object.");
  EXPECT_EQ(check(ts, R"({"ts":true})").error,
            "Timestamp must be a valid date-like string but it was not.");
}

TEST(Validator, ObjectFieldsAndTheirProperties) {
  InputField o = field("Address", FieldType::Object);
  InputField city = field("City", FieldType::String);
  city.required = true;
  o.properties.push_back({"city", city});
  EXPECT_EQ(check(one("o", o), R"({"o":"x"})").error,
            "Address must be an object but it was a string.");
  EXPECT_EQ(check(one("o", o), R"({"o":{}})").error,
            "Address is missing the required field 'city'.");
  // Keys that are not properties are removed, as ajv's removeAdditional does.
  EXPECT_EQ(check(one("o", o), R"({"o":{"city":5,"zip":"x"}})").payload, R"({"o":{"city":"5"}})");
  EXPECT_EQ(check(one("m", field("Message", FieldType::Object)), R"({"m":[{}]})").error,
            "Message must be an object but it was an array.");
}

TEST(Validator, UnknownTopLevelKeysAreRemoved) {
  EXPECT_EQ(check(one("s", field("S", FieldType::String)), R"({"s":"a","other":1})").payload,
            R"({"s":"a"})");
}

TEST(Validator, ConditionallyRequired) {
  kit::Fields fields;
  InputField type = field("Type", FieldType::String);
  fields.push_back({"type", type});
  InputField event = field("Event", FieldType::String);
  event.requiredWhen = kit::RequiredWhen{
      kit::RequiredWhen::Match::All,
      {kit::FieldCondition{"type", kit::FieldCondition::Operator::Is, "\"track\""}}};
  fields.push_back({"event", event});
  EXPECT_EQ(check(fields, R"({"type":"track"})").error,
            "The root value is missing the required field 'event'. The root value must match "
            "\"then\" schema.");
  EXPECT_EQ(check(fields, R"({"type":"page"})").error, "");
  EXPECT_EQ(check(fields, R"({"type":"track","event":"E"})").error, "");
}

TEST(Validator, ErrorsComeInSchemaOrderAndAreAllListed) {
  kit::Fields fields;
  InputField a = field("A", FieldType::String);
  a.required = true;
  fields.push_back({"a", a});
  fields.push_back({"b", field("B", FieldType::Boolean)});
  fields.push_back({"c", field("C", FieldType::Number)});
  EXPECT_EQ(
      check(fields, R"({"c":"x","b":"y"})").error,
      "The root value is missing the required field 'a'. B must be a boolean but it was a string. "
      "C must be a number but it was a string.");
}

TEST(Validator, RootMustBeAnObject) {
  auto schema = kit::schema::Schema::compile(one("s", field("S", FieldType::String)));
  json::Document payload = kittest::parseOrDie("[1]");
  EXPECT_EQ(kit::validatePayload(schema->root(), payload, payload.GetAllocator()),
            "The root value must be an object but it was an array.");
}

}  // namespace

namespace {

// The payload may share a field's value with the event only where no rule reaches inside it.
TEST(SchemaReach, OnlyFieldsWithoutInnerRulesAreLeftAsTheyAre) {
  InputField withProperties = field("Address", FieldType::Object);
  withProperties.properties = one("city", field("City", FieldType::String));
  InputField multiple = field("Tags", FieldType::String);
  multiple.multiple = true;
  kit::Fields fields = {{"message", field("Message", FieldType::Object)},
                        {"address", withProperties},
                        {"tags", multiple},
                        {"name", field("Name", FieldType::String)}};
  auto schema = kit::schema::Schema::compile(fields);
  EXPECT_TRUE(kit::schema::nothingEditsInside(schema->root(), "message"));
  EXPECT_TRUE(kit::schema::nothingEditsInside(schema->root(), "name"));
  EXPECT_FALSE(kit::schema::nothingEditsInside(schema->root(), "address"));
  EXPECT_FALSE(kit::schema::nothingEditsInside(schema->root(), "tags"));  // its items are checked
}

}  // namespace
