// actions::Destination (include/actions/destination.h): the live front-end of the delivery
// engine. A call resolves its events on the calling thread (parse, subscription, mapping,
// validation), submits the valid payloads to the Destination's one kit::DeliveryEngine, and is
// answered through the engine's per-submission completion: the synchronous calls wait for it,
// the asynchronous ones return at once and are answered from a delivery thread.
//
// Lifetime: every call passes a gate (enter/leave) that close() shuts; close() then waits until
// the calls inside have been answered — the asynchronous ones until their callback returned —
// and only then stops the engine and closes the pool.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "actions/destination.h"
#include "api/destination_impl.h"
#include "api/diagnostics.h"
#include "api/send_setup.h"
#include "api/settings_access.h"
#include "json/as_written.h"
#include "json/json.h"
#include "kit/delivery_engine.h"
#include "kit/errors.h"
#include "kit/message_id_scan.h"
#include "singlestore/send_data_writer.h"

namespace actions {

namespace ss = singlestore;

namespace {

// The event's own messageId, for answers about events that never became payloads.
std::optional<std::string> ownMessageId(const json::Value& event) {
  if (!event.IsObject()) return std::nullopt;
  auto it = event.FindMember("messageId");
  if (it == event.MemberEnd()) return std::nullopt;
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsNumber()) return json::toJsString(it->value);
  return std::nullopt;
}

std::string_view payloadMessageId(const json::Value& payload) {
  auto it = payload.FindMember("messageId");
  if (it != payload.MemberEnd() && it->value.IsString())
    return {it->value.GetString(), it->value.GetStringLength()};
  return {};
}

// Keeps the messageId and payload text a result already has.
void answerWith(EventResult& out, kit::EventResult&& r) {
  out.outcome = api::publicOutcome(r.outcome);
  out.status = r.status;
  out.error = std::move(r.error);
  out.errorType = std::move(r.errorType);
}

// The Destination a call is running on, on the thread running its callback: close() from there
// would wait for itself.
thread_local const Destination::Impl* callbackOf = nullptr;

}  // namespace

// One call in flight: what it resolved, and where the engine writes its answers.
struct Destination::Impl::Call {
  Input input = Input::Events;
  bool single = false;
  bool resolveOnly = false;  // Destination::resolve: nothing delivered or counted
  CallOptions options;
  json::Allocator alloc;
  std::vector<json::Value> parsed, payloads;
  std::vector<EventResult> out;
  std::vector<std::string> resolved;      // resolveOnly: each valid payload as text
  std::vector<kit::DeliveryItem> items;   // the valid payloads handed to the engine
  std::vector<kit::EventResult> answers;  // the engine's answers, items[k]'s in answers[k]
  std::vector<std::size_t> validIndex;    // items[k] is event validIndex[k]
};

std::unique_ptr<Destination::Impl> Destination::Impl::make(const Settings* settings,
                                                           const SendOptions& options) {
  auto d = std::make_unique<Impl>();
  d->send = api::prepareSend(settings, options);
  d->dryRun = options.dryRun;
  d->maxEventBytes = options.maxEventBytes;
  d->retryFor = options.retryFor.value_or(ss::RetryPolicy{}.retryFor);
  if (d->retryFor.count() < 0) throw std::invalid_argument("retryFor must not be negative");
  d->diagnostics = std::make_unique<api::Diagnostics>(options.hooks, d->send.writer);
  if (d->dryRun) return d;
  kit::EngineOptions engine;
  engine.lanes = d->send.lanes;
  engine.maxEvents = d->send.batchSize;
  if (options.linger) {
    if (options.linger->count() < 0)
      throw std::invalid_argument("the linger time must not be negative");
    engine.linger = *options.linger;
  }
  d->engine = std::make_unique<kit::DeliveryEngine>(kit::serviceOf(*d->send.executor), engine,
                                                    d->diagnostics->deliveryObserver());
  return d;
}

