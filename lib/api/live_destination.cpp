// actions::Destination (include/actions/destination.h): the Send Data action made ready once,
// events resolved on the calling thread, valid payloads handed to one kit::SharedDelivery whose
// lanes write for every caller at once through the destination's own SendDataWriter.
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>

#include "actions/destination.h"
#include "api/send_setup.h"
#include "api/settings_access.h"
#include "json/as_written.h"
#include "json/json.h"
#include "kit/errors.h"
#include "kit/shared_delivery.h"
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

EventResult fromKit(kit::EventResult&& r) {
  EventResult out;
  out.outcome = api::publicOutcome(r.outcome);
  out.status = r.status;
  out.error = std::move(r.error);
  out.errorType = std::move(r.errorType);
  return out;
}

}  // namespace

struct Destination::Impl {
  enum class Input { Events, Payloads };

  api::PreparedSend send;
  bool dryRun = false;
  std::shared_ptr<ss::SendDataWriter> writer;  // null in a dry run
  std::unique_ptr<kit::SharedDelivery> delivery;

  std::atomic<std::uint64_t> events{0}, inserted{0}, duplicate{0}, skipped{0}, rejected{0},
      failed{0};
  std::mutex callsMutex;
  std::condition_variable callsEnded;
  std::size_t calls = 0;

  // Counts a call in progress, so the destructor can wait for it.
  struct CallGuard {
    Impl& impl;
    explicit CallGuard(Impl& i) : impl(i) {
      std::lock_guard lock(impl.callsMutex);
      ++impl.calls;
    }
    ~CallGuard() {
      std::lock_guard lock(impl.callsMutex);
      if (--impl.calls == 0) impl.callsEnded.notify_all();
    }
  };

  void count(const EventResult& r) {
    switch (r.outcome) {
      case Outcome::Inserted:
        inserted.fetch_add(1, std::memory_order_relaxed);
        break;
      case Outcome::Duplicate:
        duplicate.fetch_add(1, std::memory_order_relaxed);
        break;
      case Outcome::Skipped:
        skipped.fetch_add(1, std::memory_order_relaxed);
        break;
      case Outcome::Rejected:
        rejected.fetch_add(1, std::memory_order_relaxed);
        break;
      case Outcome::Failed:
        failed.fetch_add(1, std::memory_order_relaxed);
        break;
      case Outcome::Validated:
        break;
    }
  }

  // Resolves every text (an event, or a payload made elsewhere), delivers the valid payloads
  // through the shared lanes, and answers each text in order.
  // With `resolvedOut`, nothing is delivered or counted: each valid payload is written out as
  // text into (*resolvedOut)[i] and answered Validated.
  std::vector<EventResult> run(const std::vector<std::string_view>& texts, Input input, bool single,
                               std::vector<std::string>* resolvedOut = nullptr) {
    CallGuard guard(*this);
    const std::size_t n = texts.size();
    if (!resolvedOut) events.fetch_add(n, std::memory_order_relaxed);
    std::vector<EventResult> out(n);
    json::Allocator alloc;
    std::vector<json::Value> parsed(n), payloads(n);
    std::vector<const json::Value*> valid;
    std::vector<std::string_view> keys;
    std::vector<std::size_t> validIndex;
    valid.reserve(n);
    keys.reserve(n);
    validIndex.reserve(n);
    const kit::ActionExecutor& executor = *send.executor;
    for (std::size_t i = 0; i < n; ++i) {
      json::Document doc(&alloc);
      bool asWritten = false;  // then the payload's message, the event itself, is written as read
      if (auto err = json::parseKeepingText(texts[i], doc, asWritten)) {
        kit::EventResult r;
        r.status = 400;
        r.outcome = kit::Outcome::Rejected;
        r.error = (input == Input::Events ? "The event is " : "The payload is ") + err->describe();
        r.errorType = kit::error_codes::kPayloadValidationFailed;
        out[i] = fromKit(std::move(r));
        continue;
      }
      parsed[i].Swap(doc);
      kit::Resolution res = input == Input::Events
                                ? executor.resolve(parsed[i], payloads[i], alloc, !single)
                                : executor.admit(parsed[i]);
      const json::Value& payload = input == Input::Events ? payloads[i] : parsed[i];
      if (!res.valid()) {
        out[i] = fromKit(res.result());
        out[i].messageId = ownMessageId(parsed[i]);
        continue;
      }
      std::string_view id = payloadMessageId(payload);
      if (!id.empty())
        out[i].messageId = std::string(id);
      else
        out[i].messageId = ownMessageId(parsed[i]);
      if (dryRun || resolvedOut) {
        out[i].outcome = Outcome::Validated;
        out[i].status = 200;
        if (resolvedOut)
          json::stringify(payload, (*resolvedOut)[i],
                          json::KnownText{asWritten ? &parsed[i] : nullptr, texts[i]});
        continue;
      }
      valid.push_back(&payload);
      keys.push_back(id);
      validIndex.push_back(i);
    }
    if (!valid.empty()) {
      std::vector<kit::EventResult> results(valid.size());
      delivery->deliver(valid, keys, results);
      for (std::size_t k = 0; k < valid.size(); ++k) {
        EventResult& r = out[validIndex[k]];
        std::optional<std::string> id = std::move(r.messageId);
        r = fromKit(std::move(results[k]));
        r.messageId = std::move(id);
      }
    }
    if (!resolvedOut)
      for (const auto& r : out) count(r);
    return out;
  }
};

