// `serve`: one long-lived Destination behind HTTP/1.1. Socket threads run the sessions; a pool
// of worker threads makes the blocking Destination calls, so requests that arrive together are
// delivered together. SIGTERM / SIGINT drain: stop accepting, answer every request in flight,
// return 0.
#pragma once

#include "actions/settings.h"
#include "config.h"

namespace serve {

// Runs until drained. Returns the exit status: 0 after a drain, 2 when it cannot start (the
// mapping, the subscription or the address); the reason is logged.
int run(const Config& config, const actions::Settings& settings);

}  // namespace serve
