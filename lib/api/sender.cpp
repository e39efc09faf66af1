// include/actions/sender.h over kit::ActionExecutor and kit::BatchPipeline with the SingleStore
// definition's Send Data action.
#include "actions/sender.h"

#include <stdexcept>

#include "api/send_setup.h"
#include "json/json.h"
#include "kit/batch_pipeline.h"
#include "kit/executor.h"

namespace actions {

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
  bool finished = false;
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
      out.outcome = api::publicOutcome(r.result.outcome);
      out.error = r.result.error;
      out.errorType = r.result.errorType;
    }
    out.messageId = r.messageId;
    sink(out);
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
  s.batchSize = prepared.batchSize;
  kit::PipelineOptions pipeline;
  pipeline.batchSize = s.batchSize;
  pipeline.dryRun = options.dryRun;
  pipeline.lanes = prepared.lanes;
  pipeline.payloadText = options.dryRun;
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
}

void Sender::finish() {
  impl_->pipeline->finish();
  impl_->finished = true;
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
