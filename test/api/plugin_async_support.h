// What the tests of destination_perform_batch_async share: a track event, and Answers, the
// contexts of a set of asynchronous calls, which records each call's answer (parsed, its string
// released), the thread it came on and how many times the callback ran.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "actions/plugin.h"
#include "json/json.h"

namespace asynctest {

inline std::string track(const std::string& id) {
  return R"({"messageId":")" + id +
         R"(","type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"})";
}

class Answers {
 public:
  Answers(const actions_plugin_v1* plugin, int count) : plugin_(plugin), slots_(count) {
    for (int i = 0; i < count; ++i) slots_[i].owner = this;
  }
  Answers(const Answers&) = delete;
  Answers& operator=(const Answers&) = delete;

  // The context to give call `i`.
  void* slot(int i) { return &slots_.at(i); }

  // The callback of every call (actions_answer_fn).
  static void done(void* context, char* text) {
    auto* slot = static_cast<Slot*>(context);
    Answers& self = *slot->owner;
    std::lock_guard lock(self.mutex_);
    ++self.calls_;
    if (!slot->answered) {
      slot->answered = true;
      slot->thread = std::this_thread::get_id();
      slot->null = text == nullptr;
      if (text) actions::json::parse(text, slot->document);
    }
    self.plugin_->free_string(text);
    self.changed_.notify_all();
  }

  bool waitFor(int i, std::chrono::seconds bound) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, bound, [&] { return slots_.at(i).answered; });
  }
  bool waitAll(std::chrono::seconds bound) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, bound, [&] { return answeredCount() == slots_.size(); });
  }
  bool answered(int i) {
    std::lock_guard lock(mutex_);
    return slots_.at(i).answered;
  }
  std::size_t answeredNow() {
    std::lock_guard lock(mutex_);
    return answeredCount();
  }
  // Read once answered: nothing writes a slot twice.
  const actions::json::Document& document(int i) {
    EXPECT_TRUE(answered(i));
    EXPECT_FALSE(slots_.at(i).null);
    return slots_.at(i).document;
  }
  std::thread::id thread(int i) { return slots_.at(i).thread; }
  int calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }

 private:
  struct Slot {
    Answers* owner = nullptr;
    bool answered = false;
    bool null = false;
    std::thread::id thread;
    actions::json::Document document;
  };
  std::size_t answeredCount() const {
    std::size_t n = 0;
    for (const auto& s : slots_) n += s.answered;
    return n;
  }

  const actions_plugin_v1* plugin_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Slot> slots_;
  int calls_ = 0;
};

}  // namespace asynctest
