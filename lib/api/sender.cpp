// include/actions/sender.h over kit::ActionExecutor and kit::BatchPipeline with the SingleStore
// definition's Send Data action.
#include "actions/sender.h"

#include <stdexcept>

#include "actions/mapping/mapping.h"
#include "actions/subscription.h"
#include "api/settings_access.h"
#include "json/json.h"
#include "kit/batch_pipeline.h"
#include "kit/default_mapping.h"
#include "kit/executor.h"
#include "mapping/mapping.h"
#include "singlestore/definition.h"
#include "subscription/subscription.h"

namespace actions {

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

Outcome outcomeOf(kit::Outcome o) {
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
  }
  return Outcome::Failed;
}

}  // namespace

const char* toString(Outcome outcome) noexcept {
  switch (outcome) {
    case Outcome::Inserted:
      return "inserted";
    case Outcome::Duplicate:
      return "duplicate";
    case Outcome::Skipped:
      return "skipped";
    case Outcome::Rejected:
      return "rejected";
    case Outcome::Failed:
      return "failed";
    case Outcome::Validated:
      return "validated";
  }
  return "failed";
}

struct Sender::Impl {
  json::Document mapping;
  std::unique_ptr<kit::ActionExecutor> executor;
  std::unique_ptr<kit::BatchPipeline> pipeline;
  std::size_t batchSize = 0;
  bool dryRun = false;
  RecordSink sink;

  void emit(const kit::EventRecord& r) {
    EventRecord out;
    out.index = r.index;
    out.valid = r.valid;
    out.status = r.result.status;
    if (dryRun && r.valid) {
      out.outcome = Outcome::Validated;
      out.payloadJson = r.payloadJson;
    } else {
      out.outcome = outcomeOf(r.result.outcome);
      out.error = r.result.error;
      out.errorType = r.result.errorType;
    }
    out.messageId = r.messageId;
    sink(out);
  }
};

Sender::Sender(const Settings* settings, const SendOptions& options, RecordSink sink)
    : impl_(std::make_unique<Impl>()) {
  namespace ss = singlestore;
  Impl& s = *impl_;
  s.dryRun = options.dryRun;
  s.sink = std::move(sink);
  if (!s.sink) throw std::invalid_argument("a sender needs a record sink");
  if (!settings && !options.dryRun)
    throw std::invalid_argument("settings are required (only a dry run works without them)");
  if (options.batchSize > kMaxBatchSize)
    throw std::invalid_argument("the batch size must be between 1 and 10000");

  json::Document settingsObject;
  settingsObject.SetObject();
  if (settings)
    settingsObject.CopyFrom(*SettingsAccess::impl(*settings).validated,
                            settingsObject.GetAllocator());

  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  bool ownMapping = options.mappingJson.has_value();
  if (ownMapping) {
    if (auto err = json::parse(*options.mappingJson, s.mapping))
      throw mapping::InvalidMapping({"the mapping is " + err->describe()});
  }
  if (options.batchSize) {
    // The batch size overrides the mapping's max_batch_size, so the payloads say it too.
    if (!ownMapping) kit::defaultMapping(*action, s.mapping);
    if (s.mapping.IsObject()) {
      s.mapping.RemoveMember("max_batch_size");
      s.mapping.AddMember("max_batch_size", static_cast<uint64_t>(options.batchSize),
                          s.mapping.GetAllocator());
    }
  }
  kit::ActionOptions actionOptions;
  actionOptions.mapping = ownMapping || options.batchSize ? &s.mapping : nullptr;
  actionOptions.subscription = options.subscription;
  kit::DeliveryOptions delivery;
  delivery.retryFor = options.retryFor;
  delivery.concurrentDeliveries = options.parallel ? options.parallel : kDefaultParallel;
  try {
    s.executor =
        std::make_unique<kit::ActionExecutor>(*action, settingsObject, actionOptions, delivery);
  } catch (const mapping::MappingError& e) {
    throw mapping::InvalidMapping(e.problems());
  } catch (const subscription::SubscriptionError& e) {
    throw InvalidSubscription(e.what());
  }
  if (!options.dryRun && !ss::deliveryAvailable())
    throw std::runtime_error("delivery is not available in this build");

  s.batchSize = options.batchSize ? options.batchSize : batchSizeOf(s.executor->action().mapping());
  kit::PipelineOptions pipeline;
  pipeline.batchSize = s.batchSize;
  pipeline.dryRun = options.dryRun;
  pipeline.lanes = delivery.concurrentDeliveries;
  pipeline.payloadText = options.dryRun;
  s.pipeline = std::make_unique<kit::BatchPipeline>(*s.executor, pipeline,
                                                    [&s](const kit::EventRecord& r) { s.emit(r); });
}

Sender::~Sender() = default;

void Sender::add(std::size_t index, std::string_view eventJson, std::string_view inputError) {
  impl_->pipeline->add(index, eventJson, inputError);
}

void Sender::finish() {
  impl_->pipeline->finish();
}

std::size_t Sender::batchSize() const {
  return impl_->batchSize;
}

bool Sender::stopped() const {
  return impl_->pipeline->stopped();
}

std::string Sender::stopReason() const {
  return impl_->pipeline->stopReason().error;
}

}  // namespace actions
