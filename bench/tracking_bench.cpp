// Segment's tracking-API rules on realistic events (bench/data/events.ndjson): what reading one
// request costs `serve` before the mapping runs — the body read with the library's JSON reader,
// the write key judged, Segment's fields added, each event written out as text. Items per second
// are events per second on one core, for a /v1/batch request of 200 events, a /v1/b request of 20
// and a /v1/t request of one.
#include <benchmark/benchmark.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "actions/tracking.h"

namespace {

using namespace actions::tracking;

std::vector<std::string> eventLines() {
  std::ifstream in(std::string(ACTIONS_BENCH_DATA_DIR) + "/events.ndjson", std::ios::binary);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    // As a device sends them: without the receivedAt of a tracking API upstream, so the clock
    // correction runs.
    if (auto at = line.find("\"receivedAt\":\""); at != std::string::npos)
      line.erase(at, line.find('"', at + 14) + 2 - at);
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

std::string body(const std::string& path, std::size_t events) {
  static const std::vector<std::string> lines = eventLines();
  std::string joined;
  for (std::size_t i = 0; i < events; ++i) joined += (i ? "," : "") + lines[i % lines.size()];
  if (path == "/v1/batch") return "{\"batch\":[" + joined + "]}";
  if (path == "/v1/b")
    return "{\"writeKey\":\"wk\",\"batch\":[" + joined + "],\"sentAt\":\"2026-03-01T12:00:00Z\"}";
  return lines[0];
}

void readRequest(benchmark::State& state, const std::string& path, std::size_t events) {
  Options o;
  o.writeKeys = {{"wk", "website"}};
  TrackingApi api(o);
  std::string text = body(path, events);
  Request r;
  r.endpoint = endpointFor(path);
  r.body = text;
  r.authorization = "Basic d2s6";  // "wk:"
  r.peerAddress = "203.0.113.9";
  for (auto _ : state) {
    Intake in = api.read(r);
    if (in.accepted.size() != events) state.SkipWithError(("refused: " + in.error).c_str());
    benchmark::DoNotOptimize(in);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * events));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_BatchOf200(benchmark::State& state) {
  readRequest(state, "/v1/batch", 200);
}
void BM_ClientBatchOf20(benchmark::State& state) {
  readRequest(state, "/v1/b", 20);
}
void BM_SingleEvent(benchmark::State& state) {
  readRequest(state, "/v1/t", 1);
}
BENCHMARK(BM_BatchOf200);
BENCHMARK(BM_ClientBatchOf20);
BENCHMARK(BM_SingleEvent);

}  // namespace

BENCHMARK_MAIN();