Destination::Destination(const Settings& settings, const SendOptions& options)
    : impl_(std::make_unique<Impl>()) {
  Impl& d = *impl_;
  d.send = api::prepareSend(&settings, options);
  d.dryRun = options.dryRun;
  if (d.dryRun) return;
  ss::WriterOptions writerOptions;
  if (options.retryFor) writerOptions.retry.retryFor = *options.retryFor;
  // The pool is as large as the deliveries made at once, whatever the number of callers.
  writerOptions.maxConnections = d.send.lanes;
  d.writer =
      std::make_shared<ss::SendDataWriter>(SettingsAccess::impl(settings).settings, writerOptions);
  d.send.executor->presetState(d.writer);
  kit::SharedDeliveryOptions deliveryOptions;
  deliveryOptions.lanes = d.send.lanes;
  deliveryOptions.batchSize = d.send.batchSize;
  deliveryOptions.retryFor = writerOptions.retry.retryFor;
  d.delivery = std::make_unique<kit::SharedDelivery>(*d.send.executor, deliveryOptions);
}

Destination::~Destination() {
  std::unique_lock lock(impl_->callsMutex);
  impl_->callsEnded.wait(lock, [this] { return impl_->calls == 0; });
}

EventResult Destination::perform(std::string_view eventJson) {
  std::vector<std::string_view> one{eventJson};
  return std::move(impl_->run(one, Impl::Input::Events, true).front());
}

std::vector<EventResult> Destination::performBatch(const std::vector<std::string_view>& events) {
  return impl_->run(events, Impl::Input::Events, false);
}

std::vector<EventResult> Destination::performPayloads(
    const std::vector<std::string_view>& payloads) {
  return impl_->run(payloads, Impl::Input::Payloads, false);
}

std::vector<ResolvedEvent> Destination::resolve(const std::vector<std::string_view>& events) {
  std::vector<std::string> payloads(events.size());
  std::vector<EventResult> results = impl_->run(events, Impl::Input::Events, false, &payloads);
  std::vector<ResolvedEvent> out(events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    out[i].result = std::move(results[i]);
    out[i].payloadJson = std::move(payloads[i]);
  }
  return out;
}

std::string Destination::checkConnection() {
  if (!impl_->writer) return {};
  return impl_->writer->checkConnection();
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
  if (d.delivery) {
    s.deliveries = d.delivery->deliveries();
    s.queued = d.delivery->queued();
  }
  if (d.writer) {
    s.retries = d.writer->retries();
    s.connectionsOpened = d.writer->pool().openedCount();
    s.connectionsOpen = d.writer->pool().openCount();
  }
  return s;
}

std::size_t Destination::batchSize() const {
  return impl_->send.batchSize;
}

}  // namespace actions
