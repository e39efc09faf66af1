// Settings validated from a definition's settings fields: defaults, every problem, coercions.
#include <gtest/gtest.h>

#include "kit/requests.h"
#include "kit/settings_validation.h"
#include "test_data.h"

namespace {

using namespace actions;
using kit::FieldType;

kit::DestinationDefinition definition() {
  kit::DestinationDefinition d;
  kit::InputField host = kittest::field("Host", FieldType::String);
  host.required = true;
  d.authenticationFields.push_back({"host", host});
  kit::InputField port = kittest::field("Port", FieldType::Number);
  port.defaultJson = "3306";
  port.minimum = 1;
  port.maximum = 65535;
  d.authenticationFields.push_back({"port", port});
  kit::InputField secret = kittest::field("Secret", FieldType::Password);
  secret.required = true;
  d.authenticationFields.push_back({"secret", secret});
  kit::InputField mode = kittest::field("Mode", FieldType::String);
  mode.choices = {{"a", "a"}, {"b", "b"}};
  mode.defaultJson = "\"a\"";
  d.authenticationFields.push_back({"mode", mode});
  kit::InputField flag = kittest::field("Flag", FieldType::Boolean);
  d.authenticationFields.push_back({"flag", flag});
  return d;
}

kit::SettingsValidation validate(const kit::DestinationDefinition& d, const char* text) {
  return kit::validateSettings(d, kittest::parseOrDie(text));
}

TEST(SettingsValidation, DefaultsAreAppliedAndUnknownKeysDropped) {
  auto r = validate(definition(), R"({"host":"h","secret":"s","other":1})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(json::stringify(r.settings), R"({"host":"h","port":3306,"secret":"s","mode":"a"})");
}

TEST(SettingsValidation, EveryProblemIsListedWithItsField) {
  auto r = validate(definition(), R"({"port":"abc","mode":"c","flag":"maybe","secret":7})");
  ASSERT_FALSE(r.ok());
  std::vector<std::string> expected = {
      "host is required", "port must be a number between 1 and 65535 but it was \"abc\"",
      "secret must be a string", "mode must be one of a, b but it was \"c\"",
      "flag must be true or false but it was \"maybe\""};
  EXPECT_EQ(r.problems, expected);
}

TEST(SettingsValidation, NumericStringsAndBooleanStringsAreCoerced) {
  auto r = validate(definition(), R"({"host":"h","secret":"s","port":"3307","flag":"true"})");
  ASSERT_TRUE(r.ok()) << r.problems[0];
  EXPECT_EQ(r.settings["port"].GetInt(), 3307);
  EXPECT_TRUE(r.settings["flag"].GetBool());
  EXPECT_FALSE(validate(definition(), R"({"host":"h","secret":"s","port":70000})").ok());
}

TEST(SettingsValidation, PasswordsAreNeverEchoed) {
  auto d = definition();
  d.authenticationFields[2].field.choices = {{"x", "x"}};
  auto r = validate(d, R"({"host":"h","secret":"hunter2"})");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].find("hunter2"), std::string::npos) << r.problems[0];
}

TEST(SettingsValidation, DestinationRulesRunOnTheValidatedSettings) {
  auto d = definition();
  d.checkSettings = [](const kit::AuthRequest& req) {
    std::vector<std::string> p;
    if (req.settings["port"].GetInt() == 3306) p.push_back("port 3306 is not allowed here");
    return p;
  };
  auto r = validate(d, R"({"host":"h","secret":"s"})");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0], "port 3306 is not allowed here");
}

TEST(SettingsValidation, NotAnObject) {
  auto r = validate(definition(), "[1]");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0], "settings must be a JSON object");
}

}  // namespace

TEST(SettingsValidation, UnknownKeysAreNamedWithTheNearestSetting) {
  auto d = definition();
  auto p = kit::unknownKeyProblems(
      d, kittest::parseOrDie(R"({"host":"h","Mode":"a","hostt":1,"zzzzzz":2})"));
  std::vector<std::string> expected = {"unknown setting \"Mode\": did you mean \"mode\"?",
                                       "unknown setting \"hostt\": did you mean \"host\"?",
                                       "unknown setting \"zzzzzz\" (the settings are host, port, "
                                       "secret, mode, flag)"};
  EXPECT_EQ(p, expected);
  EXPECT_TRUE(kit::unknownKeyProblems(d, kittest::parseOrDie(R"({"host":"h"})")).empty());
}