Destination::Impl::~Impl() {
  close();
}

void Destination::Impl::enter() {
  std::lock_guard lock(gateMutex);
  if (closing) throw std::logic_error("the Destination is closed: no call may begin after close()");
  ++calls;
}

void Destination::Impl::leave() {
  std::lock_guard lock(gateMutex);
  // Notified under the lock: close() cannot go on (and free this) before it is released.
  if (--calls == 0) idle.notify_all();
}

void Destination::Impl::close() {
  if (callbackOf == this)
    throw std::logic_error(
        "Destination::close() from a callback of its own call would wait for itself");
  std::unique_lock lock(gateMutex);
  closing = true;
  idle.wait(lock, [this] { return calls == 0; });
  if (closed) return;
  closed = true;
  if (engine) {
    atClose.deliveries = engine->deliveries();
    atClose.queued = engine->queued();
  }
  if (send.writer) {
    atClose.retries = send.writer->retries();
    atClose.connectionsOpened = send.writer->pool().openedCount();
  }
  // Nothing is queued now: the engine's threads end at once; then the writer goes, and with it
  // the pool and its connections.
  engine.reset();
  send.executor.reset();
  send.writer.reset();
}

std::unique_ptr<Destination::Impl::Call> Destination::Impl::resolve(const Source& source,
                                                                    Input input, bool single,
                                                                    const CallOptions& options,
                                                                    bool resolveOnly,
                                                                    bool textsOutliveCall) {
  auto call = std::make_unique<Call>();
  Call& c = *call;
  c.input = input;
  c.single = single;
  c.resolveOnly = resolveOnly;
  c.options = options;
  const std::size_t n = source.size();
  c.out.resize(n);
  c.parsed.resize(n);
  c.payloads.resize(n);
  if (resolveOnly) c.resolved.resize(n);
  c.items.reserve(n);
  c.validIndex.reserve(n);
  const kit::ActionExecutor& executor = *send.executor;
  const auto deadline = std::chrono::steady_clock::now() + retryFor;
  const char* what = input == Input::Events ? "event" : "payload";
  for (std::size_t i = 0; i < n; ++i) {
    EventResult& out = c.out[i];
    const json::Value* given = nullptr;  // the event (or payload) as a value
    json::KnownText known;               // the event's text, when it reads exactly as written
    std::size_t bytes = source.bytesEach;
    if (source.texts) {
      std::string_view text = (*source.texts)[i];
      bytes = text.size();
      if (maxEventBytes && text.size() > maxEventBytes) {
        answerWith(out, kit::tooLarge(what, text.size(), maxEventBytes));
        out.messageId = kit::scanMessageId(text);
        continue;
      }
      json::Document doc(&c.alloc);
      // While the caller's texts outlive the call, the event's strings may stay in its text, and
      // the payload's message, the event itself when it reads exactly as written, is copied as
      // text. An asynchronous call's texts may go once it returns: everything is copied then.
      bool asWritten = false;
      auto err =
          textsOutliveCall ? json::parseKeepingText(text, doc, asWritten) : json::parse(text, doc);
      if (err) {
        kit::EventResult r;
        r.status = 400;
        r.outcome = kit::Outcome::Rejected;
        r.error = std::string("The ") + what + " is " + err->describe();
        r.errorType = kit::error_codes::kPayloadValidationFailed;
        answerWith(out, std::move(r));
        continue;
      }
      c.parsed[i].Swap(doc);
      given = &c.parsed[i];
      if (asWritten) known = json::KnownText{given, text};
    } else {
      given = source.values[i];
    }
    kit::Resolution res = input == Input::Events
                              ? executor.resolve(*given, c.payloads[i], c.alloc, !single)
                              : executor.admit(*given);
    const json::Value& payload = input == Input::Events ? c.payloads[i] : *given;
    if (!res.valid()) {
      answerWith(out, res.result());
      out.messageId = ownMessageId(*given);
      continue;
    }
    std::string_view id = payloadMessageId(payload);
    out.messageId = id.empty() ? ownMessageId(*given) : std::string(id);
    if (options.withPayloads) json::stringify(payload, out.payloadJson, known);
    if (dryRun || resolveOnly) {
      answerWith(out, kit::validated());
      if (resolveOnly) json::stringify(payload, c.resolved[i], known);
      continue;
    }
    c.items.push_back({&payload, id, bytes, nullptr, deadline});
    c.validIndex.push_back(i);
  }
  c.answers.resize(c.items.size());
  for (std::size_t k = 0; k < c.items.size(); ++k) c.items[k].result = &c.answers[k];
  if (!resolveOnly) events.fetch_add(n, std::memory_order_relaxed);
  return call;
}

