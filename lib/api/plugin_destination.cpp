#include "api/plugin_destination.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "actions/mapping/mapping.h"
#include "actions/multistatus.h"
#include "actions/subscription.h"
#include "api/destination_impl.h"
#include "api/plugin_support.h"

struct actions_destination {
  std::unique_ptr<actions::Destination> destination;
};

namespace actions::api::plugin {
namespace {

const char kNotOpen[] =
    "this handle is not an open destination: it was closed already, or never opened";

// The handles open now. A call holds its handle's Destination through a gate entered under the
// registry's lock, so close (which leaves the registry first) waits for it; a handle that is not
// here is refused before it is followed.
class OpenHandles {
 public:
  void add(actions_destination* h) {
    std::lock_guard lock(mutex_);
    open_.insert(h);
  }
  // The handle's Destination with a call entered, or null when the handle is not open.
  Destination::Impl* enter(actions_destination* h) {
    std::lock_guard lock(mutex_);
    if (!open_.count(h)) return nullptr;
    Destination::Impl& impl = h->destination->impl();
    impl.enter();
    return &impl;
  }
  // Takes the handle out; false when it was not open.
  bool remove(actions_destination* h) {
    std::lock_guard lock(mutex_);
    return open_.erase(h) == 1;
  }

 private:
  std::mutex mutex_;
  std::unordered_set<actions_destination*> open_;
};

OpenHandles& openHandles() {
  static auto* handles = new OpenHandles;  // never destroyed: handles may outlive static teardown
  return *handles;
}

// A call on an open handle, left when it ends.
class HandleCall {
 public:
  explicit HandleCall(actions_destination* h) : impl_(h ? openHandles().enter(h) : nullptr) {}
  ~HandleCall() {
    if (impl_) impl_->leave();
  }
  HandleCall(const HandleCall&) = delete;
  HandleCall& operator=(const HandleCall&) = delete;
  explicit operator bool() const { return impl_ != nullptr; }
  Destination::Impl& impl() const { return *impl_; }

