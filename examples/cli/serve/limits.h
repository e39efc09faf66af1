// What a client can make the server hold, and the caps on it (docs/serve.md "Limits", the bound
// on memory they add up to).
//
// - Bytes of a request, process-wide: a request reserves its body's size (its decompressed size
//   too when gzipped) and its answer's allowance before the body is read, and gives them back once
//   the answer is written. Past the cap the request is answered 429 instead of read, so load turns
//   into back-pressure on the clients, not into memory growth. Requests whose write key is known
//   good (HTTP Basic, or no key needed) reserve from the main budget; requests that may bring their
//   key in the body reserve from a small budget of their own, so clients without a key cannot
//   lock out those with one.
// - Connections, process-wide and per client address: past either cap a new connection is closed
//   at once. Each connection holds at most kReadBufferLimit unparsed bytes (headers, chunk sizes,
//   extensions, trailers: all framing) besides its reserved body.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "actions/tracking.h"

namespace serve {

// A request's header, start line and fields together, and its number of fields (431 past
// either): a parsed field costs some 80 bytes besides its text, so the count bounds what a
// connection holds (16 KiB of "a:" lines would be 300 KiB parsed).
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr std::size_t kMaxHeaderFields = 100;
// Unparsed bytes a connection holds at once: a header being read, a chunk-size line with its
// extensions, a trailer. A client sending framing that never ends is cut off here (finding: an
// endless chunk extension was once buffered without limit).
constexpr std::size_t kReadBufferLimit = kHeaderLimit + 8 * 1024;
// What a request reserves for its answer on top of its body: a tracking answer (its skipped and
// rejected events listed within actions::tracking::AnswerLimits — 100 entries, 16 KiB — with the
// totals and a few words around them), and /actions/send's (one multi-status entry per event).
constexpr std::size_t kTrackingAnswerAllowance = actions::tracking::AnswerLimits().maxBytes + 4096;
// Events in one /actions/send request (Segment's limit for a batch): its parse stops past it, so
// what handling a request costs and its answer (one entry per event) stay proportionate. (The
// tracking paths follow Segment's rule instead: the events past it are rejected, and those far
// past it only counted: actions::tracking::Limits.)
constexpr std::size_t kMaxEventsPerRequest = 2500;
constexpr std::size_t kSendAnswerAllowance = 512 * 1024;

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
    std::size_t bytes() const { return owner_ ? bytes_ : 0; }
    // Holds at least `bytes` from now on. Never refused: what must be held (an answer already
    // made) is counted even past the cap, so the gauge tells the truth.
    void atLeast(std::size_t bytes) {
      if (!owner_ || bytes <= bytes_) return;
      owner_->gauge_.fetch_add(static_cast<std::int64_t>(bytes - bytes_),
                               std::memory_order_relaxed);
      bytes_ = bytes;
    }
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

// Connections open at once, in all and per client address.
class ConnectionGate {
 public:
  ConnectionGate(std::size_t maxTotal, std::size_t maxPerAddress)
      : maxTotal_(maxTotal), maxPerAddress_(maxPerAddress) {}

  // A connection admitted, let go when destroyed. Empty when a cap was reached.
  class Pass {
   public:
    Pass() = default;
    Pass(ConnectionGate* gate, std::string address) : gate_(gate), address_(std::move(address)) {}
    Pass(Pass&& o) noexcept : gate_(o.gate_), address_(std::move(o.address_)) { o.gate_ = nullptr; }
    Pass& operator=(Pass&& o) noexcept {
      if (this != &o) {
        reset();
        gate_ = o.gate_;
        address_ = std::move(o.address_);
        o.gate_ = nullptr;
      }
      return *this;
    }
    Pass(const Pass&) = delete;
    Pass& operator=(const Pass&) = delete;
    ~Pass() { reset(); }
    explicit operator bool() const { return gate_ != nullptr; }
    void reset() {
      if (gate_) gate_->leave(address_);
      gate_ = nullptr;
    }

   private:
    ConnectionGate* gate_ = nullptr;
    std::string address_;
  };

  enum class Refusal { None, Total, PerAddress };

  // Admits a connection from `address`, or says which cap refused it.
  Pass admit(const std::string& address, Refusal& refusal) {
    std::lock_guard<std::mutex> lock(mutex_);
    refusal = Refusal::None;
    if (total_ >= maxTotal_) {
      refusal = Refusal::Total;
      return {};
    }
    std::size_t& mine = perAddress_[address];
    if (mine >= maxPerAddress_) {
      refusal = Refusal::PerAddress;
      return {};
    }
    ++mine;
    ++total_;
    return Pass(this, address);
  }

 private:
  void leave(const std::string& address) {
    std::lock_guard<std::mutex> lock(mutex_);
    --total_;
    auto it = perAddress_.find(address);
    if (it != perAddress_.end() && --it->second == 0) perAddress_.erase(it);
  }

  std::size_t maxTotal_, maxPerAddress_;
  std::mutex mutex_;
  std::size_t total_ = 0;
  std::map<std::string, std::size_t> perAddress_;
};

}  // namespace serve
