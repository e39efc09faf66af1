#include "live_destination.h"

#include <algorithm>
#include <utility>

#include "worker_threads.h"

namespace actions_node {

namespace {
const char kClosed[] = R"({"ok":false,"error":"the destination is closed"})";
const char kNoMemory[] = R"({"ok":false,"error":"out of memory in the native destination"})";
}  // namespace

// One asynchronous batch: the destination kept alive until the library has answered.
struct LiveDestination::BatchCall {
  std::shared_ptr<LiveDestination> self;
  Done done;
};

LiveDestination::~LiveDestination() {
  // Every call holds a reference: none is in flight. The library's close may still wait for the
  // callback that dropped the last reference to return, so it is never waited for here.
  actions_destination* handle = handle_;
  handle_ = nullptr;
  if (!handle) return;
  const actions_plugin_v1* plugin = plugin_;
  try {
    WorkerThreads::run([plugin, handle] { plugin->close_destination(handle); });
  } catch (...) {
    // No thread for it: the connections are left for the process's end to close.
  }
}

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

void LiveDestination::performBatch(const char* request, Done done) {
  actions_destination* handle = acquire();
  if (!handle) return done(kClosed);
  auto* call = new BatchCall{shared_from_this(), std::move(done)};
  plugin_->destination_perform_batch_async(handle, request, &LiveDestination::answered, call);
}

void LiveDestination::answered(void* context, char* text) {
  std::unique_ptr<BatchCall> call(static_cast<BatchCall*>(context));
  std::string answer = call->self->answer(text);
  call->self->release();
  call->done(std::move(answer));
  // `call` goes here, and with it perhaps the last reference: the destructor does not wait.
}

void LiveDestination::inOrder(std::function<void()> task) {
  std::lock_guard<std::mutex> lock(orderMutex_);
  ordered_.push_back(std::move(task));
  if (draining_) return;
  draining_ = true;
  try {
    WorkerThreads::run([self = shared_from_this()] { self->drain(); });
  } catch (...) {
    ordered_.pop_back();  // the only one: nothing was draining
    draining_ = false;
    throw;
  }
}

void LiveDestination::drain() {
  for (;;) {
    std::function<void()> task;
    {
      std::lock_guard<std::mutex> lock(orderMutex_);
      if (ordered_.empty()) {
        draining_ = false;
        return;
      }
      task = std::move(ordered_.front());
      ordered_.pop_front();
    }
    task();
  }
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
