// Settles JavaScript Promises from other threads. A call begins on the JavaScript thread (begin:
// its Promise) and ends on any thread (finish: its answer); the Promise is settled back on the
// JavaScript thread through the environment's one napi_threadsafe_function. While calls are
// pending the function keeps the event loop alive, as Node's own asynchronous work does; when
// none is, it does not hold the process.
//
// Teardown: once the environment is going (shutDown(), called first by the addon's cleanup
// hook, or the function's finalizer, whichever comes first), answers are dropped instead of
// handed to a function that Node is about to free.
#pragma once

#include <node_api.h>

#include <functional>
#include <memory>
#include <mutex>
#include <string>

namespace actions_node {

// Makes the value a Promise resolves with out of the answer's text (on the JavaScript thread);
// nullptr means it could not.
using Settle = std::function<napi_value(napi_env, const std::string&)>;

class Settler {
 public:
  struct Call;  // a pending call: its Promise and how to settle it

  // The environment's settler; nullptr with a JavaScript exception pending when Node refused.
  static std::shared_ptr<Settler> create(napi_env env);
  Settler(const Settler&) = delete;
  Settler& operator=(const Settler&) = delete;

  // On the JavaScript thread: a pending call and its Promise (in *promise). Without `settle` the
  // Promise resolves with the answer's text. nullptr with an exception pending when it failed.
  Call* begin(napi_env env, napi_value* promise, Settle settle = nullptr);
  // On any thread, exactly once per call: the Promise resolves with the answer, or, when
  // `failed`, is rejected with an Error whose message is the answer.
  void finish(Call* call, std::string answer, bool failed = false);
  // On the JavaScript thread, as the environment goes: answers are dropped from now on.
  void shutDown();

 private:
  Settler() = default;
  static void callJs(napi_env env, napi_value, void* context, void* data);
  static void finalize(napi_env, void* data, void*);

  std::mutex mutex_;  // orders finish() against shutDown() and the finalizer
  napi_threadsafe_function function_ = nullptr;
  bool open_ = true;
  std::size_t pending_ = 0;  // JavaScript thread only
};

}  // namespace actions_node