 private:
  Destination::Impl* impl_;
};

// A whole number member within [low, high], or why not.
std::optional<long long> integerMember(const json::Value& obj, const char* key, long long low,
                                       long long high, std::string& problem) {
  const json::Value* v = member(obj, key);
  if (!v) return std::nullopt;
  if (!v->IsNumber() || !v->IsInt64() || v->GetInt64() < low || v->GetInt64() > high) {
    problem = std::string(key) + " must be a whole number between " + std::to_string(low) +
              " and " + std::to_string(high);
    return std::nullopt;
  }
  return v->GetInt64();
}

// The open request as a Destination, or the failure to answer.
std::unique_ptr<Destination> destinationFor(const json::Value& request, std::string& error) {
  error = unknownKeys(request, {"action", "settings", "mapping", "subscription", "dryRun",
                                "batchSize", "parallel", "retryForMs", "lingerMs"});
  if (!error.empty()) return nullptr;
  std::string action = stringMember(request, "action", "send");
  if (action != "send") {
    error = failure("unknown action: " + action);
    return nullptr;
  }
  const json::Value* settingsJson = member(request, "settings");
  if (!settingsJson || !settingsJson->IsObject()) {
    error = failure("settings must be an object");
    return nullptr;
  }
  SettingsCheck check =
      validateSettings(json::stringify(*settingsJson), std::getenv("SINGLESTORE_PASSWORD"));
  if (!check.ok()) {
    error = failure("invalid settings", check.problems);
    return nullptr;
  }
  SendOptions options;
  if (const json::Value* m = member(request, "mapping")) options.mappingJson = json::stringify(*m);
  if (const json::Value* s = member(request, "subscription")) {
    if (!s->IsString()) {
      error = failure("subscription must be a string");
      return nullptr;
    }
    options.subscription = std::string(s->GetString(), s->GetStringLength());
  }
  if (const json::Value* d = member(request, "dryRun")) {
    if (!d->IsBool()) {
      error = failure("dryRun must be true or false");
      return nullptr;
    }
    options.dryRun = d->IsTrue();
  }
  std::string problem;
  if (auto n = integerMember(request, "batchSize", 1, 10000, problem))
    options.batchSize = static_cast<std::size_t>(*n);
  if (auto n = integerMember(request, "parallel", 1, 64, problem))
    options.parallel = static_cast<unsigned>(*n);
  if (auto n = integerMember(request, "retryForMs", 0, 86400000, problem))
    options.retryFor = std::chrono::milliseconds(*n);
  if (auto n = integerMember(request, "lingerMs", 0, 60000, problem))
    options.linger = std::chrono::milliseconds(*n);
  if (!problem.empty()) {
    error = failure(problem);
    return nullptr;
  }
  try {
    return std::make_unique<Destination>(*check.settings, options);
  } catch (const mapping::InvalidMapping& e) {
    error = failure("invalid mapping", e.problems());
  } catch (const InvalidSubscription& e) {
    error = failure(std::string("invalid subscription: ") + e.what());
  } catch (const std::invalid_argument& e) {
    error = failure(e.what());
  }
  return nullptr;
}

// A destination_perform_batch request taken apart: what to resolve and how, or why not.
struct BatchRequest {
  std::vector<const json::Value*> values;
  Destination::Impl::Input input = Destination::Impl::Input::Events;
  CallOptions call;
  std::size_t bytesEach = 0;  // roughly, for the batcher's byte bound
  std::string error;          // the failure to answer instead
};

BatchRequest batchRequest(const json::Value& request, std::size_t requestBytes) {
  BatchRequest out;
  out.error = unknownKeys(request, {"events", "payloads", "sent"});
  if (!out.error.empty()) return out;
  const json::Value* events = member(request, "events");
  const json::Value* payloads = member(request, "payloads");
  if ((events != nullptr) == (payloads != nullptr)) {
    out.error = failure("the request needs exactly one of events or payloads");
    return out;
  }
  const json::Value& list = events ? *events : *payloads;
  if (!list.IsArray()) {
    out.error = failure(std::string(events ? "events" : "payloads") + " must be an array");
    return out;
  }
  // The payload delivered is the one given, when the host gave payloads (Segment's "sent"); a
  // host that keeps them may leave them out.
  out.call.withPayloads = payloads != nullptr;
  if (const json::Value* sent = member(request, "sent")) {
    if (!sent->IsBool()) {
      out.error = failure("sent must be true or false");
      return out;
    }
    out.call.withPayloads = sent->IsTrue();
  }
  out.input = events ? Destination::Impl::Input::Events : Destination::Impl::Input::Payloads;
  out.values.reserve(list.Size());
  for (const auto& e : list.GetArray()) out.values.push_back(&e);
  out.bytesEach = requestBytes / std::max<std::size_t>(1, out.values.size());
  return out;
}

std::string performBatch(Destination::Impl& impl, const json::Value& request,
                         std::size_t requestBytes) {
  BatchRequest r = batchRequest(request, requestBytes);
  if (!r.error.empty()) return r.error;
  Destination::Impl::Source source(r.values, r.bytesEach);
  return resultsAnswer(impl.run(source, r.input, false, r.call));
}

}  // namespace

std::string resultsAnswer(const std::vector<EventResult>& results) {
  std::string out = R"({"ok":true,"results":[)";
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (i) out += ',';
    appendMultiStatusEntry(results[i], out);
  }
  out += "]}";
  return out;
}

actions_destination* openDestination(const char* requestJson, char** errorJson) noexcept {
  auto fail = [&](const std::string& error) -> actions_destination* {
    if (errorJson) *errorJson = copyOut(error);
    return nullptr;
  };
  if (errorJson) *errorJson = nullptr;
  try {
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return fail(error);
    std::unique_ptr<Destination> destination = destinationFor(doc, error);
    if (!destination) return fail(error);
    auto* handle = new actions_destination{std::move(destination)};
    openHandles().add(handle);
    return handle;
  } catch (const std::exception& e) {
    try {
      return fail(failure(std::string("internal error: ") + e.what()));
    } catch (...) {
      return nullptr;
    }
  } catch (...) {
    return nullptr;
  }
}

