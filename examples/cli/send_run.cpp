#include "send_run.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <iostream>
#include <memory>
#include <mutex>

#include "actions/destination.h"
#include "actions/event_reader.h"
#include "actions/mapping/mapping.h"
#include "actions/sender.h"
#include "actions/settings.h"
#include "actions/subscription.h"
#include "commands.h"
#include "event_origin.h"
#include "input_feed.h"
#include "output_file.h"
#include "progress.h"
#include "send_output.h"
#include "settings_source.h"
#include "signals.h"

namespace cli {
namespace {

using actions::EventRecord;
using actions::Outcome;
using Clock = std::chrono::steady_clock;

// The inputs' total size when every one is a regular, uncompressed file (the progress line's
// percentage); nothing when one is a pipe, a terminal or gzip (its size says little of what
// it holds).
std::optional<std::uint64_t> knownInputSize(const std::vector<std::string>& inputs) {
  std::vector<std::string> paths = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
  std::uint64_t total = 0;
  for (const auto& p : paths) {
    int fd = p == "-" ? STDIN_FILENO : ::open(p.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return std::nullopt;
    struct stat st;
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    unsigned char magic[2] = {0, 0};
    bool gzip = regular && p != "-" && ::pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f &&
                magic[1] == 0x8b;
    if (p != "-") ::close(fd);
    if (!regular || gzip) return std::nullopt;
    total += static_cast<std::uint64_t>(st.st_size);
  }
  return total;
}

// Whether every input is a regular file (standard input too when it is read), so reading them
// to their end cannot block.
bool allInputsAreFiles(const std::vector<std::string>& inputs) {
  std::vector<std::string> paths = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
  for (const auto& p : paths) {
    struct stat st;
    int r = p == "-" ? ::fstat(STDIN_FILENO, &st) : ::stat(p.c_str(), &st);
    if (r != 0 || !S_ISREG(st.st_mode)) return false;
  }
  return true;
}

// What the progress line reads while the run goes on: counts copied out of the run's thread.
struct LiveState {
  std::mutex mutex;
  OutcomeCounts counts;
  std::atomic<long long> busySinceMs{0};  // when the run entered a Sender call; 0: not in one
};

long long nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch())
      .count();
}

// An event between add() and its record: what the record's lines need that the record lacks.
struct Pending {
  std::size_t index;
  std::string text;    // for --rejects
  std::string origin;  // "FILE:LINE"
};

class SendRun {
 public:
  explicit SendRun(const SendRunOptions& o) : o_(o) {}
  // The watcher goes first: a late signal must not reach a feed already gone.
  ~SendRun() { watch_.reset(); }
  int run();
  bool stillReading() const { return feed_ && feed_->stillReading(); }

 private:
  int prepare();
  bool openOutputs();
  bool outputFailed() const;
  void record(const EventRecord& r);
  void readAndSend();
  void accountUndeliverable(const actions::AuthenticationReport& auth);
  int finishRun(int exitCode);
  int exitCode() const;

