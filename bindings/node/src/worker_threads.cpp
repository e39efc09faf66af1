#include "worker_threads.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

namespace actions_node {

namespace {

struct Pool {
  std::mutex mutex;
  std::condition_variable work;
  std::deque<std::function<void()>> tasks;
  unsigned threads = 0;
  unsigned idle = 0;

  void loop() {
    std::unique_lock lock(mutex);
    for (;;) {
      ++idle;
      bool got = work.wait_for(lock, WorkerThreads::kIdleFor, [&] { return !tasks.empty(); });
      --idle;
      if (!got) {
        --threads;
        return;
      }
      std::function<void()> task = std::move(tasks.front());
      tasks.pop_front();
      lock.unlock();
      task();
      task = nullptr;  // what it holds goes before the next wait
      lock.lock();
    }
  }
};

Pool& pool() {
  static auto* p = new Pool;  // never freed: see the header
  return *p;
}

}  // namespace

void WorkerThreads::run(std::function<void()> task) {
  Pool& p = pool();
  std::lock_guard lock(p.mutex);
  p.tasks.push_back(std::move(task));
  // An idle thread takes it; else a new one, while there may be more.
  if (p.idle > p.tasks.size() - 1 || p.threads >= kMaxThreads) {
    p.work.notify_one();
    return;
  }
  try {
    std::thread([&p] { p.loop(); }).detach();
  } catch (...) {
    p.tasks.pop_back();  // not started: the caller is told, and nothing runs it later
    throw;
  }
  ++p.threads;
}

}  // namespace actions_node
