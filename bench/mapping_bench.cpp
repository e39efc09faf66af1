// Compiled-mapping apply over realistic events (bench/data/events.ndjson, 2,000 events from the
// shared event generator, seed 7): the default Send Data mapping and a heavy one (template,
// arrayPath, merge, replace); and the whole per-event work of `send --dry-run` (dryRunEvent).
// Items per second are events per second on one core.
#include <benchmark/benchmark.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "actions/mapping/mapping.h"
#include "json/json.h"
#include "kit/prepared_action.h"
#include "mapping/mapping.h"
#include "singlestore/definition.h"

namespace {

using actions::json::Document;

std::string readText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::vector<std::string>& eventLines() {
  static const std::vector<std::string> lines = [] {
    std::vector<std::string> out;
    std::istringstream in(readText(std::string(ACTIONS_BENCH_DATA_DIR) + "/events.ndjson"));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(line);
    return out;
  }();
  return lines;
}

// The events parsed once, so the apply benchmarks measure mapping alone.
const std::vector<std::unique_ptr<Document>>& parsedEvents() {
  static const std::vector<std::unique_ptr<Document>> events = [] {
    std::vector<std::unique_ptr<Document>> out;
    for (const auto& line : eventLines()) {
      auto d = std::make_unique<Document>();
      if (!actions::json::parse(line, *d)) out.push_back(std::move(d));
    }
    return out;
  }();
  return events;
}

std::string mappingText(const char* which) {
  return which == std::string("send_data")
             ? readText(std::string(ACTIONS_SOURCE_DIR) + "/mappings/send_data.json")
             : readText(std::string(ACTIONS_BENCH_DATA_DIR) + "/heavy_mapping.json");
}

actions::mapping::CompiledMapping compiled(const char* which) {
  Document m;
  actions::json::parse(mappingText(which), m);
  return actions::mapping::CompiledMapping::compile(m);
}

// Mapping only: parsed event in, mapped value out (the output's pool reused per event).
void applyCompiled(benchmark::State& state, const char* which) {
  auto mapping = compiled(which);
  const auto& events = parsedEvents();
  Document out;
  std::size_t i = 0;
  for (auto _ : state) {
    out.SetNull();
    out.GetAllocator().Clear();
    bool defined = mapping.apply(*events[i], out, out.GetAllocator());
    benchmark::DoNotOptimize(defined);
    if (++i == events.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// Text to text, as the CLI and the Node pipeline do it: parse, map, serialize.
void applyText(benchmark::State& state, const char* which) {
  auto mapping = actions::mapping::Mapping::fromJson(mappingText(which));
  const auto& lines = eventLines();
  actions::mapping::Transformed result;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    mapping.apply(lines[i], result);
    bytes += lines[i].size();
    benchmark::DoNotOptimize(result.output.data());
    if (++i == lines.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

// One event of `send --dry-run` on one thread, as the CLI's resolvers run it: parse the text,
// resolve it through the Send Data action (subscription, mapping, empty-value removal,
// validation, the destination's own checks) and write the payload as JSON. The event's memory
// is reused for the next one.
void dryRunEvent(benchmark::State& state) {
  namespace kit = actions::kit;
  namespace ss = actions::singlestore;
  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  kit::PreparedAction prepared(*action, kit::ActionOptions{});
  Document settings;
  settings.SetObject();
  const auto& lines = eventLines();
  actions::json::Allocator alloc;
  std::string line;
  std::size_t i = 0, bytes = 0, valid = 0;
  for (auto _ : state) {
    {
      Document event(&alloc);
      actions::json::Value payload;
      line.clear();
      if (!actions::json::parse(lines[i], event) &&
          prepared.resolve(event, settings, payload, alloc).valid()) {
        actions::json::stringify(payload, line);
        ++valid;
      }
      benchmark::DoNotOptimize(line.data());
    }
    alloc.Clear();
    bytes += lines[i].size();
    if (++i == lines.size()) i = 0;
  }
  if (valid == 0) state.SkipWithError("no event was valid");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}

void compileMapping(benchmark::State& state, const char* which) {
  Document m;
  actions::json::parse(mappingText(which), m);
  for (auto _ : state) benchmark::DoNotOptimize(actions::mapping::CompiledMapping::compile(m));
}

}  // namespace

BENCHMARK_CAPTURE(applyCompiled, send_data, "send_data");
BENCHMARK_CAPTURE(applyCompiled, heavy, "heavy");
BENCHMARK_CAPTURE(applyText, send_data, "send_data");
BENCHMARK_CAPTURE(applyText, heavy, "heavy");
BENCHMARK_CAPTURE(compileMapping, heavy, "heavy");
BENCHMARK(dryRunEvent);

BENCHMARK_MAIN();