  const SendRunOptions& o_;
  std::optional<actions::Settings> settings_;
  actions::SendOptions options_;
  std::unique_ptr<InterruptWatch> watch_;
  std::atomic<InputFeed*> feedToStop_{nullptr};
  std::unique_ptr<actions::Sender> sender_;
  std::unique_ptr<InputFeed> feed_;
  std::unique_ptr<OutputFile> lines_, report_, rejects_, summary_;
  std::deque<Pending> pending_;
  bool keepPending_ = false;
  OutcomeCounts counts_;
  LiveState live_;
  bool liveOn_ = false;
  bool inputFailed_ = false;
  bool summarize_ = false;    // the outputs are open: the run ends with its summary
  bool nothingRead_ = false;  // stopped before reading a pipe or terminal
  Clock::time_point start_ = Clock::now();
};

int SendRun::run() {
  if (int code = prepare(); code >= 0) return code;
  if (!openOutputs()) return finishRun(kExitFatal);
  summarize_ = true;

  // Connectivity and authentication before anything is read: a run that cannot deliver fails
  // at once, whatever --retry-for says (later faults are retried).
  if (!o_.dryRun) {
    live_.busySinceMs = nowMs();
    auto auth = actions::testAuthentication(*settings_);
    live_.busySinceMs = 0;
    // A transient fault past the connection (the write probe waiting on a lock, a deadlock)
    // says nothing against delivering: the delivery retries it. Not connecting, being refused,
    // or a table that cannot be used end the run here.
    bool transient = auth.status == 503 && auth.error.rfind("cannot connect", 0) != 0;
    if (!auth.ok && !transient && !watch_->signal()) {
      printError("cannot deliver: " + auth.error);
      accountUndeliverable(auth);
      return finishRun(kExitFatal);
    }
  }
  if (!watch_->signal()) readAndSend();
  return finishRun(exitCode());
}

// When the database cannot be used before anything is read, every event of input files is still
// accounted for — failed with the reason (or skipped / rejected, as a dry run finds them) — in
// the counts, the summary line and the report when one is asked for: the summary reads the same
// with or without --report. Reading a pipe or a terminal could wait forever, so then nothing is
// read and the summary says so. Nothing is delivered.
void SendRun::accountUndeliverable(const actions::AuthenticationReport& auth) {
  if (!allInputsAreFiles(o_.inputs)) {
    nothingRead_ = true;
    return;
  }
  actions::SendOptions dry = options_;
  dry.dryRun = true;
  std::optional<actions::Sender> resolver;
  try {
    resolver.emplace(nullptr, dry, [&](const EventRecord& r) {
      EventRecord line = r;
      if (r.outcome == Outcome::Validated) {
        line.outcome = Outcome::Failed;
        line.status = auth.status;
        line.error = auth.error;
        line.errorType = auth.errorType;
      }
      record(line);
    });
    actions::EventReader reader(o_.inputs);
    actions::RawEvent raw;
    keepPending_ = true;  // the lines name each event's FILE:LINE, as a delivery's do
    while (!watch_->signal() && !outputFailed() && reader.next(raw)) {
      pending_.push_back({raw.index, rejects_ ? raw.text : std::string(), originOf(raw)});
      resolver->add(raw.index, raw.text, raw.error);
    }
    resolver->finish();
  } catch (const std::exception& e) {
    printError(std::string("cannot report the events: ") + e.what());
  }
}

// Settings, the output check, the signal watch, the sender and the inputs; -1 when the run can
// go on, else its exit status.
int SendRun::prepare() {
  if (!o_.dryRun || !o_.settings.empty()) {
    if (o_.settings.empty() && !environmentHasSettings()) {
      printError(
          "no settings: give --settings FILE, or set SINGLESTORE_HOST, SINGLESTORE_USER, "
          "SINGLESTORE_DATABASE and SINGLESTORE_PASSWORD (only --dry-run works without)");
      return kExitFatal;
    }
    settings_ = loadSettings(o_.settings);
    if (!settings_) return kExitFatal;
  }
  std::string conflict = outputConflict(
      o_.inputs,
      {{"--report", o_.report}, {"--rejects", o_.rejects}, {"--summary-json", o_.summaryJson}},
      o_.dryRun ? "--dry-run" : "");
  if (!conflict.empty()) {
    printError(conflict);
    return kExitFatal;
  }

  if (!o_.mapping.empty()) options_.mappingJson = mappingText(o_.mapping);
  options_.subscription = o_.subscription;
  options_.batchSize = o_.batchSize;
  options_.dryRun = o_.dryRun;
  options_.parallel = o_.parallel;
  if (o_.retryForSeconds)
    options_.retryFor =
        std::chrono::milliseconds(static_cast<long long>(*o_.retryForSeconds * 1000));
  if (o_.lingerMs) options_.linger = std::chrono::milliseconds(*o_.lingerMs);

  // Before the sender starts its threads, so they too leave the signals to the watcher.
  watch_ = std::make_unique<InterruptWatch>([this](int) {
    if (InputFeed* f = feedToStop_.load()) f->stop();
  });
  try {
    sender_ = std::make_unique<actions::Sender>(settings_ ? &*settings_ : nullptr, options_,
                                                [this](const EventRecord& r) { record(r); });
  } catch (const actions::mapping::InvalidMapping& e) {
    printError(o_.mapping.empty() ? "invalid mapping:" : "invalid mapping " + o_.mapping + ":");
    for (const auto& p : e.problems()) std::cerr << "  " << p << '\n';
    return kExitFatal;
  } catch (const actions::InvalidSubscription& e) {
    printError(std::string("invalid subscription: ") + e.what());
    return kExitFatal;
  }
  feed_ = std::make_unique<InputFeed>(o_.inputs);  // throws (exit 2) for an input not there
  return -1;
}

bool SendRun::openOutputs() {
  try {
    if (o_.dryRun) lines_ = std::make_unique<OutputFile>("-");
    if (!o_.report.empty()) report_ = std::make_unique<OutputFile>(o_.report);
    if (!o_.rejects.empty()) rejects_ = std::make_unique<OutputFile>(o_.rejects);
    if (!o_.summaryJson.empty()) summary_ = std::make_unique<OutputFile>(o_.summaryJson);
  } catch (const std::runtime_error& e) {
    printError(e.what());
    return false;
  }
  return true;
}

bool SendRun::outputFailed() const {
  for (auto* f : {lines_.get(), report_.get(), rejects_.get()})
    if (f && f->failed()) return true;
  return false;
}

void SendRun::record(const EventRecord& r) {
  counts_.add(r.outcome);
  std::string_view origin, text;
  if (keepPending_) {
    while (!pending_.empty() && pending_.front().index < r.index) pending_.pop_front();
    if (!pending_.empty() && pending_.front().index == r.index) {
      origin = pending_.front().origin;
      text = pending_.front().text;
    }
  }
  if (lines_) {
    appendDryRunLine(r, origin, lines_->buffer());
    lines_->flushIfLarge();
  }
  if (report_) {
    appendReportLine(r, origin, report_->buffer());
    report_->flushIfLarge();
  }
  if (rejects_ && r.outcome == Outcome::Rejected) {
    appendRejectLine(text, rejects_->buffer());
    rejects_->flushIfLarge();
  }
  if (keepPending_ && !pending_.empty() && pending_.front().index == r.index) pending_.pop_front();
  if (liveOn_) {
    std::lock_guard<std::mutex> lock(live_.mutex);
    live_.counts = counts_;
  }
}

void SendRun::readAndSend() {
  bool tty = ::isatty(STDERR_FILENO) != 0;
  liveOn_ = !o_.quiet && (o_.progress || tty);
  auto totalBytes = liveOn_ ? knownInputSize(o_.inputs) : std::nullopt;
  std::atomic<bool> inputEnded{false};
  double retryFor = o_.retryForSeconds ? *o_.retryForSeconds : 120;
  // The sampler runs on the display's thread; it tells a stalled delivery from a quiet input
  // by whether the run is inside a Sender call with no record coming out.
  std::uint64_t lastDone = 0;
  long long lastChangeMs = nowMs();
  ProgressDisplay display(liveOn_, [&](ProgressSnapshot& s) {
    {
      std::lock_guard<std::mutex> lock(live_.mutex);
      const auto& c = live_.counts;
      s.done = c.events;
      s.inserted = c.inserted;
      s.duplicate = c.duplicate;
      s.skipped = c.skipped;
      s.rejected = c.rejected;
      s.failed = c.failed;
      s.valid = c.valid;
    }
    s.read = feed_->eventsRead();
    s.bytesRead = feed_->bytesRead();
    s.totalBytes = totalBytes;
    s.inputEnded = inputEnded.load();
    s.dryRun = o_.dryRun;
    long long now = nowMs(), busySince = live_.busySinceMs.load();
    if (s.done != lastDone) {
      lastDone = s.done;
      lastChangeMs = now;
    }
    long long stalledSince = std::max(lastChangeMs, busySince);
    if (!o_.dryRun && busySince && now - stalledSince > 2000) {
      s.waitingForDatabase = static_cast<double>(now - stalledSince) / 1000;
      s.retryFor = retryFor;
    }
  });

  keepPending_ = rejects_ != nullptr;
  noteTerminalInput(o_.inputs);
  feedToStop_ = feed_.get();
  feed_->start();
  if (watch_->signal()) feed_->stop();  // a signal while the watch had no feed to stop
  EventBatch batch;
  bool stopping = false;
  bool addedSinceFlush = false;
  for (;;) {
    if (!stopping && (watch_->signal() || outputFailed())) {
      feed_->stop();  // what was read still goes through; nothing more is read
      stopping = true;
    }
    auto t = feed_->take(batch, std::chrono::milliseconds(100));
    if (t == InputFeed::Take::End) break;
    if (t == InputFeed::Take::Nothing) {
      // The input is quiet: what it gave so far goes out now, and its report lines with it,
      // rather than waiting for the next event.
      if (addedSinceFlush) {
        live_.busySinceMs = nowMs();
        sender_->flush();
        live_.busySinceMs = 0;
        addedSinceFlush = false;
      }
      continue;
    }
    addedSinceFlush = true;
    live_.busySinceMs = nowMs();
    for (const auto& e : batch.events) {
      if (keepPending_ || !e.origin.empty()) {
        keepPending_ = true;
        pending_.push_back(
            {e.index, rejects_ ? std::string(e.text) : std::string(), std::string(e.origin)});
      }
      sender_->add(e.index, e.text, e.error);
    }
    live_.busySinceMs = 0;
  }
  inputEnded = true;
  if (std::string error = feed_->error(); !error.empty()) {
    inputFailed_ = true;
    display.stop();
    printError("reading stopped: " + error);
  }
  live_.busySinceMs = nowMs();
  sender_->finish();
  live_.busySinceMs = 0;
  display.stop();
}

int SendRun::exitCode() const {
  if (inputFailed_) return kExitFatal;
  if (int sig = watch_->signal()) return exitCodeFor(sig);
  if (o_.dryRun) return counts_.rejected ? kExitSomeFailed : kExitOk;
  if (counts_.failed) return counts_.delivered() == 0 ? kExitFatal : kExitUndelivered;
  return counts_.rejected ? kExitSomeFailed : kExitOk;
}

// Closes the outputs, prints the summary and warnings, writes --summary-json: the exit status.
int SendRun::finishRun(int exitCode) {
  for (auto* f : {lines_.get(), report_.get(), rejects_.get()}) {
    if (!f) continue;
    if (!f->close()) {
      printError(f->error() + " (the run stopped: its output could not be written)");
      exitCode = kExitFatal;
    }
  }
  RunSummary s;
  s.counts = counts_;
  s.seconds = std::chrono::duration<double>(Clock::now() - start_).count();
  s.dryRun = o_.dryRun;
  s.signal = watch_ ? watch_->signal() : 0;
  s.exitCode = exitCode;
  s.nothingRead = nothingRead_;
  if (!o_.quiet && summarize_) std::cerr << summaryLine(s) << '\n';
  if (sender_ && sender_->stopped()) printError("delivery stopped: " + sender_->stopReason());
  if (counts_.events > 0 && counts_.skipped == counts_.events)
    printError("warning: the subscription matched none of the " + eventCount(counts_.events) +
               " (every one skipped): " +
               (o_.subscription ? "'" + *o_.subscription + "'"
                                : std::string("the action's defaultSubscription")));
  if (summary_) {
    summary_->append(summaryJson(s));
    if (!summary_->close()) {
      printError(summary_->error());
      exitCode = kExitFatal;
    }
  }
  std::cerr.flush();
  return exitCode;
}

}  // namespace

int runSend(const SendRunOptions& options) {
  SendRun run(options);
  int code = run.run();
  if (run.stillReading()) {
    // The reading thread is blocked on a pipe or terminal that may never deliver: the process
    // ends without waiting for it (every output is closed, the summary printed).
    std::cout.flush();
    std::cerr.flush();
    _exit(code);
  }
  return code;
}

}  // namespace cli
