// The C plugin ABI (include/actions/plugin.h): JSON text in, JSON text out, over the SingleStore
// definition and the kit. Every entry point catches everything: no exception leaves the library.
#include "actions/plugin.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "actions/destination.h"
#include "actions/mapping/mapping.h"
#include "actions/subscription.h"
#include "actions/version.h"
#include "api/destination_cache.h"
#include "api/destination_impl.h"
#include "api/dynamic_choices.h"
#include "api/plugin_destination.h"
#include "api/plugin_support.h"
#include "api/settings_access.h"
#include "json/json.h"
#include "kit/describe.h"
#include "kit/errors.h"
#include "kit/requests.h"
#include "singlestore/definition.h"
#include "singlestore/settings.h"

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

// Segment's executeBatch over a live Destination of the library's cache, made for the request's
// settings, mapping, subscription and options and kept for the next requests like it.
std::string executeBatch(const json::Value& request, std::size_t requestBytes) {
  if (std::string error = unknownKeys(request, {"action", "settings", "events", "mapping",
                                                "subscription", "dryRun", "retryForMs"});
      !error.empty())
    return error;
  std::string actionKey = stringMember(request, "action", std::string(ss::kSendDataAction));
  if (actionKey != ss::kSendDataAction) return failure("unknown action: " + actionKey);
  const json::Value* events = member(request, "events");
  if (!events || !events->IsArray()) return failure("events must be an array of events");
  const json::Value* dry = member(request, "dryRun");
  SendOptions options;
  options.dryRun = dry && dry->IsTrue();

  std::optional<Settings> settings;
  const json::Value* given = member(request, "settings");
  if (given || !options.dryRun) {
    if (!given) return failure("settings are required (except for a dry run)");
    SettingsCheck check =
        validateSettings(json::stringify(*given), std::getenv("SINGLESTORE_PASSWORD"));
    if (!check.ok()) return failure("invalid settings", check.problems);
    settings = std::move(check.settings);
  }
  if (const json::Value* m = member(request, "mapping")) options.mappingJson = json::stringify(*m);
  if (const json::Value* sub = member(request, "subscription")) {
    if (!sub->IsString()) return failure("subscription must be a string");
    options.subscription = std::string(sub->GetString(), sub->GetStringLength());
  }
  if (const json::Value* r = member(request, "retryForMs")) {
    if (!r->IsInt64() || r->GetInt64() < 0 || r->GetInt64() > 86400000)
      return failure("retryForMs must be a whole number of milliseconds between 0 and 86400000");
    options.retryFor = std::chrono::milliseconds(r->GetInt64());
  }

  std::shared_ptr<Destination> destination;
  try {
    // The key holds the password (two passwords, two destinations); it stays in this process.
    std::string key =
        (settings ? json::stringify(*SettingsAccess::impl(*settings).validated) : std::string()) +
        '\n' + options.mappingJson.value_or("") + '\n' +
        (options.subscription ? '=' + *options.subscription : std::string()) + '\n' +
        (options.retryFor ? std::to_string(options.retryFor->count()) : "") +
        (options.dryRun ? "\ndry" : "");
    destination = api::DestinationCache::forExecuteBatch().get(key, [&] {
      return std::make_unique<Destination>(
          Destination::Impl::make(settings ? &*settings : nullptr, options));
    });
  } catch (const mapping::InvalidMapping& e) {
    return failure("invalid mapping", e.problems());
  } catch (const InvalidSubscription& e) {
    return failure(std::string("invalid subscription: ") + e.what());
  } catch (const std::invalid_argument& e) {
    return failure(e.what());
  }

  std::vector<const json::Value*> list;
  list.reserve(events->Size());
  for (const auto& e : events->GetArray()) list.push_back(&e);
  Destination::Impl& impl = destination->impl();
  Destination::Impl::Gate gate(impl);
  Destination::Impl::Source source(list, requestBytes / std::max<std::size_t>(1, list.size()));
  CallOptions call;
  call.withPayloads = true;  // Segment's "sent"
  std::vector<EventResult> results =
      impl.run(source, Destination::Impl::Input::Events, false, call);
  return resultsAnswer(results);
}

char* pluginExecuteBatch(const char* requestJson) noexcept {
  return guarded([&] {
    json::Document doc;
    std::string error;
    if (!parseArgument(requestJson, doc, error)) return error;
    return executeBatch(doc, std::strlen(requestJson));
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
    destinationClose,
    destinationStats,
    destinationPerformBatchAsync,
};

}  // namespace

extern "C" const actions_plugin_v1* actions_plugin_entry(uint32_t abi_version) {
  return abi_version == 1u ? &kPluginV1 : nullptr;
}
