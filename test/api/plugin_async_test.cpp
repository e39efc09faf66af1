// The plugin ABI's asynchronous call (destination_perform_batch_async), loaded with dlopen() as a
// host loads it: answers like the synchronous call, exactly once per call, many calls in flight
// from one thread; what needs no database answered before the call returns; the "sent" switch.
// Against the fixture's server; the frozen-database case is in plugin_async_stall_test.cpp.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actions/plugin.h"
#include "json/json.h"
#include "loaded_plugin.h"
#include "plugin_async_support.h"
#include "support/test_env.h"

namespace {

using namespace std::chrono_literals;
using asynctest::Answers;

class PluginAsync : public plugintest::LoadedPlugin {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_perform_batch_async));
    std::string open = R"({"settings":)" + testenv::readText(testenv::settingsPath()) + "}";
    char* error = nullptr;
    handle_ = plugin_->open_destination(open.c_str(), &error);
    ASSERT_NE(handle_, nullptr) << (error ? error : "");
  }
  void TearDown() override {
    if (handle_) plugin_->close_destination(handle_);
  }

  static std::string uniqueId(const std::string& name) {
    static const std::string run =
        std::to_string(getpid()) + "-" +
        std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return "plugin-async-" + run + "-" + name;
  }

  actions_destination* handle_ = nullptr;
};

TEST_F(PluginAsync, ManyCallsFromOneThreadAreEachAnsweredOnceAsTheSynchronousCallAnswers) {
  constexpr int kCalls = 40;
  Answers answers(plugin_, kCalls);
  for (int i = 0; i < kCalls; ++i) {
    std::string request = R"({"events":[)" + asynctest::track(uniqueId(std::to_string(i))) +
                          R"(,{"type":"track","messageId":"x"}]})";
    plugin_->destination_perform_batch_async(handle_, request.c_str(), Answers::done,
                                             answers.slot(i));
  }
  ASSERT_TRUE(answers.waitAll(60s));
  for (int i = 0; i < kCalls; ++i) {
    const auto& a = answers.document(i);
    ASSERT_TRUE(a["ok"].GetBool()) << actions::json::stringify(a);
    ASSERT_EQ(a["results"].Size(), 2u);
    EXPECT_STREQ(a["results"][0u]["body"]["outcome"].GetString(), "inserted");
    EXPECT_FALSE(a["results"][0u].HasMember("sent"));  // events: no "sent" unless asked
    EXPECT_EQ(a["results"][1u]["status"].GetInt(), 400);
    EXPECT_STREQ(a["results"][1u]["outcome"].GetString(), "rejected");
  }
  EXPECT_EQ(answers.calls(), kCalls);  // once each, never twice

  // The same event again, synchronously and asynchronously: duplicate both ways.
  std::string again = R"({"events":[)" + asynctest::track(uniqueId("0")) + "]}";
  auto sync = answer(plugin_->destination_perform_batch(handle_, again.c_str()));
  Answers one(plugin_, 1);
  plugin_->destination_perform_batch_async(handle_, again.c_str(), Answers::done, one.slot(0));
  ASSERT_TRUE(one.waitAll(60s));
  EXPECT_EQ(actions::json::stringify(one.document(0)), actions::json::stringify(sync));
  EXPECT_STREQ(sync["results"][0u]["body"]["outcome"].GetString(), "duplicate");
}

TEST_F(PluginAsync, SentCarriesThePayloadOnlyWhenAsked) {
  const std::string payload = R"({"messageId":")" + uniqueId("p") +
                              R"(","type":"page","timestamp":"2024-01-01T00:00:00Z",)"
                              R"("message":{"a":1}})";
  Answers answers(plugin_, 3);
  std::string withSent = R"({"payloads":[)" + payload + "]}";
  std::string without = R"({"payloads":[)" + payload + R"(],"sent":false})";
  std::string events = R"({"events":[)" + asynctest::track(uniqueId("e")) + R"(],"sent":true})";
  plugin_->destination_perform_batch_async(handle_, withSent.c_str(), Answers::done,
                                           answers.slot(0));
  ASSERT_TRUE(answers.waitFor(0, 60s));
  plugin_->destination_perform_batch_async(handle_, without.c_str(), Answers::done,
                                           answers.slot(1));
  plugin_->destination_perform_batch_async(handle_, events.c_str(), Answers::done, answers.slot(2));
  ASSERT_TRUE(answers.waitAll(60s));
  const auto& first = answers.document(0)["results"][0u];
  EXPECT_STREQ(first["body"]["outcome"].GetString(), "inserted");
  ASSERT_TRUE(first.HasMember("sent"));
  EXPECT_EQ(actions::json::stringify(first["sent"]["message"]), R"({"a":1})");
  const auto& second = answers.document(1)["results"][0u];
  EXPECT_STREQ(second["body"]["outcome"].GetString(), "duplicate");
  EXPECT_FALSE(second.HasMember("sent"));
  const auto& third = answers.document(2)["results"][0u];
  ASSERT_TRUE(third.HasMember("sent")) << actions::json::stringify(answers.document(2));
  EXPECT_STREQ(third["sent"]["event"].GetString(), "E");
}

TEST_F(PluginAsync, WhatNeedsNoDatabaseIsAnsweredBeforeTheCallReturns) {
  const std::thread::id caller = std::this_thread::get_id();
  const char* requests[] = {
      "not json",
      R"({"events":[],"payloads":[]})",
      R"({"events":[{"type":"track"}]})",  // rejected: nothing to deliver
      R"({"events":[],"sent":"yes"})",
      R"({"evnts":[]})",
  };
  constexpr int kRequests = sizeof(requests) / sizeof(requests[0]);
  Answers answers(plugin_, kRequests + 2);
  for (int i = 0; i < kRequests; ++i) {
    plugin_->destination_perform_batch_async(handle_, requests[i], Answers::done, answers.slot(i));
    ASSERT_TRUE(answers.answered(i)) << requests[i];
    EXPECT_EQ(answers.thread(i), caller);
  }
  EXPECT_FALSE(answers.document(0)["ok"].GetBool());
  EXPECT_FALSE(answers.document(1)["ok"].GetBool());
  EXPECT_EQ(answers.document(2)["results"][0u]["status"].GetInt(), 400);
  EXPECT_NE(std::string(answers.document(3)["error"].GetString()).find("sent"), std::string::npos);
  EXPECT_NE(std::string(answers.document(4)["error"].GetString()).find("evnts"), std::string::npos);

  plugin_->destination_perform_batch_async(nullptr, "{}", Answers::done, answers.slot(kRequests));
  ASSERT_TRUE(answers.answered(kRequests));
  EXPECT_FALSE(answers.document(kRequests)["ok"].GetBool());
  // A closed handle is refused, never followed.
  plugin_->close_destination(handle_);
  plugin_->destination_perform_batch_async(handle_, R"({"events":[]})", Answers::done,
                                           answers.slot(kRequests + 1));
  handle_ = nullptr;
  ASSERT_TRUE(answers.answered(kRequests + 1));
  EXPECT_NE(std::string(answers.document(kRequests + 1)["error"].GetString())
                .find("not an open destination"),
            std::string::npos);
  // Without a callback nothing starts, and nothing crashes.
  plugin_->destination_perform_batch_async(nullptr, "{}", nullptr, nullptr);
}

}  // namespace
