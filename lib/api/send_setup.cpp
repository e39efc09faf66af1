// What a Sender and a Destination both build (send_setup.h).
#include "api/send_setup.h"

#include <stdexcept>

#include "actions/mapping/mapping.h"
#include "actions/subscription.h"
#include "api/settings_access.h"
#include "kit/default_mapping.h"
#include "mapping/mapping.h"
#include "singlestore/definition.h"
#include "subscription/subscription.h"

namespace actions::api {

namespace ss = singlestore;

namespace {

// Connections writing at once when the host does not say. Two keep a server busy while the other
// connection's batch is on the wire, and splitting by messageId keeps every batch's outcomes
// exact; a distributed server takes more.
constexpr unsigned kDefaultParallel = 2;
constexpr std::size_t kMaxBatchSize = 10000;

// The batch size the mapping asks for: a literal max_batch_size (1..10000), and one event at a
// time when it turns batching off; the field's default otherwise.
std::size_t batchSizeOf(const json::Value& mapping) {
  std::size_t size = 1000;
  if (!mapping.IsObject()) return size;
  if (auto it = mapping.FindMember("max_batch_size");
      it != mapping.MemberEnd() && it->value.IsNumber()) {
    double d = json::toDouble(it->value);
    if (d >= 1 && d <= static_cast<double>(kMaxBatchSize) &&
        d == static_cast<double>(static_cast<std::size_t>(d)))
      size = static_cast<std::size_t>(d);
  }
  if (auto it = mapping.FindMember("enable_batching");
      it != mapping.MemberEnd() && it->value.IsFalse())
    size = 1;
  return size;
}

}  // namespace

Outcome publicOutcome(kit::Outcome o) {
  switch (o) {
    case kit::Outcome::Inserted:
      return Outcome::Inserted;
    case kit::Outcome::Duplicate:
      return Outcome::Duplicate;
    case kit::Outcome::Skipped:
      return Outcome::Skipped;
    case kit::Outcome::Rejected:
      return Outcome::Rejected;
    case kit::Outcome::Failed:
      return Outcome::Failed;
    case kit::Outcome::Validated:
      return Outcome::Validated;
  }
  return Outcome::Failed;
}

kit::Outcome kitOutcome(Outcome o) {
  switch (o) {
    case Outcome::Inserted:
      return kit::Outcome::Inserted;
    case Outcome::Duplicate:
      return kit::Outcome::Duplicate;
    case Outcome::Skipped:
      return kit::Outcome::Skipped;
    case Outcome::Rejected:
      return kit::Outcome::Rejected;
    case Outcome::Failed:
      return kit::Outcome::Failed;
    case Outcome::Validated:
      return kit::Outcome::Validated;
  }
  return kit::Outcome::Failed;
}

PreparedSend prepareSend(const Settings* settings, const SendOptions& options) {
  if (!settings && !options.dryRun)
    throw std::invalid_argument("settings are required (only a dry run works without them)");
  if (options.batchSize > kMaxBatchSize)
    throw std::invalid_argument("the batch size must be between 1 and 10000");
  PreparedSend p;
  json::Document settingsObject;
  settingsObject.SetObject();
  if (settings)
    settingsObject.CopyFrom(*SettingsAccess::impl(*settings).validated,
                            settingsObject.GetAllocator());

  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  bool ownMapping = options.mappingJson.has_value();
  if (ownMapping) {
    if (auto err = json::parse(*options.mappingJson, p.mapping))
      throw mapping::InvalidMapping({"the mapping is " + err->describe()});
  }
  if (options.batchSize) {
    // The batch size overrides the mapping's max_batch_size, so the payloads say it too.
    if (!ownMapping) kit::defaultMapping(*action, p.mapping);
    if (p.mapping.IsObject()) {
      p.mapping.RemoveMember("max_batch_size");
      p.mapping.AddMember("max_batch_size", static_cast<uint64_t>(options.batchSize),
                          p.mapping.GetAllocator());
    }
  }
  kit::ActionOptions actionOptions;
  actionOptions.mapping = ownMapping || options.batchSize ? &p.mapping : nullptr;
  actionOptions.subscription = options.subscription;
  kit::DeliveryOptions delivery;
  delivery.retryFor = options.retryFor;
  delivery.concurrentDeliveries = options.parallel ? options.parallel : kDefaultParallel;
  p.lanes = delivery.concurrentDeliveries;
  try {
    p.executor =
        std::make_unique<kit::ActionExecutor>(*action, settingsObject, actionOptions, delivery);
  } catch (const mapping::MappingError& e) {
    throw mapping::InvalidMapping(e.problems());
  } catch (const subscription::SubscriptionError& e) {
    throw InvalidSubscription(e.what());
  }
  if (!options.dryRun && !ss::deliveryAvailable())
    throw std::runtime_error("delivery is not available in this build");
  if (!options.dryRun) {
    // The run's own writer, and with it its own pool: `parallel` connections at most, counted
    // for this run alone.
    ss::WriterOptions writer;
    if (options.retryFor) writer.retry.retryFor = *options.retryFor;
    writer.maxConnections = p.lanes;
    p.writer =
        std::make_shared<ss::SendDataWriter>(SettingsAccess::impl(*settings).settings, writer);
    p.executor->presetState(p.writer);
  }

  p.batchSize = options.batchSize ? options.batchSize : batchSizeOf(p.executor->action().mapping());
  return p;
}

}  // namespace actions::api
