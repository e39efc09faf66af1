// Event-to-row latency of a stream: `actions-singlestore send -` fed at a steady rate through a
// pipe, as a log shipper would feed it, while the table's row count is read every few
// milliseconds. Event k counts as queryable when the count first reaches k + 1 (rows of one
// stream arrive in about the order they were written). Prints p50 / p99 / max as one JSON line.
//
// usage: stream_latency CLI SETTINGS.json RATE SECONDS [EXTRA SEND ARGS...]
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "db/connection.h"
#include "percentile.h"
#include "singlestore/settings.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s CLI SETTINGS.json RATE SECONDS [SEND ARGS...]\n", argv[0]);
    return 2;
  }
  const std::string cli = argv[1];
  const double rate = std::stod(argv[3]), seconds = std::stod(argv[4]);
  const std::size_t total = static_cast<std::size_t>(rate * seconds);

  // A table of its own, so the count is this stream's alone.
  std::ifstream in(argv[2]);
  std::stringstream ss;
  ss << in.rdbuf();
  auto loaded = actions::singlestore::parseSettings(ss.str(), nullptr);
  if (!loaded.settings) {
    std::fprintf(stderr, "invalid settings\n");
    return 2;
  }
  const std::string table =
      "stream_latency_" + std::to_string(Clock::now().time_since_epoch().count() % 1000000000);
  std::string settingsPath = "/tmp/stream_latency_" + std::to_string(getpid()) + ".json";
  {
    std::string text = ss.str();
    auto brace = text.rfind('}');
    text.insert(brace, ",\"tableName\":\"" + table + "\"");
    std::ofstream(settingsPath) << text;
  }

  int fds[2];
  if (pipe(fds) != 0) return 1;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
  posix_spawn_file_actions_addclose(&actions, fds[1]);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> args = {cli, "send", "--settings", settingsPath, "-"};
  for (int i = 5; i < argc; ++i) args.push_back(argv[i]);
  std::vector<char*> argvSend;
  for (auto& a : args) argvSend.push_back(a.data());
  argvSend.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, cli.c_str(), &actions, nullptr, argvSend.data(), environ) != 0) return 1;
  close(fds[0]);

  actions::db::Connection probe(loaded.settings->connectOptions());
  std::string count = "SELECT COUNT(*) FROM `" + loaded.settings->dbName + "`.`" + table + "`";
  // The first event creates the table; give the sender a moment to connect.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));

  std::vector<Clock::time_point> written(total), seen(total);
  std::atomic<bool> writing{true};
  const std::string run = std::to_string(Clock::now().time_since_epoch().count());
  std::thread feeder([&] {
    auto start = Clock::now();
    for (std::size_t k = 0; k < total; ++k) {
      auto due = start + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(static_cast<double>(k) / rate));
      std::this_thread::sleep_until(due);
      std::string line = R"({"messageId":"s-)" + run + "-" + std::to_string(k) +
                         R"(","type":"track","event":"Tick","timestamp":"2026-01-01T00:00:00Z",)"
                         R"("properties":{"k":)" +
                         std::to_string(k) + "}}\n";
      written[k] = Clock::now();
      if (write(fds[1], line.data(), line.size()) != static_cast<ssize_t>(line.size())) break;
    }
    writing = false;
  });

  std::size_t known = 0;
  auto giveUp = Clock::now() + std::chrono::duration<double>(seconds + 30);
  while (known < total && Clock::now() < giveUp) {
    std::size_t n = 0;
    try {
      auto rows = probe.query(count);
      n = std::stoul(*rows.at(0).at(0));
    } catch (const std::exception&) {
      n = 0;  // not created yet
    }
    auto now = Clock::now();
    for (; known < std::min(n, total); ++known) seen[known] = now;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  feeder.join();
  close(fds[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  std::remove(settingsPath.c_str());
  probe.execute("DROP TABLE IF EXISTS `" + loaded.settings->dbName + "`.`" + table + "`");

  std::vector<double> ms;
  for (std::size_t k = 0; k < known; ++k)
    ms.push_back(std::chrono::duration<double, std::milli>(seen[k] - written[k]).count());
  std::printf(
      "{\"figure\":\"stream\",\"rate\":%.0f,\"events\":%zu,\"stored\":%zu,\"p50_ms\":%.0f,"
      "\"p99_ms\":%.0f,\"max_ms\":%.0f,\"exit\":%d}\n",
      rate, total, known, bench::percentile(ms, 0.5), bench::percentile(ms, 0.99),
      ms.empty() ? 0.0 : *std::max_element(ms.begin(), ms.end()),
      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return known == total ? 0 : 1;
}
