#include "async_call.h"

#include <atomic>
#include <exception>
#include <utility>

#include "worker_threads.h"

namespace actions_node {

namespace {

const char kUnknownFailure[] = "unknown failure in the native destination";

// Runs `body` on an addon thread; `call` is rejected here when no thread could be started (the
// body never runs, so it is settled once).
void runOnThread(const std::shared_ptr<Settler>& settler, Settler::Call* call,
                 std::function<void()> body, const Runner& run = nullptr) {
  try {
    if (run)
      run(std::move(body));
    else
      WorkerThreads::run(std::move(body));
  } catch (const std::exception& e) {
    settler->finish(call, std::string("cannot start a native call: ") + e.what(), true);
  } catch (...) {
    settler->finish(call, "cannot start a native call", true);
  }
}

}  // namespace

void throwError(napi_env env, const char* message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, nullptr, message);
}

napi_value startCall(napi_env env, const std::shared_ptr<Settler>& settler,
                     std::function<std::string()> work, Settle settle) {
  napi_value promise = nullptr;
  Settler::Call* call = settler->begin(env, &promise, std::move(settle));
  if (!call) return nullptr;
  runOnThread(settler, call, [settler, call, work = std::move(work)] {
    try {
      settler->finish(call, work());
    } catch (const std::exception& e) {
      settler->finish(call, e.what(), true);
    } catch (...) {
      settler->finish(call, kUnknownFailure, true);
    }
  });
  return promise;
}

napi_value startCall(napi_env env, const std::shared_ptr<Settler>& settler,
                     std::function<void(Answer answer)> start, const Runner& run) {
  napi_value promise = nullptr;
  Settler::Call* call = settler->begin(env, &promise);
  if (!call) return nullptr;
  runOnThread(
      settler, call,
      [settler, call, start = std::move(start)] {
        // Exactly once: `start` may have handed `answer` on before it threw.
        auto answered = std::make_shared<std::atomic<bool>>(false);
        Answer answer = [settler, call, answered](std::string text) {
          if (!answered->exchange(true)) settler->finish(call, std::move(text));
        };
        try {
          start(answer);
        } catch (const std::exception& e) {
          if (!answered->exchange(true)) settler->finish(call, e.what(), true);
        } catch (...) {
          if (!answered->exchange(true)) settler->finish(call, kUnknownFailure, true);
        }
      },
      run);
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

bool textArgument(napi_env env, napi_value value, const char* what, Text& out) {
  napi_valuetype type = napi_undefined;
  if (!value || napi_typeof(env, value, &type) != napi_ok || type != napi_string) {
    std::string message = std::string(what) + " must be a string";
    napi_throw_type_error(env, nullptr, message.c_str());
    return false;
  }
  // Its length in UTF-16 units is known at once; each unit is at most three bytes of UTF-8 (a
  // surrogate pair, two units, is four). Sized for that, the copy is one pass over the string,
  // not one to measure it and another to write it.
  size_t units = 0;
  napi_get_value_string_utf16(env, value, nullptr, 0, &units);
  size_t capacity = units * 3 + 1;
  out.bytes = std::shared_ptr<char[]>(new char[capacity]);
  napi_get_value_string_utf8(env, value, out.bytes.get(), capacity, &out.size);
  return true;
}

}  // namespace actions_node
