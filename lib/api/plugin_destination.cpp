#include "api/plugin_destination.h"

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actions/destination.h"
#include "actions/mapping/mapping.h"
#include "actions/subscription.h"
#include "api/plugin_support.h"
#include "kit/multistatus.h"

struct actions_destination {
  std::unique_ptr<actions::Destination> destination;
};

namespace actions::api::plugin {
namespace {

kit::Outcome kitOutcome(Outcome o) {
  switch (o) {
    case Outcome::Inserted:
    case Outcome::Validated:
      return kit::Outcome::Inserted;
    case Outcome::Duplicate:
      return kit::Outcome::Duplicate;
    case Outcome::Skipped:
      return kit::Outcome::Skipped;
    case Outcome::Rejected:
      return kit::Outcome::Rejected;
    case Outcome::Failed:
      return kit::Outcome::Failed;
  }
  return kit::Outcome::Failed;
}

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

std::string performBatch(Destination& destination, const json::Value& request) {
  if (std::string error = unknownKeys(request, {"events", "payloads"}); !error.empty())
    return error;
  const json::Value* events = member(request, "events");
  const json::Value* payloads = member(request, "payloads");
  if ((events != nullptr) == (payloads != nullptr))
    return failure("the request needs exactly one of events or payloads");
  const json::Value& list = events ? *events : *payloads;
  if (!list.IsArray())
    return failure(std::string(events ? "events" : "payloads") + " must be an array");

  std::vector<std::string> texts;
  texts.reserve(list.Size());
  for (const auto& e : list.GetArray()) texts.push_back(json::stringify(e));
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<EventResult> results =
      events ? destination.performBatch(views) : destination.performPayloads(views);

  json::Document out;
  out.SetObject();
  auto& a = out.GetAllocator();
  json::Value entries(rapidjson::kArrayType);
  for (std::size_t i = 0; i < results.size(); ++i) {
    const EventResult& r = results[i];
    kit::EventResult k;
    k.status = r.status;
    k.outcome = kitOutcome(r.outcome);
    k.error = r.error;
    k.errorType = r.errorType;
    json::Value entry;
    // The payload delivered is the one given, when the host gave payloads.
    const json::Value* sent =
        payloads && r.delivered() ? &list[static_cast<rapidjson::SizeType>(i)] : nullptr;
    kit::multiStatusEntry(k, sent, entry, a);
    if (r.outcome == Outcome::Validated && entry.HasMember("body") && entry["body"].IsObject())
      entry["body"]["outcome"].SetString("validated", a);
    entries.PushBack(entry, a);
  }
  out.AddMember("ok", true, a);
  out.AddMember("results", entries, a);
  return json::stringify(out);
}

}  // namespace

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
    return new actions_destination{std::move(destination)};
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
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return error;
    return performBatch(*handle->destination, doc);
  });
}

char* destinationCheck(actions_destination* handle) noexcept {
  return guarded([&] {
    if (!handle) return failure("the handle is NULL");
    std::string problem = handle->destination->checkConnection();
    return problem.empty() ? std::string(R"({"ok":true})") : failure(problem);
  });
}

void closeDestination(actions_destination* handle) noexcept {
  delete handle;
}

}  // namespace actions::api::plugin
