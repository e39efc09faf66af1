// The plugin ABI as a host sees it: the library loaded with dlopen(), the entry point looked up
// by name, JSON in and out, every string released with free_string, bad input answered in JSON.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <string>

#include "actions/plugin.h"
#include "json/json.h"
#include "loaded_plugin.h"

namespace {

using namespace actions;

class Plugin : public plugintest::LoadedPlugin {
 protected:
  static void SetUpTestSuite() {
    LoadedPlugin::SetUpTestSuite();
    ASSERT_NE(entry_, nullptr);
    EXPECT_EQ(entry_(2), nullptr);  // a version it does not speak
  }
};

const char* kSettings =
    R"({"host":"127.0.0.1","port":1,"username":"u","password":"secretpw","dbName":"d"})";

TEST_F(Plugin, TableDescribesItself) {
  EXPECT_EQ(plugin_->abi_version, 1u);
  EXPECT_EQ(plugin_->size, sizeof(actions_plugin_v1));
  EXPECT_STRNE(plugin_->library_version(), "");
  plugin_->free_string(nullptr);  // allowed
}

TEST_F(Plugin, Describe) {
  auto d = answer(plugin_->describe());
  EXPECT_EQ(d["slug"], "actions-singlestore");
  EXPECT_TRUE(d["actions"]["send"]["hasPerformBatch"].GetBool());
  EXPECT_EQ(d["authentication"]["fields"]["password"]["type"], "password");
}

TEST_F(Plugin, ValidateSettings) {
  auto ok = answer(plugin_->validate_settings(kSettings));
  ASSERT_TRUE(ok["ok"].GetBool());
  EXPECT_EQ(ok["settings"]["tableName"], "segment_raw_data");
  EXPECT_EQ(ok["settings"]["password"], "********");  // never echoed
  auto bad = answer(plugin_->validate_settings(R"({"port":"abc"})"));
  EXPECT_FALSE(bad["ok"].GetBool());
  ASSERT_TRUE(bad["problems"].IsArray());
  EXPECT_EQ(bad["problems"][1], "port must be a number between 1 and 65535 but it was \"abc\"");
}

TEST_F(Plugin, BadInputIsAnsweredNotFatal) {
  for (char* text :
       {plugin_->validate_settings(nullptr), plugin_->validate_settings("{"),
        plugin_->execute_batch("[]"), plugin_->execute_batch(R"({"action":"nope","events":[]})"),
        plugin_->execute_batch(R"({"action":"send","dryRun":true})"),
        plugin_->test_authentication("not json"), plugin_->dynamic_field_choices(nullptr)}) {
    auto d = answer(text);
    EXPECT_FALSE(d["ok"].GetBool());
    EXPECT_TRUE(d["error"].IsString());
  }
}

TEST_F(Plugin, DryBatchGivesOneMultiStatusEntryPerEvent) {
  auto d = answer(plugin_->execute_batch(R"({"action":"send","dryRun":true,"events":[
    {"messageId":"m1","type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"},
    {"messageId":"m2","type":"track","timestamp":"2024-05-01T10:00:00Z"},
    {"messageId":"m3","type":"custom","timestamp":"2024-05-01T10:00:00Z"},
    [1]]})"));
  ASSERT_TRUE(d["ok"].GetBool());
  const auto& r = d["results"];
  ASSERT_EQ(r.Size(), 4u);
  EXPECT_EQ(r[0]["status"].GetInt(), 200);
  EXPECT_EQ(r[0]["body"]["outcome"], "validated");
  EXPECT_EQ(r[0]["sent"]["messageId"], "m1");
  EXPECT_EQ(r[1]["status"].GetInt(), 400);
  EXPECT_EQ(r[1]["errortype"], "PAYLOAD_VALIDATION_FAILED");
  EXPECT_EQ(r[1]["errormessage"],
            "The root value is missing the required field 'event'. The root value must match "
            "\"then\" schema.");
  EXPECT_EQ(r[2]["body"]["outcome"], "skipped");
  EXPECT_EQ(r[3]["outcome"], "rejected");
}

TEST_F(Plugin, MappingAndSubscriptionOfTheRequest) {
  auto d = answer(plugin_->execute_batch(R"({"dryRun":true,"subscription":"",
    "mapping":{"messageId":{"@path":"$.id"},"timestamp":"2024-01-01","type":"identify","message":{"@path":"$."},"max_batch_size":5},
    "events":[{"id":"x"}]})"));
  ASSERT_TRUE(d["ok"].GetBool());
  EXPECT_EQ(d["results"][0]["sent"]["messageId"], "x");
  auto bad = answer(
      plugin_->execute_batch(R"({"dryRun":true,"mapping":{"messageId":{"@path":5}},"events":[]})"));
  EXPECT_EQ(bad["error"], "invalid mapping");
  EXPECT_TRUE(bad["problems"].IsArray());
  auto sub = answer(plugin_->execute_batch(R"({"dryRun":true,"subscription":"type","events":[]})"));
  EXPECT_NE(std::string(sub["error"].GetString()).find("invalid subscription"), std::string::npos);
}

TEST_F(Plugin, RealBatchNeedsValidSettings) {
  auto d = answer(plugin_->execute_batch(R"({"settings":{"host":"h"},"events":[]})"));
  EXPECT_FALSE(d["ok"].GetBool());
  EXPECT_EQ(d["error"], "invalid settings");
}

TEST_F(Plugin, RealBatchAnswersEveryEventEvenWhenDeliveryFails) {
  // Nothing listens on port 1: each valid event fails (or the build cannot deliver at all),
  // invalid ones are still rejected on their own, and the password never shows.
  std::string request = std::string(R"({"settings":)") + kSettings + R"(,"retryForMs":0,"events":[
    {"messageId":"m1","type":"identify","timestamp":"2024-05-01T10:00:00Z"},
    {"messageId":"m2","type":"bogus","timestamp":"2024-05-01T10:00:00Z"}]})";
  char* text = plugin_->execute_batch(request.c_str());
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(std::string(text).find("secretpw"), std::string::npos);
  auto d = answer(text);
  ASSERT_TRUE(d["ok"].GetBool());
  ASSERT_EQ(d["results"].Size(), 2u);
  EXPECT_EQ(d["results"][0]["outcome"], "failed");
  EXPECT_GE(d["results"][0]["status"].GetInt(), 401);
  EXPECT_EQ(d["results"][1]["status"].GetInt(), 200);  // not subscribed: skipped
  EXPECT_EQ(d["results"][1]["body"]["outcome"], "skipped");
}

TEST_F(Plugin, DynamicFieldChoicesOfAnUnknownField) {
  auto d =
      answer(plugin_->dynamic_field_choices(R"({"action":"send","field":"nope","settings":{}})"));
  EXPECT_EQ(d["choices"].Size(), 0u);
  EXPECT_EQ(d["error"]["message"], "No dynamic field named nope found.");
  EXPECT_EQ(d["error"]["code"], "404");
}

TEST_F(Plugin, TestAuthenticationAnswersInJson) {
  auto bad = answer(plugin_->test_authentication(R"({"host":"h"})"));
  EXPECT_FALSE(bad["ok"].GetBool());
  EXPECT_EQ(bad["error"], "invalid settings");
  char* text = plugin_->test_authentication(kSettings);
  ASSERT_NE(text, nullptr);
  EXPECT_EQ(std::string(text).find("secretpw"), std::string::npos);
  auto d = answer(text);
  EXPECT_FALSE(d["ok"].GetBool());  // nothing listens on port 1 (or the build cannot test)
  EXPECT_TRUE(d["errortype"].IsString());
}

}  // namespace
