// The C plugin ABI (include/actions/plugin.h): JSON text in, JSON text out, over the SingleStore
// definition and the kit. Every entry point catches everything: no exception leaves the library.
#include "actions/plugin.h"

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "actions/version.h"
#include "api/dynamic_choices.h"
#include "api/plugin_destination.h"
#include "api/plugin_support.h"
#include "json/json.h"
#include "kit/describe.h"
#include "kit/errors.h"
#include "kit/executor.h"
#include "kit/multistatus.h"
#include "kit/requests.h"
#include "mapping/mapping.h"
#include "singlestore/definition.h"
#include "singlestore/settings.h"
#include "subscription/subscription.h"

namespace actions {
const char* libraryVersion() noexcept;
}

namespace {

using namespace actions;
using namespace actions::api::plugin;
namespace ss = actions::singlestore;

ss::SettingsResult settingsOf(const json::Value& value) {
  return ss::parseSettings(value, std::getenv("SINGLESTORE_PASSWORD"));
}

const char* pluginLibraryVersion() noexcept {
  return libraryVersion();
}

char* pluginDescribe() noexcept {
  return guarded([] { return kit::describe(ss::destination()); });
}

char* pluginValidateSettings(const char* settingsJson) noexcept {
  return guarded([&] {
    json::Document doc;
    std::string error;
    if (!parseArgument(settingsJson, doc, error)) return error;
    auto r = settingsOf(doc);
    if (!r.validated) {
      json::Document out;
      out.SetObject();
      auto& a = out.GetAllocator();
      out.AddMember("ok", false, a);
      json::Value list(rapidjson::kArrayType);
      for (const auto& p : r.problems) list.PushBack(str(p, a), a);
      out.AddMember("problems", list, a);
      return json::stringify(out);
    }
    json::Document out;
    out.SetObject();
    auto& a = out.GetAllocator();
    json::Value settings(*r.validated, a);
    if (settings.HasMember("password")) settings["password"].SetString("********", a);
    out.AddMember("ok", true, a);
    out.AddMember("settings", settings, a);
    return json::stringify(out);
  });
}

std::string errorAnswer(int status, std::string_view type, std::string_view message) {
  json::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  d.AddMember("ok", false, a);
  d.AddMember("status", status, a);
  d.AddMember("errortype", str(type, a), a);
  d.AddMember("error", str(message, a), a);
  return json::stringify(d);
}

char* pluginTestAuthentication(const char* settingsJson) noexcept {
  return guarded([&] {
    json::Document doc;
    std::string error;
    if (!parseArgument(settingsJson, doc, error)) return error;
    auto r = settingsOf(doc);
    if (!r.validated) return failure("invalid settings", r.problems);
    const auto& test = ss::destination().testAuthentication;
    if (!test)
      return errorAnswer(501, kit::error_codes::kNotImplemented,
                         "testing authentication is not available in this build");
    try {
      test(kit::AuthRequest{*r.validated});
    } catch (const kit::IntegrationError& e) {
      return errorAnswer(e.status(), e.code(), e.what());
    } catch (const std::exception& e) {
      return errorAnswer(500, kit::error_codes::kUnknownError, e.what());
    }
    return std::string(R"({"ok":true})");
  });
}

// The executors of recent execute_batch requests, most recently used first; a few are kept.
class ExecutorCache {
 public:
  template <class Make>
  std::shared_ptr<kit::ActionExecutor> get(const std::string& key, Make&& make) {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
    auto executor = make();
    entries_.emplace_front(key, executor);
    if (entries_.size() > kKept) entries_.pop_back();
    return executor;
  }