void Destination::Impl::answer(Call& c) {
  for (std::size_t k = 0; k < c.items.size(); ++k)
    answerWith(c.out[c.validIndex[k]], std::move(c.answers[k]));
  if (c.resolveOnly) return;
  // Counted per call, then added to the Destination's figures once per outcome seen.
  api::Diagnostics::OutcomeCounts counts{};
  for (const EventResult& r : c.out) ++counts[static_cast<std::size_t>(api::kitOutcome(r.outcome))];
  auto add = [&counts](std::atomic<std::uint64_t>& figure, kit::Outcome outcome) {
    if (std::size_t n = counts[static_cast<std::size_t>(outcome)])
      figure.fetch_add(n, std::memory_order_relaxed);
  };
  add(inserted, kit::Outcome::Inserted);
  add(duplicate, kit::Outcome::Duplicate);
  add(skipped, kit::Outcome::Skipped);
  add(rejected, kit::Outcome::Rejected);
  add(failed, kit::Outcome::Failed);
  diagnostics->countOutcomes(counts);
}

std::vector<EventResult> Destination::Impl::run(const Source& source, Input input, bool single,
                                                const CallOptions& options) {
  std::unique_ptr<Call> c = resolve(source, input, single, options, false, true);
  if (!c->items.empty()) {
    std::mutex m;
    std::condition_variable cv;
    bool answered = false;
    engine->submit(c->items, [&] {
      std::lock_guard lock(m);
      answered = true;
      cv.notify_one();  // under the lock: this frame cannot end before it returns
    });
    std::unique_lock lock(m);
    cv.wait(lock, [&] { return answered; });
  }
  answer(*c);
  return std::move(c->out);
}

void Destination::Impl::runAsync(const Source& source, Input input, const CallOptions& options,
                                 BatchCallback done) {
  if (!done) throw std::invalid_argument("an asynchronous call needs a callback");
  enter();
  std::unique_ptr<Call> call;
  try {
    call = resolve(source, input, false, options, false, false);
  } catch (...) {
    leave();
    throw;
  }
  Call* raw = call.release();
  auto complete = [this, raw, done = std::move(done)] {
    std::unique_ptr<Call> c(raw);
    answer(*c);
    const Impl* outer = callbackOf;
    callbackOf = this;
    try {
      done(std::move(c->out));
    } catch (const std::exception& e) {
      diagnostics->log(LogLevel::Error,
                       std::string("a callback of performBatchAsync threw: ") + e.what());
    } catch (...) {
      diagnostics->log(LogLevel::Error, "a callback of performBatchAsync threw");
    }
    callbackOf = outer;
    c.reset();
    leave();
  };
  if (raw->items.empty())
    complete();
  else
    engine->submit(raw->items, std::move(complete));
}

Destination::Destination(const Settings& settings, const SendOptions& options)
    : impl_(Impl::make(&settings, options)) {}

