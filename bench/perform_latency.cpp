// Latency of a single perform() on loopback: each event goes alone through the Send Data action
// (subscription, mapping, validation, then its delivery: performBatch of one -> writer -> one bulk
// statement in a transaction) into the server named by the settings. Prints p50 / p99 / max in
// microseconds as one JSON line.
//
// usage: perform_latency SETTINGS.json EVENTS.ndjson [COUNT] [WARMUP]
// Every event must carry a fresh messageId (so each one is a real insert, not a duplicate).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "json/json.h"
#include "kit/executor.h"
#include "percentile.h"
#include "singlestore/definition.h"
#include "singlestore/settings.h"

namespace {

namespace json = actions::json;
namespace kit = actions::kit;
namespace ss = actions::singlestore;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SETTINGS.json EVENTS.ndjson [COUNT] [WARMUP]\n", argv[0]);
    return 2;
  }
  const std::size_t count = argc > 3 ? std::stoul(argv[3]) : 2000;
  const std::size_t warmup = argc > 4 ? std::stoul(argv[4]) : 50;

  auto loaded = ss::loadSettingsFile(argv[1]);
  if (!loaded.validated) {
    for (const auto& p : loaded.problems) std::fprintf(stderr, "invalid settings: %s\n", p.c_str());
    return 2;
  }
  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  kit::ActionExecutor executor(*action, *loaded.validated, kit::ActionOptions{});

  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[2]);
    return 2;
  }
  std::vector<double> micros;
  micros.reserve(count);
  std::size_t seen = 0, undelivered = 0;
  std::string line;
  json::Document event;
  json::Allocator alloc;
  while (micros.size() < count && std::getline(in, line)) {
    if (line.empty() || json::parse(line, event)) continue;
    alloc.Clear();
    auto start = std::chrono::steady_clock::now();
    json::Value payload;
    kit::EventResult result;
    kit::Resolution resolution = executor.resolve(event, payload, alloc, false);
    if (resolution.valid()) {
      const json::Value* one[] = {&payload};
      executor.deliver(one, std::span<kit::EventResult>(&result, 1));
    } else {
      result = resolution.result();
    }
    auto elapsed = std::chrono::steady_clock::now() - start;
    if (result.outcome != kit::Outcome::Inserted) {
      ++undelivered;
      if (undelivered <= 3)
        std::fprintf(stderr, "event %zu: %s %s\n", seen, kit::toString(result.outcome),
                     result.error.c_str());
    }
    if (seen++ >= warmup)
      micros.push_back(std::chrono::duration<double, std::micro>(elapsed).count());
  }
  std::sort(micros.begin(), micros.end());
  std::printf(
      "{\"events\":%zu,\"not_inserted\":%zu,\"p50_us\":%.0f,\"p99_us\":%.0f,\"max_us\":%.0f}\n",
      micros.size(), undelivered, bench::percentile(micros, 0.50), bench::percentile(micros, 0.99),
      micros.empty() ? 0.0 : micros.back());
  return undelivered ? 1 : 0;
}
