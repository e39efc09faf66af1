// The delivery engine on its own, with a service of the test's: batches (full, by bytes, by
// linger, by flush), lanes by key in submission order, completion per submission, each item's own
// deadline, and the stream's stop policy. Waits are on the state itself (futures, latches), with
// generous bounds that only a broken engine reaches.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <map>
#include <mutex>

#include "kit/delivery_engine.h"
#include "kit/errors.h"
#include "test_data.h"

namespace {

using namespace actions;
using namespace std::chrono_literals;
using kit::DeliveryEngine;
using kit::Outcome;
using Clock = std::chrono::steady_clock;

constexpr auto kBound = 30s;  // what a correct engine never comes near

// A service that records every batch (the payloads' "id" members and deadlines) and stores all.
struct RecordingService {
  std::mutex mutex;
  std::vector<std::vector<std::string>> batches;
  std::vector<std::vector<Clock::time_point>> deadlines;

  kit::DeliveryService service() {
    return [this](std::span<const json::Value* const> payloads,
                  std::span<const Clock::time_point> d, std::span<kit::EventResult> results) {
      std::vector<std::string> ids;
      for (const auto* p : payloads) ids.push_back(kittest::str((*p)["id"]));
      std::lock_guard lock(mutex);
      batches.push_back(std::move(ids));
      deadlines.emplace_back(d.begin(), d.end());
      for (auto& r : results) r = kittest::inserted();
    };
  }
  std::size_t batchCount() {
    std::lock_guard lock(mutex);
    return batches.size();
  }
};

// Payloads {"id": ...} and their results, kept alive for the engine.
struct Items {
  std::vector<json::Document> docs;
  std::vector<kit::EventResult> results;
  std::vector<kit::DeliveryItem> items;
  std::vector<std::string> keys;

  Items(const std::vector<std::string>& ids, std::size_t bytes = 10,
        Clock::time_point deadline = kit::kNoDeadline)
      : docs(ids.size()), results(ids.size()), keys(ids) {
    for (std::size_t i = 0; i < ids.size(); ++i) {
      docs[i] = kittest::parseOrDie(R"({"id":")" + ids[i] + R"("})");
      items.push_back({&docs[i], keys[i], bytes, &results[i], deadline});
    }
  }
};

// Submits and returns a future that is ready once the submission is answered.
std::future<void> submit(DeliveryEngine& engine, Items& items) {
  auto done = std::make_shared<std::promise<void>>();
  std::future<void> f = done->get_future();
  engine.submit(items.items, [done] { done->set_value(); });
  return f;
}

TEST(DeliveryEngine, EverySubmissionIsAnsweredAndCopiesOfAKeyKeepSubmissionOrder) {
  RecordingService svc;
  kit::EngineOptions o;
  o.lanes = 3;
  o.maxEvents = 7;
  DeliveryEngine engine(svc.service(), o);
  std::vector<std::unique_ptr<Items>> all;
  std::vector<std::future<void>> answered;
  for (int s = 0; s < 40; ++s) {
    std::vector<std::string> ids;
    for (int k = 0; k < 5; ++k)
      ids.push_back(std::to_string((s * 5 + k) % 11) + "#" + std::to_string(s * 5 + k));
    all.push_back(std::make_unique<Items>(ids));
    Items& items = *all.back();
    for (std::size_t i = 0; i < ids.size(); ++i) {  // the key is the part before '#'
      items.keys[i] = ids[i].substr(0, ids[i].find('#'));
      items.items[i].key = items.keys[i];
    }
    answered.push_back(submit(engine, items));
  }
  for (auto& f : answered) ASSERT_EQ(f.wait_for(kBound), std::future_status::ready);
  for (const auto& items : all)
    for (const auto& r : items->results) EXPECT_EQ(r.outcome, Outcome::Inserted);
  // Each key was delivered by one lane: its copies appear in one lane's batches in order, and
  // batches never exceed maxEvents.
  std::size_t total = 0;
  std::map<std::string, int> last;
  for (const auto& b : svc.batches) {
    EXPECT_LE(b.size(), 7u);
    total += b.size();
    for (const auto& id : b) {
      std::string key = id.substr(0, id.find('#'));
      int seq = std::stoi(id.substr(id.find('#') + 1));
      auto [it, fresh] = last.emplace(key, seq);
      if (!fresh) {
        EXPECT_GT(seq, it->second) << key;
        it->second = seq;
      }
    }
  }
  EXPECT_EQ(total, 200u);
  EXPECT_EQ(engine.queued(), 0u);
  EXPECT_EQ(engine.deliveries(), svc.batches.size());
}

TEST(DeliveryEngine, ABatchGoesWhenFullOrFlushedNotBeforeTheLinger) {
  RecordingService svc;
  kit::EngineOptions o;
  o.maxEvents = 4;
  o.linger = std::chrono::hours(1);
  DeliveryEngine engine(svc.service(), o);
  Items full({"a", "b", "c", "d"});
  EXPECT_EQ(submit(engine, full).wait_for(kBound), std::future_status::ready);  // full: at once
  Items partial({"e", "f"});
  auto waiting = submit(engine, partial);
  engine.flush();  // the linger is an hour: only the flush sends it
  EXPECT_EQ(waiting.wait_for(kBound), std::future_status::ready);
  ASSERT_EQ(svc.batches.size(), 2u);
  EXPECT_EQ(svc.batches[0], (std::vector<std::string>{"a", "b", "c", "d"}));
  EXPECT_EQ(svc.batches[1], (std::vector<std::string>{"e", "f"}));
}

TEST(DeliveryEngine, ALingeringBatchGoesAtItsOldestItemsLinger) {
  RecordingService svc;
  kit::EngineOptions o;
  o.linger = 50ms;
  DeliveryEngine engine(svc.service(), o);
  Items one({"a"});
  auto start = Clock::now();
  EXPECT_EQ(submit(engine, one).wait_for(kBound), std::future_status::ready);
  EXPECT_GE(Clock::now() - start, 50ms);  // it waited for company
}

TEST(DeliveryEngine, TheByteBoundSplitsBatchesAndAHugeItemGoesAlone) {
  RecordingService svc;
  kit::EngineOptions o;
  o.maxEvents = 100;
  o.maxBytes = 1000;
  o.linger = std::chrono::hours(1);
  DeliveryEngine engine(svc.service(), o);
  Items small({"a", "b", "c", "d", "e"}, 400);
  Items huge({"z"}, 5000);
  auto f1 = submit(engine, small);
  auto f2 = submit(engine, huge);
  engine.flush();
  ASSERT_EQ(f1.wait_for(kBound), std::future_status::ready);
  ASSERT_EQ(f2.wait_for(kBound), std::future_status::ready);
  EXPECT_EQ(svc.batches,
            (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}, {"e"}, {"z"}}));
}

