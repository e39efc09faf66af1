// Fills a spool with a backlog, as `serve --ack spool` would have while the database was away:
// the valid events of a file resolved once (Destination::resolve, the Send Data payloads; a
// repeated messageId kept once, so that every record becomes a row), then appended
// again and again under new messageIds ("r<k>-<id>") in requests of 200 until TOTAL records.
// bench/spool_bench.sh then times how long `serve` takes to deliver them all.
// usage: spool_backlog SPOOL_DIR SETTINGS EVENTS_FILE TOTAL
// prints {"records":N,"bytes":B,"seconds":S}
#include <actions/destination.h>
#include <actions/settings.h>
#include <actions/spool.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: spool_backlog SPOOL_DIR SETTINGS EVENTS_FILE TOTAL\n");
    return 2;
  }
  auto settings = actions::loadSettingsFile(argv[2], std::getenv("SINGLESTORE_PASSWORD"));
  if (!settings.ok()) {
    std::fprintf(stderr, "spool_backlog: invalid settings %s\n", argv[2]);
    return 2;
  }
  const std::uint64_t total = std::strtoull(argv[4], nullptr, 10);
  std::vector<std::string> lines;
  std::ifstream in(argv[3]);
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  actions::Destination destination(*settings.settings);
  std::vector<std::string> payloads;
  std::set<std::string> seen;  // each messageId once: every record becomes a row
  const std::string prefix = "{\"messageId\":\"";
  for (std::size_t at = 0; at < lines.size(); at += 1000) {
    std::vector<std::string_view> block;
    for (std::size_t i = at; i < lines.size() && i < at + 1000; ++i) block.emplace_back(lines[i]);
    for (auto& r : destination.resolve(block))
      if (r.result.outcome == actions::Outcome::Validated && r.result.messageId &&
          seen.insert(*r.result.messageId).second &&
          r.payloadJson.compare(0, prefix.size(), prefix) == 0)
        payloads.push_back(std::move(r.payloadJson));
  }
  if (payloads.empty()) {
    std::fprintf(stderr, "spool_backlog: no valid event in %s\n", argv[3]);
    return 1;
  }
  auto start = std::chrono::steady_clock::now();
  actions::Spool spool(argv[1]);
  std::uint64_t appended = 0;
  std::vector<std::string> request;
  for (std::uint64_t k = 0; appended < total; ++k) {
    for (std::size_t i = 0; i < payloads.size() && appended < total; ++i, ++appended) {
      request.push_back(prefix + "r" + std::to_string(k) + "-" + payloads[i].substr(prefix.size()));
      if (request.size() == 200 || appended + 1 == total) {
        std::vector<std::string_view> views(request.begin(), request.end());
        auto r = spool.append(views);
        if (!r.ok()) {
          std::fprintf(stderr, "spool_backlog: %s\n", r.error.c_str());
          return 1;
        }
        request.clear();
      }
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("{\"records\":%llu,\"bytes\":%llu,\"seconds\":%.3f}\n",
              static_cast<unsigned long long>(spool.stats().recordsWaiting),
              static_cast<unsigned long long>(spool.stats().bytes), seconds);
  return 0;
}
