#include "async_call.h"

#include <exception>
#include <utility>

namespace actions_node {

namespace {

struct AsyncCall {
  napi_async_work work = nullptr;
  napi_deferred deferred = nullptr;
  std::function<std::string()> body;
  Settle settle;       // optional
  std::string answer;  // the body's text, or the reason it failed
  bool failed = false;
};

// On a worker thread: no JavaScript here.
void execute(napi_env, void* data) {
  auto* call = static_cast<AsyncCall*>(data);
  try {
    call->answer = call->body();
  } catch (const std::exception& e) {
    call->failed = true;
    call->answer = e.what();
  } catch (...) {
    call->failed = true;
    call->answer = "unknown failure in the native destination";
  }
}

// Back on the main thread: settle the Promise, release the call.
void complete(napi_env env, napi_status status, void* data) {
  auto* call = static_cast<AsyncCall*>(data);
  napi_value text = nullptr;
  if (status == napi_cancelled) {
    call->failed = true;
    call->answer = "the call was cancelled";
  }
  if (!call->failed && call->settle) {
    text = call->settle(env, call->answer);
    if (!text) {
      call->failed = true;
      call->answer = "cannot hand the native answer to JavaScript";
    }
  }
  if (!text) napi_create_string_utf8(env, call->answer.data(), call->answer.size(), &text);
  if (call->failed) {
    napi_value error = nullptr;
    napi_create_error(env, nullptr, text, &error);
    napi_reject_deferred(env, call->deferred, error);
  } else {
    napi_resolve_deferred(env, call->deferred, text);
  }
  napi_delete_async_work(env, call->work);
  delete call;
}

}  // namespace

void throwError(napi_env env, const char* message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, nullptr, message);
}

napi_value startAsync(napi_env env, const char* name, std::function<std::string()> work) {
  return startAsync(env, name, std::move(work), nullptr);
}

napi_value startAsync(napi_env env, const char* name, std::function<std::string()> work,
                      Settle settle) {
  auto* call = new AsyncCall;
  call->body = std::move(work);
  call->settle = std::move(settle);
  napi_value promise = nullptr, resourceName = nullptr;
  if (napi_create_promise(env, &call->deferred, &promise) != napi_ok ||
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &resourceName) != napi_ok ||
      napi_create_async_work(env, nullptr, resourceName, execute, complete, call, &call->work) !=
          napi_ok) {
    delete call;  // the Promise, if made, is never settled and never returned
    throwError(env, "cannot start a native call");
    return nullptr;
  }
  if (napi_queue_async_work(env, call->work) != napi_ok) {
    napi_delete_async_work(env, call->work);
    delete call;
    throwError(env, "cannot queue a native call");
    return nullptr;
  }
  return promise;
}

bool stringArgument(napi_env env, napi_value value, const char* what, std::string& out) {
  napi_valuetype type = napi_undefined;
  if (!value || napi_typeof(env, value, &type) != napi_ok || type != napi_string) {
    std::string message = std::string(what) + " must be a string";
    napi_throw_type_error(env, nullptr, message.c_str());
    return false;
  }
  size_t length = 0;
  napi_get_value_string_utf8(env, value, nullptr, 0, &length);
  // The buffer needs room for the terminating NUL that napi writes.
  std::string buffer(length + 1, '\0');
  napi_get_value_string_utf8(env, value, buffer.data(), buffer.size(), &length);
  out.assign(buffer.data(), length);
  return true;
}

}  // namespace actions_node