// A service held inside its first delivery until the test lets it go.
struct HeldService {
  std::mutex mutex;
  std::condition_variable changed;
  bool inside = false, released = false;
  std::vector<std::vector<std::string>> batches;
  std::vector<std::vector<Clock::time_point>> deadlines;

  kit::DeliveryService service() {
    return [this](std::span<const json::Value* const> payloads,
                  std::span<const Clock::time_point> d, std::span<kit::EventResult> results) {
      std::unique_lock lock(mutex);
      std::vector<std::string> ids;
      for (const auto* p : payloads) ids.push_back(kittest::str((*p)["id"]));
      batches.push_back(ids);
      deadlines.emplace_back(d.begin(), d.end());
      inside = true;
      changed.notify_all();
      changed.wait(lock, [&] { return released; });
      for (auto& r : results) r = kittest::inserted();
    };
  }
  bool waitInside() {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, kBound, [&] { return inside; });
  }
  void release() {
    std::lock_guard lock(mutex);
    released = true;
    changed.notify_all();
  }
};

TEST(DeliveryEngine, WhatArrivesWhileALaneWritesGathersIntoItsNextBatch) {
  HeldService svc;
  DeliveryEngine engine(svc.service(), kit::EngineOptions{});
  Items first({"first"});
  auto f0 = submit(engine, first);
  ASSERT_TRUE(svc.waitInside());
  std::vector<std::unique_ptr<Items>> later;
  std::vector<std::future<void>> answered;
  for (int i = 0; i < 10; ++i) {
    later.push_back(std::make_unique<Items>(std::vector<std::string>{"m" + std::to_string(i)}));
    answered.push_back(submit(engine, *later.back()));
  }
  EXPECT_EQ(engine.queued(), 10u);
  svc.release();
  for (auto& f : answered) ASSERT_EQ(f.wait_for(kBound), std::future_status::ready);
  ASSERT_EQ(svc.batches.size(), 2u);  // ten calls, one statement
  EXPECT_EQ(svc.batches[1].size(), 10u);
}

