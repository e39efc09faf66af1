// The plugin ABI's live destination handles, loaded with dlopen() as a host loads them, against
// the throwaway server: one handle keeps its connections across calls; requests are strict.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "actions/plugin.h"
#include "json/json.h"
#include "loaded_plugin.h"
#include "support/test_env.h"

namespace {

using namespace actions;

class PluginDestination : public plugintest::LoadedPlugin {
 protected:
  static std::string settings() { return testenv::readText(testenv::settingsPath()); }

  static std::string uniqueId(const std::string& name) {
    static const std::string run =
        std::to_string(getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return "plugin-" + run + "-" + name;
  }
};

TEST_F(PluginDestination, TheTableHasTheHandleFunctions) {
  EXPECT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, open_destination));
  EXPECT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_perform_batch));
  EXPECT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_check));
  EXPECT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, close_destination));
}

TEST_F(PluginDestination, AHandleDeliversEventsAndPayloadsAcrossCalls) {
  char* error = nullptr;
  std::string open = R"({"action":"send","settings":)" + settings() + R"(,"parallel":2})";
  actions_destination* handle = plugin_->open_destination(open.c_str(), &error);
  ASSERT_NE(handle, nullptr) << (error ? error : "");
  EXPECT_EQ(error, nullptr);

  auto check = answer(plugin_->destination_check(handle));
  EXPECT_TRUE(check["ok"].GetBool());

  std::string id = uniqueId("event");
  std::string events = R"({"events":[{"messageId":")" + id +
                       R"(","type":"track","event":"E","timestamp":"2024-01-01T00:00:00Z"},)"
                       R"({"type":"track"}]})";
  auto first = answer(plugin_->destination_perform_batch(handle, events.c_str()));
  ASSERT_TRUE(first["ok"].GetBool()) << json::stringify(first);
  ASSERT_EQ(first["results"].Size(), 2u);
  EXPECT_EQ(first["results"][0u]["status"].GetInt(), 200);
  EXPECT_STREQ(first["results"][0u]["body"]["outcome"].GetString(), "inserted");
  EXPECT_EQ(first["results"][1u]["status"].GetInt(), 400);

  auto again = answer(plugin_->destination_perform_batch(handle, events.c_str()));
  EXPECT_STREQ(again["results"][0u]["body"]["outcome"].GetString(), "duplicate");

  std::string pid = uniqueId("payload");
  std::string payloads =
      R"({"payloads":[{"messageId":")" + pid +
      R"(","type":"page","timestamp":"2024-01-01T00:00:00Z","message":{"a":1}}]})";
  auto p = answer(plugin_->destination_perform_batch(handle, payloads.c_str()));
  ASSERT_TRUE(p["ok"].GetBool()) << json::stringify(p);
  const json::Value& entry = p["results"][0u];
  ASSERT_TRUE(entry.HasMember("body")) << json::stringify(p);
  EXPECT_STREQ(entry["body"]["outcome"].GetString(), "inserted");
  ASSERT_TRUE(entry.HasMember("sent")) << json::stringify(p);
  EXPECT_EQ(json::stringify(entry["sent"]["message"]), R"({"a":1})");

  plugin_->close_destination(handle);
  plugin_->close_destination(nullptr);  // allowed
}

TEST_F(PluginDestination, UnknownKeysAreErrorsNamingTheKey) {
  char* error = nullptr;
  std::string open = R"({"action":"send","settings":)" + settings() + R"(,"batchsize":10})";
  EXPECT_EQ(plugin_->open_destination(open.c_str(), &error), nullptr);
  ASSERT_NE(error, nullptr);
  auto e = answer(error);
  EXPECT_FALSE(e["ok"].GetBool());
  EXPECT_NE(std::string(e["error"].GetString()).find("\"batchsize\""), std::string::npos);

  std::string good = R"({"settings":)" + settings() + "}";
  actions_destination* handle = plugin_->open_destination(good.c_str(), nullptr);
  ASSERT_NE(handle, nullptr);
  auto bad = answer(plugin_->destination_perform_batch(handle, R"({"events":[],"extra":1})"));
  EXPECT_FALSE(bad["ok"].GetBool());
  EXPECT_NE(std::string(bad["error"].GetString()).find("\"extra\""), std::string::npos);
  auto both = answer(plugin_->destination_perform_batch(handle, R"({"events":[],"payloads":[]})"));
  EXPECT_FALSE(both["ok"].GetBool());
  plugin_->close_destination(handle);

  auto batch = answer(plugin_->execute_batch(R"({"events":[],"dryrun":true})"));
  EXPECT_FALSE(batch["ok"].GetBool());
  EXPECT_NE(std::string(batch["error"].GetString()).find("\"dryrun\""), std::string::npos);
}

TEST_F(PluginDestination, InvalidSettingsAreAnsweredWithTheirProblems) {
  char* error = nullptr;
  EXPECT_EQ(plugin_->open_destination(R"({"settings":{"host":""}})", &error), nullptr);
  ASSERT_NE(error, nullptr);
  auto e = answer(error);
  EXPECT_FALSE(e["ok"].GetBool());
  EXPECT_TRUE(e["problems"].IsArray());
}

}  // namespace
