// Closing a live destination while calls are blocked on a stalled database — through the C++ API
// and through the plugin ABI: close waits for the calls in progress, refuses the ones that begin
// after, the blocked calls are answered once the database moves again, and a handle closed twice
// is an error, not a crash. Also the asynchronous calls: many in flight from one thread while the
// database is frozen, each answered once it thaws.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/settings.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "loaded_plugin.h"
#include "singlestore/settings.h"
#include "stalled_server.h"

namespace {

using namespace std::chrono_literals;
using stalltest::eventually;
using stalltest::StalledServer;

std::string uniqueId(const std::string& name) {
  static const std::string run =
      std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return "closing-" + run + "-" + name;
}

std::string trackEvent(const std::string& id) {
  return R"({"messageId":")" + id +
         R"(","type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"})";
}

actions::Settings settingsOf(const StalledServer& server) {
  auto check = actions::validateSettings(server.settingsText());
  if (!check.ok()) throw std::runtime_error("the stall server's settings are invalid");
  return *check.settings;
}

// Rows stored with a messageId that starts with `prefix`, counted with a connection of the
// test's own.
long rowsStartingWith(const StalledServer& server, const std::string& prefix) {
  auto s = actions::singlestore::parseSettings(server.settingsText(), nullptr);
  actions::db::Connection c(s.settings->connectOptions());
  std::string sql = "SELECT COUNT(*) FROM `" + s.settings->dbName + "`.`" + s.settings->tableName +
                    "` WHERE messageId LIKE '";
  c.appendEscaped(prefix, sql);
  sql += "%'";
  return std::stol(*c.query(sql).at(0).at(0));
}

TEST(Closing, CloseWaitsForCallsBlockedOnAStalledDatabaseAndRefusesLaterOnes) {
  StalledServer server;
  ASSERT_TRUE(server.known()) << "ACTIONS_TEST_DB_STALL_DIR is not set (run through ctest)";
  actions::SendOptions options;
  options.parallel = 2;
  actions::Destination dest(settingsOf(server), options);
  ASSERT_EQ(dest.perform(trackEvent(uniqueId("warm"))).outcome, actions::Outcome::Inserted);

  StalledServer::Frozen frozen(server.pid());
  ASSERT_TRUE(frozen.frozen());
  constexpr int kCalls = 4;
  const std::string prefix = uniqueId("blocked-");
  std::vector<actions::EventResult> results(kCalls);
  std::atomic<int> returned{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i)
    callers.emplace_back([&, i] {
      results[i] = dest.perform(trackEvent(prefix + std::to_string(i)));
      ++returned;
    });
  // Every call has begun (each counts its event on entry); the database holds them.
  ASSERT_TRUE(eventually([&] { return dest.stats().events == 1 + kCalls; }));

  std::atomic<bool> closed{false};
  actions::DestinationStats atClose;
  long rowsAtClose = -1;
  std::thread closer([&] {
    dest.close();
    // What close() waited for: every call answered (and counted), its row stored.
    atClose = dest.stats();
    rowsAtClose = rowsStartingWith(server, prefix);
    closed = true;
  });
  // Once close() has begun, a call that begins is refused at once (an empty resolve needs no
  // database, so it would answer at once if it were let in).
  ASSERT_TRUE(eventually([&] {
    try {
      dest.resolve({});
      return false;
    } catch (const std::logic_error&) {
      return true;
    }
  }));
  EXPECT_EQ(returned, 0);  // still blocked on the frozen database...
  EXPECT_FALSE(closed);    // ...and close() waits for them
  frozen.thaw();
  for (auto& t : callers) t.join();
  closer.join();
  for (int i = 0; i < kCalls; ++i)
    EXPECT_EQ(results[i].outcome, actions::Outcome::Inserted) << results[i].error;
  EXPECT_EQ(atClose.inserted, 1u + kCalls);
  EXPECT_EQ(atClose.connectionsOpen, 0u);
  EXPECT_EQ(rowsAtClose, kCalls);
  EXPECT_THROW(dest.perform(trackEvent(uniqueId("after"))), std::logic_error);
  dest.close();  // again: nothing left to do
}

