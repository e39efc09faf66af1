#include "kit/batch_pipeline.h"

#include "kit/errors.h"

namespace actions::kit {
namespace {

// An event's own messageId, for reports about events that never became payloads.
std::optional<std::string> eventMessageId(const json::Value& event) {
  if (!event.IsObject()) return std::nullopt;
  auto it = event.FindMember("messageId");
  if (it == event.MemberEnd()) return std::nullopt;
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsNumber()) return json::toJsString(it->value);
  return std::nullopt;
}

EventResult rejected(std::string message) {
  EventResult r;
  r.status = 400;
  r.outcome = Outcome::Rejected;
  r.error = std::move(message);
  r.errorType = error_codes::kPayloadValidationFailed;
  return r;
}

}  // namespace

BatchPipeline::BatchPipeline(ActionExecutor& executor, std::size_t batchSize, bool dryRun,
                             Sink sink)
    : executor_(executor),
      batchSize_(batchSize == 0 ? 1 : batchSize),
      dryRun_(dryRun),
      sink_(std::move(sink)) {}

void BatchPipeline::emit(Pending& p) {
  EventRecord r;
  r.index = p.index;
  r.valid = p.valid;
  r.result = std::move(p.result);
  r.payload = p.payload;
  r.messageId = std::move(p.messageId);
  sink_(r);
}

void BatchPipeline::add(std::size_t index, std::string_view text, std::string_view inputError) {
  Pending p{index, false, {}, nullptr, std::nullopt};
  if (!inputError.empty()) {
    p.result = rejected(std::string(inputError));
  } else {
    json::Document doc(&alloc_);
    if (auto err = json::parse(text, doc)) {
      p.result = rejected("The event is " + err->describe());
    } else {
      auto* event = new (alloc_.Malloc(sizeof(json::Value))) json::Value();
      event->Swap(doc);
      auto* payload = new (alloc_.Malloc(sizeof(json::Value))) json::Value();
      Resolution res = executor_.resolve(*event, *payload, alloc_, true);
      if (res.valid()) {
        p.valid = true;
        p.payload = payload;
        auto it = payload->FindMember("messageId");
        if (it != payload->MemberEnd() && it->value.IsString())
          p.messageId = std::string(it->value.GetString(), it->value.GetStringLength());
        else
          p.messageId = eventMessageId(*event);
      } else {
        p.result = res.result();
        p.messageId = eventMessageId(*event);
      }
    }
  }
  if (dryRun_) {
    emit(p);
    if (pending_.empty()) alloc_.Clear();  // nothing kept between dry-run events
    return;
  }
  if (p.valid) {
    ++validCount_;
    payloads_.push_back(p.payload);
  }
  pending_.push_back(std::move(p));
  if (validCount_ >= batchSize_) flush();
}

void BatchPipeline::flush() {
  std::vector<EventResult> results(payloads_.size());
  if (!payloads_.empty()) {
    if (stopped_) {
      EventResult r = stopReason_;
      r.error = "not attempted after an earlier failure: " + stopReason_.error;
      for (auto& x : results) x = r;
    } else {
      std::vector<const json::Value*> view(payloads_.begin(), payloads_.end());
      executor_.deliver(view, results);
      bool allFailed = true;
      for (const auto& r : results) {
        if (r.status == 401 && !stopped_) {
          stopped_ = true;
          stopReason_ = r;
        }
        allFailed = allFailed && r.outcome == Outcome::Failed;
      }
      if (allFailed && !stopped_) {
        stopped_ = true;
        stopReason_ = results.front();
      }
    }
  }
  std::size_t k = 0;
  for (auto& p : pending_) {
    if (p.valid) p.result = std::move(results[k++]);
    emit(p);
  }
  pending_.clear();
  payloads_.clear();
  validCount_ = 0;
  alloc_.Clear();
}

void BatchPipeline::finish() {
  if (!pending_.empty()) flush();
}

}  // namespace actions::kit
