// One call of the library answered through a Promise. It starts on the JavaScript thread, runs
// on the addon's own threads (worker_threads.h) — or, for a batch, is answered by the library
// from its delivery threads — and its Promise is settled back on the JavaScript thread
// (settler.h). The event loop never waits for the database, and neither does libuv's pool.
#pragma once

#include <node_api.h>

#include <functional>
#include <memory>
#include <string>

#include "settler.h"

namespace actions_node {

// Throws a JavaScript Error with `message` unless an exception is already pending.
void throwError(napi_env env, const char* message);

// Runs `work` on an addon thread; returns the Promise of its text (or of what `settle` makes of
// it on the JavaScript thread). `work` must not touch JavaScript values: everything it needs is
// captured by value. When it throws, the Promise is rejected with the exception's message.
// Returns nullptr (with a JavaScript exception pending) when the call could not start.
napi_value startCall(napi_env env, const std::shared_ptr<Settler>& settler,
                     std::function<std::string()> work, Settle settle = nullptr);

// For work that is answered later, on any thread: `start` runs on an addon thread (given to
// `run`, by default any of them) and hands `answer` on; it (or whoever it hands it to) calls it
// exactly once.
using Answer = std::function<void(std::string text)>;
using Runner = std::function<void(std::function<void()> task)>;
napi_value startCall(napi_env env, const std::shared_ptr<Settler>& settler,
                     std::function<void(Answer answer)> start, const Runner& run = nullptr);

// The text of a string argument, or false (with a TypeError pending) naming `what`.
bool stringArgument(napi_env env, napi_value value, const char* what, std::string& out);

// A long string argument (a request of a batch) as NUL-terminated UTF-8, copied in one pass.
struct Text {
  std::shared_ptr<char[]> bytes;
  std::size_t size = 0;
  const char* c_str() const { return bytes.get(); }
};
bool textArgument(napi_env env, napi_value value, const char* what, Text& out);

}  // namespace actions_node
