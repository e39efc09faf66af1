// The Node-API addon: the plugin ABI of libactions_singlestore (include/actions/plugin.h) for
// JavaScript. JSON text crosses in both directions, as it does for every plugin host; the
// JavaScript facade (lib/) parses it and gives it Segment's shapes. Everything that may wait for
// the database answers through a Promise and runs off the event loop and off libuv's thread pool
// (async_call.h): on the addon's own threads, and a batch's delivery on the library's.
//
//   describe() -> text                     validateSettings(settingsJson) -> text
//   testAuthentication(settingsJson)       dynamicFieldChoices(requestJson)
//   executeBatch(requestJson)              -> Promise<text>
//   open(requestJson) -> Promise<handle | error text>
//   performBatch(handle, requestJson) -> Promise<text>     check(handle) -> Promise<text>
//   close(handle) -> Promise<text>         closeIdle()   (at process exit)
#include <node_api.h>

#include <actions/plugin.h>

#include <memory>
#include <string>

#include "async_call.h"
#include "live_destination.h"

namespace actions_node {

namespace {

// What one Node environment (the main thread, or a worker thread) keeps.
struct AddonState {
  const actions_plugin_v1* plugin = nullptr;
  bool handles = false;  // the library has open_destination and its companions
  std::shared_ptr<OpenDestinations> open = std::make_shared<OpenDestinations>();
  std::shared_ptr<Settler> settler;  // settles the Promises of the calls
};

// Marks the externals that are handles of this addon, so that no other value passes for one.
const napi_type_tag kHandleTag = {0x6163746e73696e67ULL, 0x6c6573746f72654eULL};

AddonState* state(napi_env env) {
  void* data = nullptr;
  napi_get_instance_data(env, &data);
  return static_cast<AddonState*>(data);
}

std::string take(const actions_plugin_v1* plugin, char* text) {
  if (!text) return R"({"ok":false,"error":"out of memory in the native destination"})";
  std::string out(text);
  plugin->free_string(text);
  return out;
}

napi_value textValue(napi_env env, const std::string& text) {
  napi_value value = nullptr;
  napi_create_string_utf8(env, text.data(), text.size(), &value);
  return value;
}

// The arguments of a call; false (with a TypeError pending) when fewer than `want` were given.
bool arguments(napi_env env, napi_callback_info info, size_t want, napi_value* argv) {
  size_t argc = want;
  napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr);
  if (argc < want) {
    napi_throw_type_error(env, nullptr, "missing argument");
    return false;
  }
  return true;
}

// The LiveDestination behind a handle given by JavaScript, or nullptr with a TypeError pending.
std::shared_ptr<LiveDestination> handleArgument(napi_env env, napi_value value) {
  napi_valuetype type = napi_undefined;
  bool ours = false;
  void* data = nullptr;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_external ||
      napi_check_object_type_tag(env, value, &kHandleTag, &ours) != napi_ok || !ours ||
      napi_get_value_external(env, value, &data) != napi_ok) {
    napi_throw_type_error(env, nullptr, "not a destination handle of this package");
    return nullptr;
  }
  return *static_cast<std::shared_ptr<LiveDestination>*>(data);
}

bool requireHandles(napi_env env) {
  if (state(env)->handles) return true;
  throwError(env,
             "this libactions_singlestore has no live destination handles (open_destination): "
             "build the package against a library that has them");
  return false;
}

napi_value Describe(napi_env env, napi_callback_info) {
  const actions_plugin_v1* plugin = state(env)->plugin;
  return textValue(env, take(plugin, plugin->describe()));
}

napi_value ValidateSettings(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::string settings;
  if (!arguments(env, info, 1, argv) || !stringArgument(env, argv[0], "settings", settings))
    return nullptr;
  const actions_plugin_v1* plugin = state(env)->plugin;
  return textValue(env, take(plugin, plugin->validate_settings(settings.c_str())));
}

// A stateless plugin function of one JSON argument, run off the event loop.
template <char* (*actions_plugin_v1::*Function)(const char*)>
napi_value Stateless(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::string request;
  if (!arguments(env, info, 1, argv) || !stringArgument(env, argv[0], "request", request))
    return nullptr;
  const actions_plugin_v1* plugin = state(env)->plugin;
  return startCall(env, state(env)->settler, [plugin, request = std::move(request)] {
    return take(plugin, (plugin->*Function)(request.c_str()));
  });
}

void finalizeHandle(napi_env, void* data, void*) {
  delete static_cast<std::shared_ptr<LiveDestination>*>(data);
}

napi_value Open(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  std::string request;
  if (!arguments(env, info, 1, argv) || !stringArgument(env, argv[0], "request", request) ||
      !requireHandles(env))
    return nullptr;
  AddonState* s = state(env);
  const actions_plugin_v1* plugin = s->plugin;
  // Filled by the worker, made into a JavaScript handle on the main thread.
  auto opened = std::make_shared<std::shared_ptr<LiveDestination>>();
  auto work = [plugin, open = s->open, opened, request = std::move(request)]() -> std::string {
    char* error = nullptr;
    actions_destination* handle = plugin->open_destination(request.c_str(), &error);
    if (!handle) {
      if (!error) return R"({"ok":false,"error":"the destination could not be opened"})";
      return take(plugin, error);
    }
    *opened = std::make_shared<LiveDestination>(plugin, handle);
    open->add(*opened);  // closed at exit even if JavaScript never sees it
    return {};
  };
  auto settle = [opened](napi_env env, const std::string& error) -> napi_value {
    if (!*opened) return textValue(env, error);
    napi_value external = nullptr;
    auto* holder = new std::shared_ptr<LiveDestination>(*opened);
    if (napi_create_external(env, holder, finalizeHandle, nullptr, &external) != napi_ok) {
      delete holder;
      return nullptr;
    }
    napi_type_tag_object(env, external, &kHandleTag);
    return external;
  };
  return startCall(env, s->settler, std::move(work), std::move(settle));
}

