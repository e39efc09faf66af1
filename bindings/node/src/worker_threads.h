// Threads of the addon's own for its calls into the library. libuv's thread pool (four threads
// by default) also runs the host's fs, dns, zlib and crypto work: a call that waits for the
// database there — for up to retryFor — stalls all of it. The package never queues anything on
// that pool.
//
// A thread starts when a task finds none idle, up to kMaxThreads (beyond that tasks queue); a
// thread idle for kIdleFor ends. The threads are detached and the state they share is never
// freed: a thread still waiting on the database when the process exits holds nothing that static
// destruction takes away.
#pragma once

#include <chrono>
#include <functional>

namespace actions_node {

class WorkerThreads {
 public:
  static constexpr unsigned kMaxThreads = 64;
  static constexpr std::chrono::seconds kIdleFor{30};

  // Runs `task` on one of the threads. `task` must not throw. Throws std::system_error (and
  // `task` never runs) when no thread could be started.
  static void run(std::function<void()> task);
};

}  // namespace actions_node
