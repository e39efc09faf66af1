// The server's Destinations: one for the tracking API and /actions/send requests that bring no
// mapping or subscription of their own, made at start and kept; and a small bounded cache of
// Destinations for requests that bring their own (keyed by mapping text and subscription), so a
// host runtime that sends the same mapping with every request compiles it once.
#pragma once

#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "actions/destination.h"

namespace serve {

class Destinations {
 public:
  // Throws what actions::Destination's constructor throws for a bad mapping or subscription.
  Destinations(const actions::Settings& settings, const actions::SendOptions& options,
               std::size_t cacheSize = 16);

  actions::Destination& main() { return *main_; }
  std::shared_ptr<actions::Destination> mainShared() const { return main_; }
  const actions::Settings& settings() const { return settings_; }
  // The Destination for a request's own mapping (JSON text) and subscription; what the request
  // leaves out is the server's. Throws actions::mapping::InvalidMapping or
  // actions::InvalidSubscription when they are not valid. The shared_ptr keeps an entry evicted
  // meanwhile alive until the caller is done with it.
  std::shared_ptr<actions::Destination> forRequest(const std::optional<std::string>& mapping,
                                                   const std::optional<std::string>& subscription);
  // The sum over the main Destination and the cached ones.
  actions::DestinationStats stats() const;

 private:
  struct Entry {
    std::string mapping;
    std::optional<std::string> subscription;
    std::shared_ptr<actions::Destination> destination;
  };
  actions::Settings settings_;
  actions::SendOptions options_;
  std::size_t cacheSize_;
  std::shared_ptr<actions::Destination> main_;
  mutable std::mutex mutex_;
  std::list<Entry> cache_;  // most recently used first
};

}  // namespace serve