Destination::Destination(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Destination::~Destination() = default;

Destination::Impl& Destination::impl() {
  return *impl_;
}

EventResult Destination::perform(std::string_view eventJson, const CallOptions& options) {
  Impl::Gate gate(*impl_);
  EventTexts one(&eventJson, 1);
  return std::move(impl_->run(Impl::Source(one), Impl::Input::Events, true, options).front());
}

std::vector<EventResult> Destination::performBatch(EventTexts events, const CallOptions& options) {
  Impl::Gate gate(*impl_);
  return impl_->run(Impl::Source(events), Impl::Input::Events, false, options);
}

std::vector<EventResult> Destination::performPayloads(EventTexts payloads,
                                                      const CallOptions& options) {
  Impl::Gate gate(*impl_);
  return impl_->run(Impl::Source(payloads), Impl::Input::Payloads, false, options);
}

std::vector<ResolvedEvent> Destination::resolve(EventTexts events) {
  Impl::Gate gate(*impl_);
  auto c =
      impl_->resolve(Impl::Source(events), Impl::Input::Events, false, CallOptions{}, true, true);
  impl_->answer(*c);
  std::vector<ResolvedEvent> out(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    out[i].result = std::move(c->out[i]);
    out[i].payloadJson = std::move(c->resolved[i]);
  }
  return out;
}

void Destination::performBatchAsync(EventTexts events, BatchCallback done,
                                    const CallOptions& options) {
  impl_->runAsync(events, Impl::Input::Events, options, std::move(done));
}

void Destination::performPayloadsAsync(EventTexts payloads, BatchCallback done,
                                       const CallOptions& options) {
  impl_->runAsync(payloads, Impl::Input::Payloads, options, std::move(done));
}

namespace {

std::future<std::vector<EventResult>> withFuture(
    const std::function<void(Destination::BatchCallback)>& start) {
  auto promise = std::make_shared<std::promise<std::vector<EventResult>>>();
  std::future<std::vector<EventResult>> future = promise->get_future();
  start([promise](std::vector<EventResult> results) { promise->set_value(std::move(results)); });
  return future;
}

}  // namespace

std::future<std::vector<EventResult>> Destination::performBatchAsync(EventTexts events,
                                                                     const CallOptions& options) {
  return withFuture([&](BatchCallback done) {
    impl_->runAsync(events, Impl::Input::Events, options, std::move(done));
  });
}

std::future<std::vector<EventResult>> Destination::performPayloadsAsync(
    EventTexts payloads, const CallOptions& options) {
  return withFuture([&](BatchCallback done) {
    impl_->runAsync(payloads, Impl::Input::Payloads, options, std::move(done));
  });
}

void Destination::close() {
  impl_->close();
}

std::string Destination::checkConnection() {
  Impl::Gate gate(*impl_);
  if (!impl_->send.writer) return {};
  return impl_->send.writer->checkConnection();
}

DestinationStats Destination::stats() const {
  const Impl& d = *impl_;
  DestinationStats s;
  s.events = d.events.load(std::memory_order_relaxed);
  s.inserted = d.inserted.load(std::memory_order_relaxed);
  s.duplicate = d.duplicate.load(std::memory_order_relaxed);
  s.skipped = d.skipped.load(std::memory_order_relaxed);
  s.rejected = d.rejected.load(std::memory_order_relaxed);
  s.failed = d.failed.load(std::memory_order_relaxed);
  std::lock_guard lock(d.gateMutex);  // the engine and the writer go away in close()
  if (d.closed) {
    s.deliveries = d.atClose.deliveries;
    s.retries = d.atClose.retries;
    s.connectionsOpened = d.atClose.connectionsOpened;
    return s;
  }
  if (d.engine) {
    s.deliveries = d.engine->deliveries();
    s.queued = d.engine->queued();
  }
  if (d.send.writer) {
    s.retries = d.send.writer->retries();
    s.connectionsOpened = d.send.writer->pool().openedCount();
    s.connectionsOpen = d.send.writer->pool().openCount();
  }
  return s;
}

std::size_t Destination::batchSize() const {
  return impl_->send.batchSize;
}

}  // namespace actions
