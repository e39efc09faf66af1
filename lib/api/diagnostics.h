// The host's hooks (actions/hooks.h) as the library's front-ends use them: log lines and metrics
// for each delivery the engine makes, and the outcomes of the events answered. A hook that throws
// costs nothing but its own line.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <string_view>

#include "actions/hooks.h"
#include "kit/delivery_engine.h"
#include "kit/result.h"

namespace actions::singlestore {
class SendDataWriter;
}

namespace actions::api {

class Diagnostics {
 public:
  // `writer` (may be null) is asked for the transient faults it retried.
  Diagnostics(Hooks hooks, std::shared_ptr<const singlestore::SendDataWriter> writer);

  bool logs() const { return static_cast<bool>(hooks_.log); }
  bool measures() const { return static_cast<bool>(hooks_.metric); }
  void log(LogLevel level, std::string_view message) const noexcept;
  void count(std::string_view name, double value, std::string_view tag = {},
             std::string_view tagValue = {}) const noexcept;
  void observe(std::string_view name, double value) const noexcept;

  // Events answered, by outcome (indexed by kit::Outcome): one counter per outcome seen.
  using OutcomeCounts = std::array<std::size_t, 6>;
  void countOutcomes(const OutcomeCounts& counts) const noexcept;

  // For DeliveryEngine's observer: the delivery's metrics, and a warning when it failed events.
  // Lives as long as this object.
  kit::DeliveryEngine::Observer deliveryObserver();

 private:
  void delivered(const kit::DeliveryReport& report);

  Hooks hooks_;
  std::shared_ptr<const singlestore::SendDataWriter> writer_;
  std::atomic<std::uint64_t> retriesReported_{0};
  std::atomic<bool> stopLogged_{false};
};

}  // namespace actions::api
