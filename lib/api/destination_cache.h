// The library's one cache of live destinations: the plugin ABI's execute_batch, which names its
// settings, mapping and subscription in every request, runs each request on the Destination made
// for the first request of its kind, so repeated requests reuse its compiled mapping and its
// connections. A few are kept, most recently used first; an evicted one closes once the last
// request using it has been answered.
#pragma once

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "actions/destination.h"

namespace actions::api {

class DestinationCache {
 public:
  explicit DestinationCache(std::size_t capacity) : capacity_(capacity) {}

  // The Destination kept under `key`, else the one `make` returns (which may throw: nothing is
  // kept then). Made outside the lock: a new kind of request does not hold up known ones.
  std::shared_ptr<Destination> get(const std::string& key,
                                   const std::function<std::unique_ptr<Destination>()>& make);

  // The process's cache for execute_batch. Never destroyed: at exit its destinations' idle
  // threads and connections are left to the operating system, never waited for.
  static DestinationCache& forExecuteBatch();

 private:
  std::size_t capacity_;
  std::mutex mutex_;
  std::list<std::pair<std::string, std::shared_ptr<Destination>>> entries_;
};

}  // namespace actions::api
