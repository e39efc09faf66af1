// A host runtime in miniature: one Destination for the life of the process, called from four
// threads at once, then from one thread with many asynchronous calls in flight (as an event loop
// would), with the host's logger and metrics as hooks. Every event is stored once, repeats are
// answered duplicate, and the connections opened stay within the pool however many calls are made.
//
//   live_host SETTINGS.json [CALLS_PER_THREAD]
// Prints what it saw; exits 0 when every check held, 1 otherwise, 2 on bad settings.
#include <actions/destination.h>
#include <actions/hooks.h>
#include <actions/multistatus.h>
#include <actions/settings.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

std::string eventJson(const std::string& messageId, int n) {
  return "{\"type\":\"track\",\"event\":\"Order Completed\",\"messageId\":\"" + messageId +
         "\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"userId\":\"user-" + std::to_string(n) +
         "\",\"properties\":{\"total\":" + std::to_string(n) + "}}";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: live_host SETTINGS.json [CALLS_PER_THREAD]\n");
    return 2;
  }
  const int callsPerThread = argc > 2 ? std::atoi(argv[2]) : 200;
  const int threads = 4, eventsPerCall = 10;

  actions::SettingsCheck check =
      actions::loadSettingsFile(argv[1], std::getenv("SINGLESTORE_PASSWORD"));
  if (!check.ok()) {
    for (const std::string& p : check.problems) std::fprintf(stderr, "settings: %s\n", p.c_str());
    return 2;
  }
  actions::SendOptions options;
  options.parallel = 2;
  // The host's logger and metrics: here, a count of what the library reported.
  std::atomic<long> warnings{0}, deliveriesMeasured{0};
  options.hooks.log = [&warnings](actions::LogLevel level, std::string_view message) {
    if (level >= actions::LogLevel::Warn) {
      ++warnings;
      std::fprintf(stderr, "%s: %.*s\n", actions::toString(level), static_cast<int>(message.size()),
                   message.data());
    }
  };
  options.hooks.metric = [&deliveriesMeasured](const actions::Metric& m) {
    if (m.name == "actions_singlestore.delivery.payloads") ++deliveriesMeasured;
  };
  actions::Destination destination(*check.settings, options);

  // A run of its own: messageIds no earlier run has stored.
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  std::atomic<long> inserted{0}, unexpected{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::vector<std::string> texts(eventsPerCall);
      std::vector<std::string_view> batch(eventsPerCall);
      for (int c = 0; c < callsPerThread; ++c) {
        for (int e = 0; e < eventsPerCall; ++e) {
          int n = (t * callsPerThread + c) * eventsPerCall + e;
          texts[e] = eventJson("live-" + run + "-" + std::to_string(n), n);
          batch[e] = texts[e];
        }
        for (const actions::EventResult& r : destination.performBatch(batch)) {
          if (r.outcome == actions::Outcome::Inserted) {
            ++inserted;
          } else {
            ++unexpected;
            std::fprintf(stderr, "unexpected %s: %s\n", actions::toString(r.outcome),
                         r.error.c_str());
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();

  // An event loop's way: one thread puts many calls in flight and is told of each answer.
  const int asyncCalls = 100;
  std::mutex m;
  std::condition_variable answered;
  int asyncAnswered = 0;
  long asyncInserted = 0;
  for (int c = 0; c < asyncCalls; ++c) {
    int n = threads * callsPerThread * eventsPerCall + c;
    std::vector<std::string> events{eventJson("live-" + run + "-" + std::to_string(n), n)};
    destination.performBatchAsync(events, [&](std::vector<actions::EventResult> results) {
      std::lock_guard<std::mutex> lock(m);
      ++asyncAnswered;
      asyncInserted += results.at(0).outcome == actions::Outcome::Inserted;
      answered.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(m);
    answered.wait(lock, [&] { return asyncAnswered == asyncCalls; });
  }

  // Repeats of stored events, one at a time with perform: each is a duplicate.
  long duplicates = 0;
  for (int n = 0; n < 20; ++n) {
    actions::EventResult r =
        destination.perform(eventJson("live-" + run + "-" + std::to_string(n), n));
    if (r.outcome == actions::Outcome::Duplicate) ++duplicates;
  }

  const long expected = static_cast<long>(threads) * callsPerThread * eventsPerCall;
  actions::DestinationStats s = destination.stats();
  const long measured = deliveriesMeasured.load();
  std::printf("calls: %d performBatch of %d events from %d threads, 20 perform\n",
              threads * callsPerThread, eventsPerCall, threads);
  std::printf("inserted: %ld of %ld, duplicates: %ld of 20, unexpected: %ld\n", inserted.load(),
              expected, duplicates, unexpected.load());
  std::printf("asynchronous: %ld inserted of %d calls from one thread\n", asyncInserted,
              asyncCalls);
  std::printf(
      "deliveries: %llu (%ld measured by the metric hook), connections opened: %llu "
      "(pool: %u), warnings: %ld\n",
      static_cast<unsigned long long>(s.deliveries), measured,
      static_cast<unsigned long long>(s.connectionsOpened), options.parallel, warnings.load());
  // A repeat as Segment's multi-status entry, as a host runtime would answer it.
  std::string entry;
  actions::appendMultiStatusEntry(destination.perform(eventJson("live-" + run + "-0", 0)), entry);
  std::printf("a repeat, as Segment's multi-status entry: %s\n", entry.c_str());
  bool ok = inserted == expected && unexpected == 0 && duplicates == 20 &&
            asyncInserted == asyncCalls && warnings == 0 &&
            measured == static_cast<long>(s.deliveries) && s.connectionsOpened <= options.parallel;
  std::printf("%s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
