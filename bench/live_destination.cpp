// The live destination's figures, as a host runtime meets them (docs/performance.md):
//   perform      p50 / p99 of one Destination::perform on a warm Destination
//   batch10      performBatch of 10 events: a warm Destination versus a Sender built per request
//                (time per request, and connections the server saw opened)
// Prints one JSON line per figure. Every event carries a fresh messageId: each is a real insert.
//
// usage: live_destination SETTINGS.json [PERFORM_COUNT] [REQUESTS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "actions/destination.h"
#include "actions/sender.h"
#include "actions/settings.h"
#include "db/connection.h"
#include "percentile.h"
#include "singlestore/settings.h"

namespace {

using Clock = std::chrono::steady_clock;

double microsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::micro>(Clock::now() - t).count();
}

std::string eventJson(const std::string& id) {
  return R"({"messageId":")" + id +
         R"(","type":"track","event":"Order Completed","timestamp":"2026-01-01T00:00:00.000Z",)"
         R"("userId":"u1","properties":{"total":42.5,"currency":"EUR","items":[{"sku":"a"}]}})";
}

// The server's count of connections ever opened (every client's).
long serverConnections(actions::db::Connection& c) {
  auto rows = c.query("SHOW GLOBAL STATUS LIKE 'Connections'");
  return std::stol(*rows.at(0).at(1));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s SETTINGS.json [PERFORM_COUNT] [REQUESTS]\n", argv[0]);
    return 2;
  }
  const std::size_t performCount = argc > 2 ? std::stoul(argv[2]) : 2000;
  const std::size_t requests = argc > 3 ? std::stoul(argv[3]) : 300;
  auto check = actions::loadSettingsFile(argv[1]);
  auto internal = actions::singlestore::loadSettingsFile(argv[1]);
  if (!check.ok() || !internal.settings) {
    std::fprintf(stderr, "invalid settings\n");
    return 2;
  }
  actions::db::Connection probe(internal.settings->connectOptions());
  const std::string run = std::to_string(Clock::now().time_since_epoch().count());
  std::size_t serial = 0;
  auto nextId = [&] { return "bench-" + run + "-" + std::to_string(serial++); };

  // perform on a warm Destination.
  {
    actions::Destination dest(*check.settings);
    for (int i = 0; i < 100; ++i) dest.perform(eventJson(nextId()));  // warm-up
    std::vector<double> us;
    us.reserve(performCount);
    for (std::size_t i = 0; i < performCount; ++i) {
      std::string e = eventJson(nextId());
      auto t = Clock::now();
      auto r = dest.perform(e);
      us.push_back(microsSince(t));
      if (r.outcome != actions::Outcome::Inserted) {
        std::fprintf(stderr, "perform: %s %s\n", actions::toString(r.outcome), r.error.c_str());
        return 1;
      }
    }
    std::printf("{\"figure\":\"perform\",\"count\":%zu,\"p50_us\":%.0f,\"p99_us\":%.0f}\n",
                performCount, bench::percentile(us, 0.5), bench::percentile(us, 0.99));
  }

  // performBatch of 10 events: one warm Destination, against a Sender built for each request.
  auto batchOf10 = [&](std::vector<std::string>& texts, std::vector<std::string_view>& views) {
    texts.clear();
    views.clear();
    for (int k = 0; k < 10; ++k) texts.push_back(eventJson(nextId()));
    for (const auto& t : texts) views.push_back(t);
  };
  std::vector<std::string> texts;
  std::vector<std::string_view> views;
  double destP50 = 0, destP99 = 0, senderP50 = 0, senderP99 = 0;
  long destConnections = 0, senderConnections = 0;
  {
    actions::Destination dest(*check.settings);
    batchOf10(texts, views);
    dest.performBatch(views);  // warm-up: the pool's connections are open from here on
    long before = serverConnections(probe);
    std::vector<double> us;
    for (std::size_t i = 0; i < requests; ++i) {
      batchOf10(texts, views);
      auto t = Clock::now();
      dest.performBatch(views);
      us.push_back(microsSince(t));
    }
    destConnections = serverConnections(probe) - before;
    destP50 = bench::percentile(us, 0.5);
    destP99 = bench::percentile(us, 0.99);
  }
  {
    long before = serverConnections(probe);
    std::vector<double> us;
    for (std::size_t i = 0; i < requests; ++i) {
      batchOf10(texts, views);
      auto t = Clock::now();
      actions::Sender sender(&*check.settings, actions::SendOptions{},
                             [](const actions::EventRecord&) {});
      for (std::size_t k = 0; k < texts.size(); ++k) sender.add(k, texts[k]);
      sender.finish();
      us.push_back(microsSince(t));
    }
    senderConnections = serverConnections(probe) - before;
    senderP50 = bench::percentile(us, 0.5);
    senderP99 = bench::percentile(us, 0.99);
  }
  std::printf(
      "{\"figure\":\"batch10\",\"requests\":%zu,\"destination_p50_us\":%.0f,"
      "\"destination_p99_us\":%.0f,\"destination_connections\":%ld,\"sender_p50_us\":%.0f,"
      "\"sender_p99_us\":%.0f,\"sender_connections\":%ld}\n",
      requests, destP50, destP99, destConnections, senderP50, senderP99, senderConnections);
  return 0;
}
