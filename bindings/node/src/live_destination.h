// A plugin handle (open_destination) shared by JavaScript and the calls in flight on it. Closing
// is safe at any moment: calls that already hold the handle finish first, later ones are refused,
// and the handle is closed exactly once (by close(), by the process exiting, or when the last
// reference goes).
#pragma once

#include <actions/plugin.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace actions_node {

class LiveDestination {
 public:
  LiveDestination(const actions_plugin_v1* plugin, actions_destination* handle)
      : plugin_(plugin), handle_(handle) {}
  ~LiveDestination() { close(); }
  LiveDestination(const LiveDestination&) = delete;
  LiveDestination& operator=(const LiveDestination&) = delete;

  // destination_perform_batch(request); the plugin's own {"ok":false} answer when closed.
  std::string performBatch(const std::string& request);
  // destination_check().
  std::string check();
  // Waits for the calls holding the handle, then closes it. Idempotent.
  void close();
  // Closes the handle unless a call holds it (never waits); false when it could not.
  bool closeIfIdle();

 private:
  // Holds the handle for one call; nullptr when it is closed.
  actions_destination* acquire();
  void release();
  std::string answer(char* text);

  const actions_plugin_v1* plugin_;
  std::mutex mutex_;
  std::condition_variable idle_;
  actions_destination* handle_;
  int active_ = 0;
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
