#include "api/destination_cache.h"

namespace actions::api {

std::shared_ptr<Destination> DestinationCache::get(
    const std::string& key, const std::function<std::unique_ptr<Destination>()>& make) {
  {
    std::lock_guard lock(mutex_);
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first != key) continue;
      entries_.splice(entries_.begin(), entries_, it);
      return entries_.front().second;
    }
  }
  std::shared_ptr<Destination> made = make();
  std::shared_ptr<Destination> evicted;  // closed outside the lock, when nobody uses it
  std::lock_guard lock(mutex_);
  for (auto& e : entries_)
    if (e.first == key) return e.second;  // another request made one meanwhile
  entries_.emplace_front(key, made);
  if (entries_.size() > capacity_) {
    evicted = std::move(entries_.back().second);
    entries_.pop_back();
  }
  return made;
}

DestinationCache& DestinationCache::forExecuteBatch() {
  static auto* cache = new DestinationCache(8);
  return *cache;
}

}  // namespace actions::api
