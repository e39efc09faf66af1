// destination_perform_batch_async while the database is frozen (SIGSTOP, fixture "db_stall"):
// many calls from one thread all return at once and nothing is answered while it is frozen;
// close waits for them; once it thaws each is answered inserted, exactly once, on a thread of
// the library, before close returns.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "actions/plugin.h"
#include "json/json.h"
#include "loaded_plugin.h"
#include "plugin_async_support.h"
#include "stalled_server.h"

namespace {

using namespace std::chrono_literals;
using asynctest::Answers;
using stalltest::eventually;
using stalltest::StalledServer;

class PluginAsyncStall : public plugintest::LoadedPlugin {};

TEST_F(PluginAsyncStall, CallsReturnAtOnceOnAFrozenDatabaseAndCloseWaitsForTheirAnswers) {
  StalledServer server;
  ASSERT_TRUE(server.known()) << "ACTIONS_TEST_DB_STALL_DIR is not set (run through ctest)";
  ASSERT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_perform_batch_async));
  std::string open = R"({"settings":)" + server.settingsText() + R"(,"parallel":2})";
  char* error = nullptr;
  actions_destination* handle = plugin_->open_destination(open.c_str(), &error);
  ASSERT_NE(handle, nullptr) << (error ? error : "");
  const std::string run =
      "plugin-async-stall-" + std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  auto request = [&](const std::string& name) {
    return R"({"events":[)" + asynctest::track(run + name) + "]}";
  };
  auto warm = answer(plugin_->destination_perform_batch(handle, request("warm").c_str()));
  ASSERT_TRUE(warm["ok"].GetBool()) << actions::json::stringify(warm);

  constexpr int kCalls = 30;
  Answers answers(plugin_, kCalls);
  std::atomic<bool> closed{false};
  std::thread closer;
  {
    StalledServer::Frozen frozen(server.pid());
    ASSERT_TRUE(frozen.frozen());
    const auto began = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i)
      plugin_->destination_perform_batch_async(handle, request(std::to_string(i)).c_str(),
                                               Answers::done, answers.slot(i));
    // The caller did not wait for the frozen database (a bound only a blocking call reaches).
    EXPECT_LT(std::chrono::steady_clock::now() - began, 10s);
    EXPECT_EQ(answers.answeredNow(), 0u);
    closer = std::thread([&] {
      auto d = answer(plugin_->destination_close(handle));
      EXPECT_TRUE(d["ok"].GetBool()) << actions::json::stringify(d);
      closed = true;
    });
    // Closing has begun once the handle refuses calls; it still waits for the ones in flight.
    ASSERT_TRUE(eventually([&] {
      Answers probe(plugin_, 1);
      plugin_->destination_perform_batch_async(handle, R"({"events":[]})", Answers::done,
                                               probe.slot(0));
      return probe.answered(0) && !probe.document(0)["ok"].GetBool();
    }));
    EXPECT_FALSE(closed);
    EXPECT_EQ(answers.answeredNow(), 0u);
  }  // thawed
  closer.join();
  // close returned only after every callback had returned.
  EXPECT_EQ(answers.answeredNow(), static_cast<std::size_t>(kCalls));
  EXPECT_EQ(answers.calls(), kCalls);
  const std::thread::id here = std::this_thread::get_id();
  for (int i = 0; i < kCalls; ++i) {
    const auto& a = answers.document(i);
    ASSERT_TRUE(a["ok"].GetBool()) << actions::json::stringify(a);
    EXPECT_STREQ(a["results"][0u]["body"]["outcome"].GetString(), "inserted");
    EXPECT_NE(answers.thread(i), here);
  }
}

}  // namespace
