// The C plugin ABI (include/actions/plugin.h): JSON text in, JSON text out, over the SingleStore
// definition and the kit. Every entry point catches everything: no exception leaves the library.
#include "actions/plugin.h"

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "actions/version.h"
#include "api/dynamic_choices.h"
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
namespace ss = actions::singlestore;

// A caller-owned copy (released with pluginFree).
char* copyOut(const std::string& text) {
  char* p = static_cast<char*>(std::malloc(text.size() + 1));
  if (!p) return nullptr;
  std::memcpy(p, text.data(), text.size());
  p[text.size()] = '\0';
  return p;
}

json::Value str(std::string_view s, json::Allocator& a) {
  return json::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), a);
}

std::string failure(std::string_view message, const std::vector<std::string>& problems = {}) {
  json::Document d;
  d.SetObject();
  auto& a = d.GetAllocator();
  d.AddMember("ok", false, a);
  d.AddMember("error", str(message, a), a);
  if (!problems.empty()) {
    json::Value list(rapidjson::kArrayType);
    for (const auto& p : problems) list.PushBack(str(p, a), a);
    d.AddMember("problems", list, a);
  }
  return json::stringify(d);
}

// Runs `body`, turning anything it throws into an {"ok":false} answer.
template <class Body>
char* guarded(Body&& body) noexcept {
  try {
    return copyOut(body());
  } catch (const std::exception& e) {
    try {
      return copyOut(failure(std::string("internal error: ") + e.what()));
    } catch (...) {
      return nullptr;
    }
  } catch (...) {
    try {
      return copyOut(failure("internal error"));
    } catch (...) {
      return nullptr;
    }
  }
}

// Parses an argument; on failure leaves the answer to give in `error`.
bool parseArgument(const char* text, json::Document& doc, std::string& error) {
  if (!text) {
    error = failure("the argument is NULL");
    return false;
  }
  if (auto err = json::parse(text, doc)) {
    error = failure("the argument is not JSON: " + err->describe());
    return false;
  }
  if (!doc.IsObject()) {
    error = failure("the argument must be a JSON object");
    return false;
  }
  return true;
}

const json::Value* member(const json::Value& obj, const char* key) {
  auto it = obj.FindMember(key);
  return it == obj.MemberEnd() ? nullptr : &it->value;
}

std::string stringMember(const json::Value& obj, const char* key, std::string fallback = {}) {
  const json::Value* v = member(obj, key);
  return v && v->IsString() ? std::string(v->GetString(), v->GetStringLength()) : fallback;
}

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

std::string executeBatch(const json::Value& request) {
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
  std::unique_ptr<kit::ActionExecutor> executor;
  try {
    executor = std::make_unique<kit::ActionExecutor>(*action, settings, options);
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
    nullptr,  // open_destination: not yet
    nullptr,
    nullptr,
    nullptr,
};

}  // namespace

extern "C" const actions_plugin_v1* actions_plugin_entry(uint32_t abi_version) {
  return abi_version == 1u ? &kPluginV1 : nullptr;
}
