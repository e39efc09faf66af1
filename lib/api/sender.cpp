// include/actions/sender.h: the stream front-end (kit::BatchPipeline: resolution in blocks,
// records in input order) over the delivery engine, with the SingleStore definition's Send Data
// action as its service.
#include "actions/sender.h"

#include <stdexcept>

#include "api/diagnostics.h"
#include "api/send_setup.h"
#include "json/json.h"
#include "kit/batch_pipeline.h"
#include "kit/executor.h"

namespace actions {

namespace {
// Outcome counts go to the metric hook in groups of about this many records.
constexpr std::size_t kCountEvery = 1000;
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
  std::shared_ptr<singlestore::SendDataWriter> writer;
  std::unique_ptr<api::Diagnostics> diagnostics;
  std::unique_ptr<kit::BatchPipeline> pipeline;  // destroyed first: it calls the others
  std::size_t batchSize = 0;
  bool dryRun = false;
  bool finished = false;
  RecordSink sink;
  api::Diagnostics::OutcomeCounts counts{};
  std::size_t counted = 0;

  ~Impl() { pipeline.reset(); }

  void emit(const kit::EventRecord& r) {
    EventRecord out;
    out.index = r.index;
    out.valid = r.valid;
    out.status = r.result.status;
    out.outcome = api::publicOutcome(r.result.outcome);
    if (dryRun && r.valid) {
      out.outcome = Outcome::Validated;
      out.payloadJson = r.payloadJson;
    } else {
      out.error = r.result.error;
      out.errorType = r.result.errorType;
    }
    out.messageId = r.messageId;
    if (diagnostics->measures()) {
      ++counts[static_cast<std::size_t>(api::kitOutcome(out.outcome))];
      if (++counted >= kCountEvery) reportCounts();
    }
    sink(out);
  }
  void reportCounts() {
    diagnostics->countOutcomes(counts);
    counts = {};
    counted = 0;
  }
};

Sender::Sender(const Settings* settings, const SendOptions& options, RecordSink sink)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  s.dryRun = options.dryRun;
  s.sink = std::move(sink);
  if (!s.sink) throw std::invalid_argument("a sender needs a record sink");

  api::PreparedSend prepared = api::prepareSend(settings, options);
  s.mapping = std::move(prepared.mapping);
  s.executor = std::move(prepared.executor);
  s.writer = std::move(prepared.writer);
  s.batchSize = prepared.batchSize;
  s.diagnostics = std::make_unique<api::Diagnostics>(options.hooks, s.writer);
  kit::PipelineOptions pipeline;
  pipeline.batchSize = s.batchSize;
  pipeline.dryRun = options.dryRun;
  pipeline.lanes = prepared.lanes;
  pipeline.payloadText = options.dryRun;
  pipeline.maxEventBytes = options.maxEventBytes;
  pipeline.observer = s.diagnostics->deliveryObserver();
  if (options.linger) {
    if (options.linger->count() < 0)
      throw std::invalid_argument("the linger time must not be negative");
    pipeline.linger = *options.linger;
  }
  s.pipeline = std::make_unique<kit::BatchPipeline>(*s.executor, pipeline,
                                                    [&s](const kit::EventRecord& r) { s.emit(r); });
}

Sender::~Sender() = default;

void Sender::add(std::size_t index, std::string_view eventJson, std::string_view inputError) {
  if (impl_->finished)
    throw std::logic_error("Sender::add after finish(): the event would be lost");
  impl_->pipeline->add(index, eventJson, inputError);
}

void Sender::flush() {
  if (impl_->finished) throw std::logic_error("Sender::flush after finish()");
  impl_->pipeline->flush();
  if (impl_->counted) impl_->reportCounts();
}

void Sender::finish() {
  impl_->pipeline->finish();
  impl_->finished = true;
  if (impl_->counted) impl_->reportCounts();
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
