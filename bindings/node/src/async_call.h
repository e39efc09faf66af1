// One call of the library run on libuv's thread pool, answered through a Promise: the event loop
// never waits for the database. The work produces JSON text (the plugin's answer), which the
// Promise resolves with; JavaScript parses it.
#pragma once

#include <node_api.h>

#include <functional>
#include <string>

namespace actions_node {

// Throws a JavaScript Error with `message` unless an exception is already pending.
void throwError(napi_env env, const char* message);

// Starts `work` on a worker thread; returns the Promise of its text. `work` must not touch
// JavaScript values: everything it needs is captured by value. When it throws, the Promise is
// rejected with the exception's message. Returns nullptr (with a JavaScript exception pending)
// when Node could not queue it.
napi_value startAsync(napi_env env, const char* name, std::function<std::string()> work);

// As above, but the Promise resolves with what `settle` makes of the text on the main thread.
using Settle = std::function<napi_value(napi_env, const std::string&)>;
napi_value startAsync(napi_env env, const char* name, std::function<std::string()> work,
                      Settle settle);

// The text of a string argument, or false (with a TypeError pending) naming `what`.
bool stringArgument(napi_env env, napi_value value, const char* what, std::string& out);

}  // namespace actions_node
