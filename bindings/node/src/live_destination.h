// A plugin handle (open_destination) shared by JavaScript and the calls in flight on it. Closing
// is safe at any moment: calls that already hold the handle finish first (an asynchronous one
// until the library has answered it), later ones are refused, and the handle is closed exactly
// once (by close(), by the environment going, or in the background when the last reference goes).
#pragma once

#include <actions/plugin.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace actions_node {

class LiveDestination : public std::enable_shared_from_this<LiveDestination> {
 public:
  using Done = std::function<void(std::string answer)>;

  LiveDestination(const actions_plugin_v1* plugin, actions_destination* handle)
      : plugin_(plugin), handle_(handle) {}
  // Never waits: a handle still open is closed on an addon thread.
  ~LiveDestination();
  LiveDestination(const LiveDestination&) = delete;
  LiveDestination& operator=(const LiveDestination&) = delete;

  // destination_perform_batch_async(request): the events are resolved on this thread, `done`
  // gets the answer on whichever thread the library gives it (this one when nothing needs the
  // database). The plugin's own {"ok":false} answer when closed.
  void performBatch(const char* request, Done done);
  // Runs `task` on an addon thread after the tasks given before it: the batches of one
  // destination reach the library in the order JavaScript made the calls, so of two copies of a
  // messageId the one called first is the one stored. Throws std::system_error (and `task` never
  // runs) when no thread could be started.
  void inOrder(std::function<void()> task);
  // destination_check(); waits.
  std::string check();
  // Waits for the calls holding the handle, then closes it. Idempotent.
  void close();
  // Closes the handle unless a call holds it (never waits); false when it could not.
  bool closeIfIdle();

 private:
  struct BatchCall;
  static void answered(void* context, char* text);
  void drain();
  // Holds the handle for one call; nullptr when it is closed.
  actions_destination* acquire();
  void release();
  std::string answer(char* text);

  const actions_plugin_v1* plugin_;
  std::mutex mutex_;
  std::condition_variable idle_;
  actions_destination* handle_;
  int active_ = 0;

  std::mutex orderMutex_;
  std::deque<std::function<void()>> ordered_;  // inOrder's tasks not yet run
  bool draining_ = false;                      // a thread runs them
};

// The handles one Node environment opened, closed when it tears down (process exit, or a worker
// thread ending): the library's connections are not left for the operating system to drop.
class OpenDestinations {
 public:
  void add(const std::shared_ptr<LiveDestination>& destination);
  void closeAll();
  // The ones no call holds, without waiting: for process.exit(), which must not hang on a call
  // that is still retrying (its connections are left to the operating system).
  void closeIdle();

 private:
  std::mutex mutex_;
  std::vector<std::weak_ptr<LiveDestination>> open_;
};

}  // namespace actions_node
