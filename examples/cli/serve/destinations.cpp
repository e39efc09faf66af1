#include "destinations.h"

namespace serve {
namespace {

void addStats(actions::DestinationStats& sum, const actions::DestinationStats& s) {
  sum.events += s.events;
  sum.inserted += s.inserted;
  sum.duplicate += s.duplicate;
  sum.skipped += s.skipped;
  sum.rejected += s.rejected;
  sum.failed += s.failed;
  sum.deliveries += s.deliveries;
  sum.retries += s.retries;
  sum.queued += s.queued;
  sum.connectionsOpened += s.connectionsOpened;
  sum.connectionsOpen += s.connectionsOpen;
}

}  // namespace

Destinations::Destinations(const actions::Settings& settings, const actions::SendOptions& options,
                           std::size_t cacheSize)
    : settings_(settings),
      options_(options),
      cacheSize_(cacheSize),
      main_(std::make_shared<actions::Destination>(settings, options)) {}

std::shared_ptr<actions::Destination> Destinations::forRequest(
    const std::optional<std::string>& mapping, const std::optional<std::string>& subscription) {
  if (!mapping && !subscription) return main_;
  std::string mappingKey = mapping.value_or(std::string());
  std::optional<std::string> subscriptionKey = subscription ? subscription : options_.subscription;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (auto it = cache_.begin(); it != cache_.end(); ++it) {
      if (it->mapping == mappingKey && it->subscription == subscriptionKey) {
        cache_.splice(cache_.begin(), cache_, it);
        return cache_.front().destination;
      }
    }
  }
  // Compiled outside the lock: a new mapping does not hold up requests with known ones. Two
  // requests bringing the same new mapping at once may both compile it; one copy is kept.
  actions::SendOptions options = options_;
  if (mapping) options.mappingJson = *mapping;
  options.subscription = subscriptionKey;
  auto made = std::make_shared<actions::Destination>(settings_, options);
  std::shared_ptr<actions::Destination> evicted;  // closed after the lock is released
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& e : cache_)
    if (e.mapping == mappingKey && e.subscription == subscriptionKey) return e.destination;
  cache_.push_front(Entry{mappingKey, subscriptionKey, made});
  if (cache_.size() > cacheSize_) {
    evicted = std::move(cache_.back().destination);
    cache_.pop_back();
  }
  return made;
}

actions::DestinationStats Destinations::stats() const {
  actions::DestinationStats sum = main_->stats();
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& e : cache_) addStats(sum, e.destination->stats());
  return sum;
}

}  // namespace serve
