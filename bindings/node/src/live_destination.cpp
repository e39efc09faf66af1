#include "live_destination.h"

#include <algorithm>

namespace actions_node {

namespace {
const char kClosed[] = R"({"ok":false,"error":"the destination is closed"})";
const char kNoMemory[] = R"({"ok":false,"error":"out of memory in the native destination"})";
}  // namespace

actions_destination* LiveDestination::acquire() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!handle_) return nullptr;
  ++active_;
  return handle_;
}

void LiveDestination::release() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (--active_ == 0) idle_.notify_all();
}

std::string LiveDestination::answer(char* text) {
  if (!text) return kNoMemory;
  std::string out(text);
  plugin_->free_string(text);
  return out;
}

std::string LiveDestination::performBatch(const std::string& request) {
  actions_destination* handle = acquire();
  if (!handle) return kClosed;
  char* text = plugin_->destination_perform_batch(handle, request.c_str());
  release();
  return answer(text);
}

std::string LiveDestination::check() {
  actions_destination* handle = acquire();
  if (!handle) return kClosed;
  char* text = plugin_->destination_check(handle);
  release();
  return answer(text);
}

void LiveDestination::close() {
  actions_destination* handle = nullptr;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    handle = handle_;
    handle_ = nullptr;  // refuses new calls from here on
    idle_.wait(lock, [&] { return active_ == 0; });
  }
  if (handle) plugin_->close_destination(handle);
}

bool LiveDestination::closeIfIdle() {
  actions_destination* handle = nullptr;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (active_ > 0) return false;
    handle = handle_;
    handle_ = nullptr;
  }
  if (handle) plugin_->close_destination(handle);
  return true;
}

void OpenDestinations::add(const std::shared_ptr<LiveDestination>& destination) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Forget the ones already gone, so a long-lived process that opens many does not grow this.
  open_.erase(std::remove_if(open_.begin(), open_.end(), [](const auto& w) { return w.expired(); }),
              open_.end());
  open_.push_back(destination);
}

void OpenDestinations::closeAll() {
  std::vector<std::weak_ptr<LiveDestination>> all;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    all.swap(open_);
  }
  for (auto& weak : all)
    if (auto destination = weak.lock()) destination->close();
}

void OpenDestinations::closeIdle() {
  std::lock_guard<std::mutex> lock(mutex_);
  for (auto& weak : open_)
    if (auto destination = weak.lock()) destination->closeIfIdle();
}

}  // namespace actions_node