char* destinationPerformBatch(actions_destination* handle, const char* requestJson) noexcept {
  return guarded([&] {
    if (!handle) return failure("the handle is NULL");
    HandleCall call(handle);
    if (!call) return failure(kNotOpen);
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return error;
    return performBatch(call.impl(), doc, std::strlen(requestJson));
  });
}

void destinationPerformBatchAsync(actions_destination* handle, const char* requestJson,
                                  actions_answer_fn done, void* context) noexcept {
  if (!done) return;  // nobody to answer: nothing is started
  // Answers now, on this thread: the call did not start.
  auto answerNow = [&](const std::string& answer) { done(context, copyOut(answer)); };
  try {
    if (!handle) return answerNow(failure("the handle is NULL"));
    HandleCall call(handle);
    if (!call) return answerNow(failure(kNotOpen));
    // The request's values are the payloads the engine delivers: it lives until the answer.
    auto doc = std::make_shared<json::Document>();
    std::string error;
    if (!parseArgument(requestJson, *doc, error)) return answerNow(error);
    auto request = std::make_shared<BatchRequest>(batchRequest(*doc, std::strlen(requestJson)));
    if (!request->error.empty()) return answerNow(request->error);
    Destination::Impl::Source source(request->values, request->bytesEach);
    call.impl().runAsync(source, request->input, request->call,
                         [doc, request, done, context](std::vector<EventResult> results) {
                           char* answer = nullptr;
                           try {
                             answer = copyOut(resultsAnswer(results));
                           } catch (...) {
                             answer = nullptr;  // out of memory: the host is told with NULL
                           }
                           done(context, answer);
                         });
  } catch (const std::exception& e) {
    // Nothing was started (runAsync answers through `done` once it has begun).
    try {
      answerNow(failure(std::string("internal error: ") + e.what()));
    } catch (...) {
      done(context, nullptr);
    }
  } catch (...) {
    done(context, nullptr);
  }
}

char* destinationCheck(actions_destination* handle) noexcept {
  return guarded([&] {
    if (!handle) return failure("the handle is NULL");
    HandleCall call(handle);
    if (!call) return failure(kNotOpen);
    std::string problem =
        call.impl().send.writer ? call.impl().send.writer->checkConnection() : std::string();
    return problem.empty() ? std::string(R"({"ok":true})") : failure(problem);
  });
}

char* destinationStats(actions_destination* handle) noexcept {
  return guarded([&] {
    if (!handle) return failure("the handle is NULL");
    HandleCall call(handle);
    if (!call) return failure(kNotOpen);
    DestinationStats s = handle->destination->stats();
    std::string out = R"({"ok":true)";
    for (auto [name, value] : {std::pair<const char*, std::uint64_t>{"events", s.events},
                               {"inserted", s.inserted},
                               {"duplicate", s.duplicate},
                               {"skipped", s.skipped},
                               {"rejected", s.rejected},
                               {"failed", s.failed},
                               {"deliveries", s.deliveries},
                               {"retries", s.retries},
                               {"queued", s.queued},
                               {"connectionsOpened", s.connectionsOpened},
                               {"connectionsOpen", s.connectionsOpen}}) {
      out += ",\"";
      out += name;
      out += "\":";
      out += std::to_string(value);
    }
    out += '}';
    return out;
  });
}

char* destinationClose(actions_destination* handle) noexcept {
  return guarded([&] {
    if (!handle) return failure("the handle is NULL");
    if (!openHandles().remove(handle)) return failure(kNotOpen);
    // Out of the registry: no call can begin on it now. close() waits for those in progress.
    handle->destination->close();
    delete handle;
    return std::string(R"({"ok":true})");
  });
}

void closeDestination(actions_destination* handle) noexcept {
  if (!handle) return;
  char* answer = destinationClose(handle);
  std::free(answer);
}

}  // namespace actions::api::plugin
