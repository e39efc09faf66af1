// actions::Destination's insides (live_destination.cpp), for the library's own front-ends: the
// plugin ABI makes Destinations without settings (a dry run) and calls them directly.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "actions/destination.h"
#include "api/diagnostics.h"
#include "api/send_setup.h"
#include "json/json.h"
#include "kit/delivery_engine.h"

namespace actions {

struct ACTIONS_LOCAL Destination::Impl {
  enum class Input { Events, Payloads };
  struct Call;

  // `settings` may be null for a dry run only. Throws as Destination's constructor does.
  static std::unique_ptr<Impl> make(const Settings* settings, const SendOptions& options);
  ~Impl();

  // A call in progress, between enter() and leave(): close() waits for it.
  class Gate {
   public:
    explicit Gate(Impl& impl) : impl_(impl) { impl_.enter(); }
    ~Gate() { impl_.leave(); }
    Gate(const Gate&) = delete;
    Gate& operator=(const Gate&) = delete;

   private:
    Impl& impl_;
  };
  // Throws std::logic_error once close() has begun.
  void enter();
  void leave();
  void close();

  // What a call resolves: texts, or values a front-end has parsed already (the plugin's
  // requests), which must live until the call is answered.
  struct Source {
    explicit Source(const EventTexts& t) : texts(&t) {}
    Source(std::span<const json::Value* const> v, std::size_t each) : values(v), bytesEach(each) {}
    std::size_t size() const { return texts ? texts->size() : values.size(); }

    const EventTexts* texts = nullptr;
    std::span<const json::Value* const> values;
    std::size_t bytesEach = 0;  // with values: their size, roughly, for the batcher's byte bound
  };

  // Parses and resolves every event on the calling thread; the valid payloads become the call's
  // items for the engine.
  // `textsOutliveCall`: the source's texts live until the call is answered (synchronous calls),
  // so the parsed events may keep their strings in them.
  std::unique_ptr<Call> resolve(const Source& source, Input input, bool single,
                                const CallOptions& options, bool resolveOnly,
                                bool textsOutliveCall);
  // Moves the engine's answers into the call's results and counts them.
  void answer(Call& call);
  // A synchronous call; the caller holds a Gate.
  std::vector<EventResult> run(const Source& source, Input input, bool single,
                               const CallOptions& options);
  // An asynchronous call: enters the gate itself, leaves it once `done` has returned. Values of a
  // Source must live until `done` has run (the plugin's asynchronous calls keep their request
  // in `done`).
  void runAsync(const Source& source, Input input, const CallOptions& options, BatchCallback done);
  void runAsync(EventTexts texts, Input input, const CallOptions& options, BatchCallback done) {
    runAsync(Source(texts), input, options, std::move(done));
  }

  api::PreparedSend send;
  bool dryRun = false;
  std::size_t maxEventBytes = 0;
  std::chrono::milliseconds retryFor{0};
  std::unique_ptr<api::Diagnostics> diagnostics;
  std::unique_ptr<kit::DeliveryEngine> engine;  // null in a dry run, and once closed

  std::atomic<std::uint64_t> events{0}, inserted{0}, duplicate{0}, skipped{0}, rejected{0},
      failed{0};

  mutable std::mutex gateMutex;
  std::condition_variable idle;
  std::size_t calls = 0;     // calls between enter() and leave()
  bool closing = false;      // close() has begun: enter() refuses
  bool closed = false;       // the engine and the connections are gone
  DestinationStats atClose;  // the engine's and the writer's figures when they went
};

}  // namespace actions