TEST(Closing, ManyAsynchronousCallsFromOneThreadAreAnsweredOnceTheDatabaseThaws) {
  StalledServer server;
  ASSERT_TRUE(server.known());
  actions::Destination dest(settingsOf(server));
  ASSERT_EQ(dest.perform(trackEvent(uniqueId("async-warm"))).outcome, actions::Outcome::Inserted);

  constexpr int kCalls = 50;
  std::mutex m;
  std::condition_variable answeredCv;
  int answered = 0, inserted = 0;
  std::vector<std::future<std::vector<actions::EventResult>>> futures;
  {
    StalledServer::Frozen frozen(server.pid());
    ASSERT_TRUE(frozen.frozen());
    // One thread puts every call in flight: none of them waits for the frozen database.
    for (int i = 0; i < kCalls; ++i) {
      std::string event = trackEvent(uniqueId("async-" + std::to_string(i)));
      dest.performBatchAsync({event}, [&](std::vector<actions::EventResult> results) {
        std::lock_guard lock(m);
        ++answered;
        inserted += results.at(0).outcome == actions::Outcome::Inserted;
        answeredCv.notify_all();
      });
    }
    std::string another = trackEvent(uniqueId("async-future"));
    futures.push_back(dest.performBatchAsync(std::vector<std::string>{another}));
    {
      std::lock_guard lock(m);
      EXPECT_EQ(answered, 0);  // the database is frozen: nothing can have been answered
    }
    EXPECT_EQ(futures[0].wait_for(0s), std::future_status::timeout);
  }  // thawed
  std::unique_lock lock(m);
  ASSERT_TRUE(answeredCv.wait_for(lock, 60s, [&] { return answered == kCalls; }));
  EXPECT_EQ(inserted, kCalls);
  lock.unlock();
  ASSERT_EQ(futures[0].wait_for(60s), std::future_status::ready);
  EXPECT_EQ(futures[0].get().at(0).outcome, actions::Outcome::Inserted);
}

class ClosingHandle : public plugintest::LoadedPlugin {};

TEST_F(ClosingHandle, CloseWaitsForCallsOnTheHandleAndASecondCloseIsAnError) {
  StalledServer server;
  ASSERT_TRUE(server.known());
  ASSERT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_close));
  std::string open = R"({"settings":)" + server.settingsText() + R"(,"parallel":2})";
  char* error = nullptr;
  actions_destination* handle = plugin_->open_destination(open.c_str(), &error);
  ASSERT_NE(handle, nullptr) << (error ? error : "");
  auto request = [](const std::string& id) { return R"({"events":[)" + trackEvent(id) + "]}"; };
  auto warm =
      answer(plugin_->destination_perform_batch(handle, request(uniqueId("h-warm")).c_str()));
  ASSERT_TRUE(warm["ok"].GetBool()) << actions::json::stringify(warm);

  StalledServer::Frozen frozen(server.pid());
  ASSERT_TRUE(frozen.frozen());
  constexpr int kCalls = 3;
  const std::string prefix = uniqueId("h-blocked-");
  std::vector<std::string> answers(kCalls);
  std::atomic<int> returned{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCalls; ++i)
    callers.emplace_back([&, i] {
      std::string r = request(prefix + std::to_string(i));
      char* text = plugin_->destination_perform_batch(handle, r.c_str());
      answers[i] = text ? text : "";
      plugin_->free_string(text);
      ++returned;
    });
  // Every call is inside the handle (its destination has counted its event): the database
  // holds them.
  ASSERT_TRUE(ACTIONS_PLUGIN_HAS(plugin_, destination_stats));
  ASSERT_TRUE(eventually([&] {
    auto s = answer(plugin_->destination_stats(handle));
    return s["events"].GetUint64() == 1 + kCalls;
  }));
  std::atomic<bool> closed{false};
  long rowsAtClose = -1;
  std::thread closer([&] {
    auto d = answer(plugin_->destination_close(handle));
    EXPECT_TRUE(d["ok"].GetBool()) << actions::json::stringify(d);
    rowsAtClose = rowsStartingWith(server, prefix);  // every call's row, stored before close ended
    closed = true;
  });
  // Once closing has begun the handle is no longer open: a call on it is refused at once.
  ASSERT_TRUE(eventually([&] {
    auto d = answer(plugin_->destination_perform_batch(handle, R"({"events":[]})"));
    return !d["ok"].GetBool();
  }));
  EXPECT_EQ(returned, 0);
  EXPECT_FALSE(closed);
  frozen.thaw();
  for (auto& t : callers) t.join();
  closer.join();
  EXPECT_EQ(rowsAtClose, kCalls);
  for (int i = 0; i < kCalls; ++i)
    EXPECT_NE(answers[i].find(R"("outcome":"inserted")"), std::string::npos) << answers[i];
  // Closed: a second close is an error, calls are refused; nothing is followed.
  auto again = answer(plugin_->destination_close(handle));
  EXPECT_FALSE(again["ok"].GetBool());
  EXPECT_NE(std::string(again["error"].GetString()).find("not an open destination"),
            std::string::npos);
  plugin_->close_destination(handle);  // ignored, not a crash
  auto call = answer(plugin_->destination_check(handle));
  EXPECT_FALSE(call["ok"].GetBool());
}

}  // namespace
