// Segment's tracking API (docs/serve.md): the request read by the library's tracking rules
// (include/actions/tracking.h) into events with Segment's fields added and events refused with
// their reasons; the accepted ones handed on; one answer for the request. Answers as Segment's
// clients expect: 200 {"success":true} with the skipped and rejected events listed (capped in
// count and bytes, with totals: successBody), 400 for a body that is not JSON or over one of
// Segment's limits (bytes of the body or of an event, events of a batch), 401 for a missing or
// wrong write key, 429 / 503 with Retry-After when some events could not be accepted now (spooled
// or stored, as --ack chose: the Acceptance, acceptance.h), so the client sends the request again
// (messageIds make the repeat harmless). Every skipped or rejected event is counted by reason,
// logged with the write key's source (one line each for the first few), and (rejected) written to
// --rejects.
#include <chrono>
#include <string>

#include "actions/json_text.h"
#include "cors.h"
#include "log.h"
#include "output_file.h"
#include "rejects_file.h"
#include "routes.h"

namespace serve {
namespace {

using actions::Outcome;
using actions::tracking::EventAnswer;

// Refusals logged one line each per request; past it, one line counts the rest (the answer and
// --rejects still have them all).
constexpr std::size_t kLoggedRefusals = 20;

EventAnswer fromRefusal(const actions::tracking::Refusal& r) {
  EventAnswer a;
  a.index = r.index;
  a.outcome = r.outcome;
  a.reason = r.reason;
  a.error = r.error;
  a.messageId = r.messageId;
  a.status = r.outcome == Outcome::Rejected ? 400 : 200;
  if (r.outcome == Outcome::Rejected) a.errorType = "PAYLOAD_VALIDATION_FAILED";
  return a;
}

EventAnswer fromResult(std::size_t index, actions::EventResult r) {
  EventAnswer a;
  a.index = index;
  a.outcome = r.outcome;
  a.reason = actions::tracking::reasonOf(r.outcome, r.errorType);
  a.status = r.status;
  a.errorType = std::move(r.errorType);
  a.error = std::move(r.error);
  a.messageId = std::move(r.messageId);
  return a;
}

bool refused(const EventAnswer& a) {
  return a.outcome == Outcome::Skipped || a.outcome == Outcome::Rejected;
}

}  // namespace

std::vector<actions::EventResult> Routes::accept(const std::vector<std::string>& events) {
  // The one place a request's events leave: to the Acceptance --ack chose, which stores them in
  // the table now (table) or resolves them and spools the valid ones (spool). Either answers
  // skipped and rejected events at once, as the destination judged them.
  if (events.empty()) return {};
  std::vector<std::string_view> views(events.begin(), events.end());
  auto start = std::chrono::steady_clock::now();
  std::vector<actions::EventResult> results = acceptance_.accept(views);
  metrics_.observeDelivery(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return results;
}

Answer Routes::tracking(const Route& route, const std::string& body,
                        const RequestHeaders& headers) {
  if (!cors_->allows(headers.origin))
    return errorAnswer(403, "this origin may not send events here (--cors-origin)");
  actions::tracking::Request request;
  request.endpoint = route.tracking;
  request.body = body;
  request.authorization = headers.authorization;
  request.peerAddress = headers.peer;
  request.forwardedFor = headers.forwardedFor;
  request.receivedAt = std::chrono::system_clock::now();
  actions::tracking::Intake in = tracking_.read(request);
  if (in.status != 200) {
    Answer a = errorAnswer(in.status, in.error);
    a.askForWriteKey = in.status == 401;
    return a;
  }

  std::vector<actions::EventResult> results = accept(in.accepted);
  // One answer per event of the request.
  std::vector<EventAnswer> answers(in.events);
  for (const auto& r : in.refused) answers[r.index] = fromRefusal(r);
  for (std::size_t k = 0; k < results.size() && k < in.acceptedIndex.size(); ++k)
    answers[in.acceptedIndex[k]] = fromResult(in.acceptedIndex[k], std::move(results[k]));
  for (const auto& a : answers) metrics_.countEvent(a.outcome, a.reason);

  std::size_t failed = 0;
  bool tooMany = false;
  const EventAnswer* firstFailure = nullptr;
  for (const auto& a : answers) {
    if (a.outcome != Outcome::Failed) continue;
    ++failed;
    tooMany |= a.status == 429;
    if (!firstFailure) firstFailure = &a;
  }
  if (failed) {
    // The client sends the whole request again; its refusals are reported with the answer that
    // ends it.
    LogLine("delivery", "error")
        .add("path", headers.path)
        .add("source", in.source)
        .add("events", in.events)
        .add("failed", failed)
        .add("status", firstFailure->status)
        .add("errorType", firstFailure->errorType)
        .add("error", firstFailure->error)
        .write();
    Answer e = errorAnswer(
        tooMany ? 429 : 503,
        std::to_string(failed) + " of " + std::to_string(in.events) +
            " events could not be accepted now (send the request again): " + firstFailure->error);
    e.events = in.events;
    e.retryAfterSeconds = static_cast<int>(config_.limits.retryAfter.count());
    return e;
  }
  reportRefused(answers, in, headers);
  Answer a{200, actions::tracking::successBody(answers)};
  a.events = in.events;
  return a;
}

void Routes::reportRefused(const std::vector<EventAnswer>& answers,
                           const actions::tracking::Intake& in, const RequestHeaders& headers) {
  std::size_t logged = 0, skipped = 0, rejected = 0;
  std::string lines;
  std::size_t nextRefusal = 0, nextAccepted = 0;
  for (const auto& a : answers) {
    if (!refused(a)) continue;
    (a.outcome == Outcome::Skipped ? skipped : rejected)++;
    if (logged < kLoggedRefusals) {
      LogLine line("refused", "warn");
      line.add("path", headers.path).add("source", in.source).add("index", a.index);
      if (a.messageId) line.add("messageId", *a.messageId);
      line.add("outcome", actions::toString(a.outcome))
          .add("reason", a.reason)
          .add("error", a.error)
          .write();
      ++logged;
    }
    if (!rejects_ || a.outcome != Outcome::Rejected) continue;
    // The text: as received when the tracking rules refused it, as handed to the mapping (with
    // Segment's fields) when the destination did.
    while (nextRefusal < in.refused.size() && in.refused[nextRefusal].index < a.index)
      ++nextRefusal;
    while (nextAccepted < in.acceptedIndex.size() && in.acceptedIndex[nextAccepted] < a.index)
      ++nextAccepted;
    if (nextRefusal < in.refused.size() && in.refused[nextRefusal].index == a.index)
      cli::appendRejectLine(in.refused[nextRefusal].text, lines);
    else if (nextAccepted < in.acceptedIndex.size() && in.acceptedIndex[nextAccepted] == a.index)
      cli::appendRejectLine(in.accepted[nextAccepted], lines);
  }
  if (skipped + rejected > logged)
    LogLine("refused", "warn")
        .add("path", headers.path)
        .add("source", in.source)
        .add("skipped", skipped)
        .add("rejected", rejected)
        .add("notLogged", skipped + rejected - logged)
        .write();
  std::string error;
  if (!lines.empty() && !rejects_->append(lines, error))
    LogLine("rejects", "error").add("error", error).write();
}

}  // namespace serve