 private:
  static constexpr std::size_t kKept = 8;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<kit::ActionExecutor>>> entries_;
};

ExecutorCache& executors() {
  static ExecutorCache cache;
  return cache;
}

std::string executeBatch(const json::Value& request) {
  if (std::string error = unknownKeys(request, {"action", "settings", "events", "mapping",
                                                "subscription", "dryRun", "retryForMs"});
      !error.empty())
    return error;
  std::string actionKey = stringMember(request, "action", std::string(ss::kSendDataAction));
  const kit::ActionDefinition* action = ss::destination().findAction(actionKey);
  if (!action) return failure("unknown action: " + actionKey);
  const json::Value* events = member(request, "events");
  if (!events || !events->IsArray()) return failure("events must be an array of events");
  const json::Value* dry = member(request, "dryRun");
  bool dryRun = dry && dry->IsTrue();

  json::Document settings;
  settings.SetObject();
  const json::Value* given = member(request, "settings");
  if (given || !dryRun) {
    if (!given) return failure("settings are required (except for a dry run)");
    auto r = settingsOf(*given);
    if (!r.validated) return failure("invalid settings", r.problems);
    settings.CopyFrom(*r.validated, settings.GetAllocator());
  }
  kit::ActionOptions options;
  options.mapping = member(request, "mapping");
  if (const json::Value* sub = member(request, "subscription")) {
    if (!sub->IsString()) return failure("subscription must be a string");
    options.subscription = std::string(sub->GetString(), sub->GetStringLength());
  }
  kit::DeliveryOptions delivery;
  if (const json::Value* r = member(request, "retryForMs")) {
    if (!r->IsInt64() || r->GetInt64() < 0 || r->GetInt64() > 86400000)
      return failure("retryForMs must be a whole number of milliseconds between 0 and 86400000");
    delivery.retryFor = std::chrono::milliseconds(r->GetInt64());
  }
  std::shared_ptr<kit::ActionExecutor> executor;
  try {
    // The executor keeps the run's writer, and with it the connections: hosts that call
    // execute_batch again with the same settings, mapping and subscription reuse them.
    std::string key = actionKey + '\n' + json::stringify(settings) + '\n' +
                      (options.mapping ? json::stringify(*options.mapping) : std::string()) + '\n' +
                      (options.subscription ? '=' + *options.subscription : std::string()) + '\n' +
                      (delivery.retryFor ? std::to_string(delivery.retryFor->count()) : "");
    executor = executors().get(key, [&] {
      return std::make_shared<kit::ActionExecutor>(*action, settings, options, delivery);
    });
  } catch (const mapping::MappingError& e) {
    return failure("invalid mapping", e.problems());
  } catch (const subscription::SubscriptionError& e) {
    return failure(std::string("invalid subscription: ") + e.what());
  }

  std::vector<const json::Value*> list;
  for (const auto& e : events->GetArray()) list.push_back(&e);
  json::Document out;
  out.SetObject();
  auto& a = out.GetAllocator();
  json::Value results(rapidjson::kArrayType);
  if (dryRun) {
    for (const json::Value* event : list) {
      json::Value payload;
      kit::Resolution r = executor->resolve(*event, payload, a);
      json::Value entry;
      if (r.valid()) {
        entry.SetObject();
        entry.AddMember("status", 200, a);
        json::Value body(rapidjson::kObjectType);
        body.AddMember("outcome", "validated", a);
        entry.AddMember("body", body, a);
        entry.AddMember("sent", payload, a);
      } else {
        kit::multiStatusEntry(r.result(), nullptr, entry, a);
      }
      results.PushBack(entry, a);
    }
  } else {
    std::vector<json::Value> sent;
    std::vector<kit::EventResult> answers = executor->executeBatch(list, a, &sent);
    for (std::size_t i = 0; i < answers.size(); ++i) {
      json::Value entry;
      kit::multiStatusEntry(answers[i], answers[i].delivered() ? &sent[i] : nullptr, entry, a);
      results.PushBack(entry, a);
    }
  }
  out.AddMember("ok", true, a);
  out.AddMember("results", results, a);
  return json::stringify(out);
}

char* pluginExecuteBatch(const char* requestJson) noexcept {
  return guarded([&] {
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return error;
    return executeBatch(doc);
  });
}

std::string choicesAnswer(const kit::DynamicChoices& c) {
  json::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  json::Value list(rapidjson::kArrayType);
  for (const auto& choice : c.choices) {
    json::Value x(rapidjson::kObjectType);
    x.AddMember("label", str(choice.label, a), a);
    x.AddMember("value", str(choice.value, a), a);
    list.PushBack(x, a);
  }
  d.AddMember("choices", list, a);
  d.AddMember("nextPage", str(c.nextPage, a), a);
  if (!c.errorMessage.empty()) {
    json::Value err(rapidjson::kObjectType);
    err.AddMember("message", str(c.errorMessage, a), a);
    err.AddMember("code", str(c.errorCode, a), a);
    d.AddMember("error", err, a);
  }
  return json::stringify(d);
}

char* pluginDynamicFieldChoices(const char* requestJson) noexcept {
  return guarded([&] {
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return error;
    error = unknownKeys(doc, {"action", "field", "settings", "payload", "page"});
    if (!error.empty()) return error;
    std::string actionKey = stringMember(doc, "action", std::string(ss::kSendDataAction));
    std::string field = stringMember(doc, "field");
    const kit::ActionDefinition* action = ss::destination().findAction(actionKey);
    kit::DynamicChoices answer;
    auto fn = action ? action->dynamicFields.find(field) : decltype(action->dynamicFields.end()){};
    if (!action || fn == action->dynamicFields.end()) {
      answer.errorMessage = "No dynamic field named " + field + " found.";
      answer.errorCode = "404";
      return choicesAnswer(answer);
    }
    const json::Value* given = member(doc, "settings");
    if (!given) return failure("settings are required");
    auto r = settingsOf(*given);
    if (!r.validated) return failure("invalid settings", r.problems);
    kit::DynamicRequest request{*r.validated, field, member(doc, "payload"),
                                stringMember(doc, "page")};
    answer = api::askDynamicField(fn->second, request);
    return choicesAnswer(answer);
  });
}

void pluginFree(char* text) noexcept {
  std::free(text);
}

const actions_plugin_v1 kPluginV1 = {
    ACTIONS_PLUGIN_ABI_VERSION,
    sizeof(actions_plugin_v1),
    pluginLibraryVersion,
    pluginDescribe,
    pluginValidateSettings,
    pluginTestAuthentication,
    pluginExecuteBatch,
    pluginDynamicFieldChoices,
    pluginFree,
    openDestination,
    destinationPerformBatch,
    destinationCheck,
    closeDestination,
};

}  // namespace

extern "C" const actions_plugin_v1* actions_plugin_entry(uint32_t abi_version) {
  return abi_version == 1u ? &kPluginV1 : nullptr;
}
