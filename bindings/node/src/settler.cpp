#include "settler.h"

#include <utility>

namespace actions_node {

struct Settler::Call {
  napi_deferred deferred = nullptr;
  Settle settle;
  std::string answer;
  bool failed = false;
};

std::shared_ptr<Settler> Settler::create(napi_env env) {
  std::shared_ptr<Settler> settler(new Settler);
  napi_value name = nullptr;
  // The finalizer's own reference: the settler outlives the function whatever the order of
  // teardown.
  auto* holder = new std::shared_ptr<Settler>(settler);
  if (napi_create_string_utf8(env, "actions-singlestore", NAPI_AUTO_LENGTH, &name) != napi_ok ||
      napi_create_threadsafe_function(env, nullptr, nullptr, name, 0, 1, holder, finalize,
                                      settler.get(), callJs, &settler->function_) != napi_ok) {
    delete holder;
    napi_throw_error(env, nullptr, "cannot make the addon's threadsafe function");
    return nullptr;
  }
  // Idle: it does not keep the process alive until a call is pending.
  napi_unref_threadsafe_function(env, settler->function_);
  return settler;
}

Settler::Call* Settler::begin(napi_env env, napi_value* promise, Settle settle) {
  auto* call = new Call;
  call->settle = std::move(settle);
  if (napi_create_promise(env, &call->deferred, promise) != napi_ok) {
    delete call;
    napi_throw_error(env, nullptr, "cannot make a Promise");
    return nullptr;
  }
  if (pending_++ == 0) napi_ref_threadsafe_function(env, function_);
  return call;
}

void Settler::finish(Call* call, std::string answer, bool failed) {
  call->answer = std::move(answer);
  call->failed = failed;
  std::lock_guard lock(mutex_);
  // Queued, the call is the function's to hand to callJs (with a null environment if Node tears
  // it down first); not queued, it is ours to free.
  if (!open_ || napi_call_threadsafe_function(function_, call, napi_tsfn_nonblocking) != napi_ok)
    delete call;
}

void Settler::shutDown() {
  std::lock_guard lock(mutex_);
  open_ = false;
}

void Settler::callJs(napi_env env, napi_value, void* context, void* data) {
  auto* call = static_cast<Call*>(data);
  if (!env) {  // the environment is going: nothing to settle
    delete call;
    return;
  }
  napi_value value = nullptr;
  if (!call->failed && call->settle) {
    value = call->settle(env, call->answer);
    if (!value) {
      napi_value ignored = nullptr;  // a pending exception would stop the rejection below
      bool pending = false;
      if (napi_is_exception_pending(env, &pending) == napi_ok && pending)
        napi_get_and_clear_last_exception(env, &ignored);
      call->failed = true;
      call->answer = "cannot hand the native answer to JavaScript";
    }
  }
  if (!value) napi_create_string_utf8(env, call->answer.data(), call->answer.size(), &value);
  if (call->failed) {
    napi_value error = nullptr;
    napi_create_error(env, nullptr, value, &error);
    napi_reject_deferred(env, call->deferred, error);
  } else {
    napi_resolve_deferred(env, call->deferred, value);
  }
  delete call;
  auto* self = static_cast<Settler*>(context);
  if (--self->pending_ == 0) napi_unref_threadsafe_function(env, self->function_);
}

void Settler::finalize(napi_env, void* data, void*) {
  auto* holder = static_cast<std::shared_ptr<Settler>*>(data);
  {
    std::lock_guard lock((*holder)->mutex_);
    (*holder)->open_ = false;
  }
  delete holder;
}

}  // namespace actions_node
