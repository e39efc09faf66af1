#include "acceptance_service.h"

#include <algorithm>
#include <filesystem>

#include "log.h"

namespace serve {
namespace {

void logNotice(const actions::SpoolNotice& n, const std::string& directory,
               std::chrono::seconds retryFor) {
  switch (n.kind) {
    case actions::SpoolNotice::Kind::Stalled:
      LogLine("delivery", "error")
          .add("state", "stalled")
          .add("spool", directory)
          .add("eventsWaiting", static_cast<std::int64_t>(n.events))
          .add("error", n.error)
          .add("retryForSeconds", static_cast<std::int64_t>(retryFor.count()))
          .write();
      break;
    case actions::SpoolNotice::Kind::Recovered:
      LogLine("delivery")
          .add("state", "recovered")
          .add("stalledSeconds", n.seconds)
          .add("retries", static_cast<std::int64_t>(n.retries))
          .add("events", static_cast<std::int64_t>(n.events))
          .write();
      break;
    case actions::SpoolNotice::Kind::DeadLettered:
      LogLine("dead-letter", "error")
          .add("events", static_cast<std::int64_t>(n.events))
          .add("file", n.path)
          .add("error", n.error)
          .write();
      break;
  }
}

}  // namespace

AcceptanceService::AcceptanceService(const Config& config, actions::Destination& destination) {
  if (config.ack == Ack::Table) {
    acceptance_ = std::make_unique<TableAcceptance>(destination);
    return;
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(config.spool.directory, ec);
  spoolDirectory_ = ec ? config.spool.directory : absolute.lexically_normal().string();
  if (!spoolDirectory_.empty() && spoolDirectory_.back() == '/') spoolDirectory_.pop_back();
  actions::SpoolOptions options;
  options.maxBytes = config.spool.maxBytes;
  options.minFreeBytes = config.spool.minFreeBytes;
  spool_ = std::make_unique<actions::Spool>(spoolDirectory_, options);

  const actions::SpoolRecovery& found = spool_->recovery();
  for (const auto& note : found.notes) LogLine("spool", "warn").add("repaired", note).write();
  LogLine("spool")
      .add("directory", spoolDirectory_)
      .add("eventsWaiting", static_cast<std::int64_t>(found.recordsWaiting))
      .add("bytes", static_cast<std::int64_t>(spool_->stats().bytes))
      .add("maxBytes", static_cast<std::int64_t>(config.spool.maxBytes))
      .add("tornBytesDropped", static_cast<std::int64_t>(found.tornBytes))
      .write();

  actions::SpoolDeliveryOptions delivery;
  delivery.retryFor = config.spool.retryFor;
  std::string dir = spoolDirectory_;
  std::chrono::seconds retryFor = config.spool.retryFor;
  delivery_ = std::make_unique<actions::SpoolDelivery>(
      *spool_, destination, delivery,
      [dir, retryFor](const actions::SpoolNotice& n) { logNotice(n, dir, retryFor); });
  // Ready while a request of the largest size fits (a quarter of a small spool at most).
  std::uint64_t headroom =
      std::min<std::uint64_t>(config.limits.maxBatchBytes, config.spool.maxBytes / 4);
  acceptance_ = std::make_unique<SpoolAcceptance>(destination, *spool_, *delivery_, headroom);
}

AcceptanceService::~AcceptanceService() = default;

std::uint64_t AcceptanceService::finish(std::chrono::steady_clock::time_point deadline) {
  if (!delivery_) return 0;
  delivery_->drain(deadline);
  delivery_->stop();
  return spool_->stats().recordsWaiting;
}

}  // namespace serve