TEST(DeliveryEngine, EachItemKeepsItsOwnDeadline) {
  HeldService svc;
  DeliveryEngine engine(svc.service(), kit::EngineOptions{});
  Items blocker({"blocker"});
  auto f0 = submit(engine, blocker);
  ASSERT_TRUE(svc.waitInside());
  // Queued behind the blocked delivery: one with a short budget, one with a long one.
  auto now = Clock::now();
  Items old({"old"}, 10, now + 100ms);
  Items fresh({"fresh"}, 10, now + std::chrono::hours(1));
  auto fOld = submit(engine, old);
  auto fFresh = submit(engine, fresh);
  // The short one is withdrawn at its deadline while the lane is still busy: 503, not written.
  ASSERT_EQ(fOld.wait_for(kBound), std::future_status::ready);
  EXPECT_EQ(old.results[0].status, 503);
  EXPECT_EQ(old.results[0].outcome, Outcome::Failed);
  EXPECT_EQ(fFresh.wait_for(0s), std::future_status::timeout);
  svc.release();
  ASSERT_EQ(fFresh.wait_for(kBound), std::future_status::ready);
  EXPECT_EQ(fresh.results[0].outcome, Outcome::Inserted);
  ASSERT_EQ(svc.batches.size(), 2u);
  EXPECT_EQ(svc.batches[1], std::vector<std::string>{"fresh"});  // "old" never reached it
  // The service got the fresh item's own deadline, not an older one's.
  EXPECT_EQ(svc.deadlines[1], std::vector<Clock::time_point>{now + std::chrono::hours(1)});
}

TEST(DeliveryEngine, AFreshItemBatchedWithAnOldOneKeepsItsOwnBudget) {
  RecordingService svc;
  kit::EngineOptions o;
  o.linger = std::chrono::hours(1);
  DeliveryEngine engine(svc.service(), o);
  auto now = Clock::now();
  Items old({"old"}, 10, now + 10s);
  Items fresh({"fresh"}, 10, now + 120s);
  auto f1 = submit(engine, old);
  auto f2 = submit(engine, fresh);
  engine.flush();
  ASSERT_EQ(f1.wait_for(kBound), std::future_status::ready);
  ASSERT_EQ(f2.wait_for(kBound), std::future_status::ready);
  ASSERT_EQ(svc.batches.size(), 1u);
  EXPECT_EQ(svc.deadlines[0], (std::vector<Clock::time_point>{now + 10s, now + 120s}));
}

std::vector<kit::EventResult> runRefused(bool stopPolicy, int& calls) {
  kit::EngineOptions o;
  o.maxEvents = 1;
  o.stopAfterWholeFailure = stopPolicy;
  DeliveryEngine engine(
      [&calls](std::span<const json::Value* const>, std::span<const Clock::time_point>,
               std::span<kit::EventResult> results) {
        ++calls;
        for (auto& r : results)
          r = {401, Outcome::Failed, "access denied", kit::error_codes::kInvalidAuthentication};
      },
      o);
  Items items({"a", "b", "c"});
  auto f = submit(engine, items);
  EXPECT_EQ(f.wait_for(kBound), std::future_status::ready);
  EXPECT_EQ(engine.stopped(), stopPolicy);
  return items.results;
}

TEST(DeliveryEngine, TheStreamPolicyStopsAfterARefusalAndLiveUseDoesNot) {
  int calls = 0;
  auto stream = runRefused(true, calls);
  EXPECT_EQ(calls, 1);
  for (const auto& r : stream) EXPECT_EQ(r.status, 401);
  EXPECT_NE(stream[2].error.find("not attempted"), std::string::npos) << stream[2].error;
  calls = 0;
  auto live = runRefused(false, calls);
  EXPECT_EQ(calls, 3);  // every batch tried: credentials may be fixed meanwhile
  EXPECT_EQ(live[2].error, "access denied");
}

TEST(DeliveryEngine, AnEmptySubmissionIsAnsweredAtOnce) {
  RecordingService svc;
  DeliveryEngine engine(svc.service(), kit::EngineOptions{});
  bool done = false;
  engine.submit({}, [&done] { done = true; });
  EXPECT_TRUE(done);
  EXPECT_EQ(svc.batchCount(), 0u);
}

}  // namespace
