// The cap on request bytes held at once, process-wide: a request reserves its body's size before
// the body is read, and gives it back once answered. Past the cap the request is answered 429
// instead of read, so load turns into back-pressure on the clients, not into memory growth.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace serve {

class ByteBudget {
 public:
  // `gauge` mirrors what is reserved (the metrics read it).
  ByteBudget(std::size_t cap, std::atomic<std::int64_t>& gauge) : cap_(cap), gauge_(gauge) {}

  // A reservation, released when destroyed (or reset). Empty when the budget had no room.
  class Ticket {
   public:
    Ticket() = default;
    Ticket(ByteBudget* owner, std::size_t bytes) : owner_(owner), bytes_(bytes) {}
    Ticket(Ticket&& o) noexcept : owner_(o.owner_), bytes_(o.bytes_) { o.owner_ = nullptr; }
    Ticket& operator=(Ticket&& o) noexcept {
      if (this != &o) {
        reset();
        owner_ = o.owner_;
        bytes_ = o.bytes_;
        o.owner_ = nullptr;
      }
      return *this;
    }
    Ticket(const Ticket&) = delete;
    Ticket& operator=(const Ticket&) = delete;
    ~Ticket() { reset(); }
    explicit operator bool() const { return owner_ != nullptr; }
    void reset() {
      if (owner_) owner_->release(bytes_);
      owner_ = nullptr;
    }

   private:
    ByteBudget* owner_ = nullptr;
    std::size_t bytes_ = 0;
  };

  // Reserves `bytes`, or returns an empty ticket when that would pass the cap. A request larger
  // than the whole cap is still let through when nothing else is held, so it cannot starve.
  Ticket reserve(std::size_t bytes) {
    std::int64_t want = static_cast<std::int64_t>(bytes);
    std::int64_t held = gauge_.load(std::memory_order_relaxed);
    do {
      if (held > 0 && held + want > static_cast<std::int64_t>(cap_)) return {};
    } while (!gauge_.compare_exchange_weak(held, held + want, std::memory_order_relaxed));
    return Ticket(this, bytes);
  }

 private:
  void release(std::size_t bytes) {
    gauge_.fetch_sub(static_cast<std::int64_t>(bytes), std::memory_order_relaxed);
  }
  std::size_t cap_;
  std::atomic<std::int64_t>& gauge_;
};

}  // namespace serve