// The events are resolved on an addon thread, a destination's batches in the order of the calls;
// the library answers from its delivery threads once the database has: no thread waits for it.
napi_value PerformBatch(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  Text request;
  if (!arguments(env, info, 2, argv)) return nullptr;
  auto destination = handleArgument(env, argv[0]);
  if (!destination || !textArgument(env, argv[1], "request", request)) return nullptr;
  return startCall(
      env, state(env)->settler,
      [destination, request](Answer answer) {
        destination->performBatch(request.c_str(), std::move(answer));
      },
      [destination](std::function<void()> task) { destination->inOrder(std::move(task)); });
}

napi_value Check(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!arguments(env, info, 1, argv)) return nullptr;
  auto destination = handleArgument(env, argv[0]);
  if (!destination) return nullptr;
  return startCall(env, state(env)->settler, [destination] { return destination->check(); });
}

napi_value Close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!arguments(env, info, 1, argv)) return nullptr;
  auto destination = handleArgument(env, argv[0]);
  if (!destination) return nullptr;
  // Closing waits for the calls in flight: off the event loop too.
  return startCall(env, state(env)->settler, [destination] {
    destination->close();
    return std::string(R"({"ok":true})");
  });
}

// process.exit() ends the process without tearing the environment down, so the cleanup hook below
// would not run: the JavaScript side calls this from process.on('exit').
napi_value CloseIdle(napi_env env, napi_callback_info) {
  state(env)->open->closeIdle();
  return nullptr;
}

// What the environment's teardown must do, with references of its own: the order in which Node
// frees the rest does not matter.
struct Teardown {
  std::shared_ptr<Settler> settler;
  std::shared_ptr<OpenDestinations> open;
};

// Registered after the threadsafe function was made, so it runs before Node frees that: answers
// stop going to it, then the destinations close (waiting for their calls in flight).
void closeAtExit(void* data) {
  std::unique_ptr<Teardown> teardown(static_cast<Teardown*>(data));
  teardown->settler->shutDown();
  teardown->open->closeAll();
}

void finalizeState(napi_env, void* data, void*) {
  delete static_cast<AddonState*>(data);
}

napi_value Init(napi_env env, napi_value exports) {
  auto* s = new AddonState;
  s->plugin = actions_plugin_entry(ACTIONS_PLUGIN_ABI_VERSION);
  if (!s->plugin) {
    delete s;
    throwError(env, "libactions_singlestore does not speak plugin ABI version 1");
    return nullptr;
  }
  s->handles = ACTIONS_PLUGIN_HAS(s->plugin, open_destination) &&
               ACTIONS_PLUGIN_HAS(s->plugin, destination_perform_batch) &&
               ACTIONS_PLUGIN_HAS(s->plugin, destination_perform_batch_async) &&
               ACTIONS_PLUGIN_HAS(s->plugin, destination_check) &&
               ACTIONS_PLUGIN_HAS(s->plugin, close_destination);
  if (napi_set_instance_data(env, s, finalizeState, nullptr) != napi_ok) {
    delete s;
    throwError(env, "cannot keep the addon's state");
    return nullptr;
  }
  s->settler = Settler::create(env);
  if (!s->settler) return nullptr;
  napi_add_env_cleanup_hook(env, closeAtExit, new Teardown{s->settler, s->open});

  napi_value version = textValue(env, s->plugin->library_version());
  napi_value handles = nullptr;
  napi_get_boolean(env, s->handles, &handles);
  const napi_property_descriptor properties[] = {
      {"libraryVersion", nullptr, nullptr, nullptr, nullptr, version, napi_enumerable, nullptr},
      {"hasHandles", nullptr, nullptr, nullptr, nullptr, handles, napi_enumerable, nullptr},
      {"describe", nullptr, Describe, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"validateSettings", nullptr, ValidateSettings, nullptr, nullptr, nullptr, napi_enumerable,
       nullptr},
      {"testAuthentication", nullptr, Stateless<&actions_plugin_v1::test_authentication>, nullptr,
       nullptr, nullptr, napi_enumerable, nullptr},
      {"dynamicFieldChoices", nullptr, Stateless<&actions_plugin_v1::dynamic_field_choices>,
       nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"executeBatch", nullptr, Stateless<&actions_plugin_v1::execute_batch>, nullptr, nullptr,
       nullptr, napi_enumerable, nullptr},
      {"open", nullptr, Open, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"performBatch", nullptr, PerformBatch, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"check", nullptr, Check, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"close", nullptr, Close, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
      {"closeIdle", nullptr, CloseIdle, nullptr, nullptr, nullptr, napi_enumerable, nullptr},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

}  // namespace

}  // namespace actions_node

NAPI_MODULE_INIT() {
  return actions_node::Init(env, exports);
}
