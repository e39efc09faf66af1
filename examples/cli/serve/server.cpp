#include "server.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <condition_variable>
#include <csignal>
#include <cstdlib>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "acceptance_service.h"
#include "actions/mapping/mapping.h"
#include "actions/subscription.h"
#include "database_check.h"
#include "destinations.h"
#include "limits.h"
#include "listener.h"
#include "log.h"
#include "metrics.h"
#include "routes.h"
#include "session.h"

namespace serve {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

constexpr std::chrono::milliseconds kDrainPoll{50};

std::unique_ptr<Destinations> makeDestinations(const Config& config,
                                               const actions::Settings& settings) {
  try {
    return std::make_unique<Destinations>(settings, config.send);
  } catch (const actions::mapping::InvalidMapping& e) {
    LogLine line("start", "error");
    line.add("error", "invalid mapping");
    std::string problems;
    for (const auto& p : e.problems()) problems += (problems.empty() ? "" : "; ") + p;
    line.add("problems", problems).write();
  } catch (const actions::InvalidSubscription& e) {
    LogLine("start", "error")
        .add("error", std::string("invalid subscription: ") + e.what())
        .write();
  } catch (const std::exception& e) {
    LogLine("start", "error").add("error", e.what()).write();
  }
  return nullptr;
}

constexpr std::chrono::seconds kSpoolDrainDefault{10};
// What the end of the drain needs after the spool's deliveries are told to stop, besides the one
// in progress: the last log line, the checks' thread.
constexpr std::chrono::seconds kStopAllowance{1};

// The acceptance --ack asks for; null when the spool cannot be opened (the reason is logged).
std::unique_ptr<AcceptanceService> openAcceptance(const Config& config,
                                                  actions::Destination& destination) {
  try {
    return std::make_unique<AcceptanceService>(config, destination);
  } catch (const actions::SpoolError& e) {
    LogLine("start", "error").add("error", e.what()).write();
  } catch (const std::invalid_argument& e) {
    LogLine("start", "error").add("error", std::string("spool options: ") + e.what()).write();
  }
  return nullptr;
}

const char* signalName(int signal) {
  return signal == SIGTERM ? "SIGTERM" : signal == SIGINT ? "SIGINT" : "signal";
}

// Ends the process when the drain has not ended by its deadline (--drain-timeout): requests
// still waiting on a stalled database are cut, their clients retry (a messageId is stored once).
class DrainDeadline {
 public:
  ~DrainDeadline() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  void start(std::chrono::steady_clock::duration timeout, const Metrics& metrics) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    thread_ = std::thread([this, deadline, timeout, &metrics] {
      std::unique_lock<std::mutex> lock(mutex_);
      if (wake_.wait_until(lock, deadline, [&] { return done_; })) return;
      LogLine("stop", "error")
          .add("drained", false)
          .add("error",
               "the drain did not end within --drain-timeout (" +
                   std::to_string(
                       std::chrono::duration_cast<std::chrono::seconds>(timeout).count()) +
                   " s): requests in flight were cut, and what the spool holds stays on disk")
          .add("requestsInFlight", static_cast<std::int64_t>(metrics.requestsInFlight.load()))
          .write();
      std::_Exit(1);
    });
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool done_ = false;
  std::thread thread_;
};

}  // namespace

int run(const Config& config, const actions::Settings& settings) {
  std::unique_ptr<Destinations> destinations = makeDestinations(config, settings);
  if (!destinations) return 2;

  std::unique_ptr<AcceptanceService> accepting = openAcceptance(config, destinations->main());
  if (!accepting) return 2;

  Metrics metrics;
  ByteBudget budget(config.limits.maxBytesInFlight, metrics.bytesInFlight);
  ByteBudget keylessBudget(config.limits.maxKeylessBytesInFlight, metrics.keylessBytesInFlight);
  ConnectionGate gate(config.limits.maxConnections, config.limits.maxConnectionsPerAddress);
  std::atomic<bool> draining{false};
  std::unique_ptr<Routes> routesOwned;
  try {
    routesOwned =
        std::make_unique<Routes>(config, *destinations, accepting->acceptance(), metrics, draining);
  } catch (const std::exception& e) {  // --rejects cannot be opened, --sdk-dir read
    LogLine("start", "error").add("error", e.what()).write();
    return 2;
  }
  Routes& routes = *routesOwned;
  // /ready's view of the database, checked in the background from the start on.
  DatabaseCheck databaseCheck(destinations->mainShared());
  routes.useDatabaseCheck(&databaseCheck);
  asio::thread_pool workers(config.workers);
  asio::io_context ioc(static_cast<int>(config.ioThreads));
  // From here on SIGTERM / SIGINT wait for the handler below instead of ending the process.
  asio::signal_set signals(ioc, SIGINT, SIGTERM);
  SessionContext context{config, routes, metrics, budget, keylessBudget, workers, draining, {}, {}};

  std::shared_ptr<Listener> listener;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(config.host, ec);
  if (ec) {
    LogLine("start", "error").add("error", "not an IP address: " + config.host).write();
    return 2;
  }
  try {
    listener = std::make_shared<Listener>(ioc, tcp::endpoint(address, config.port), context, gate);
  } catch (const boost::system::system_error& e) {
    LogLine("start", "error")
        .add("error", "cannot listen on " + config.host + ":" + std::to_string(config.port) + ": " +
                          e.code().message())
        .write();
    return 2;
  }
  tcp::endpoint bound = listener->endpoint();

  // The database need not be up to start: say whether it answers, and /ready tells the rest.
  std::string why = databaseCheck.start();
  LogLine("start")
      .add("listen", bound.address().to_string() + ":" + std::to_string(bound.port()))
      .add("database", settings.database())
      .add("table", settings.table())
      .add("writeKeys", config.writeKeys.size())
      .add("anonymous", config.allowAnonymous)
      .add("ack", config.ack == Ack::Spool ? "spool" : "table")
      .add("spool", accepting->spoolDirectory())
      .add("ioThreads", config.ioThreads)
      .add("workers", config.workers)
      .add("batchSize", destinations->main().batchSize())
      .add("databaseReady", why.empty())
      .write();
  if (!why.empty()) LogLine("ready", "warn").add("error", why).write();

  // Keeps the socket threads running while requests are with the workers (no socket operation
  // is pending then); released once the drain is over.
  auto guard = asio::make_work_guard(ioc);
  DrainDeadline deadline;
  asio::steady_timer drainTimer(ioc);
  auto drainStart = std::chrono::steady_clock::now();
  std::function<void()> pollDrain = [&] {
    drainTimer.expires_after(kDrainPoll);
    drainTimer.async_wait([&](boost::system::error_code) {
      if (context.sessionCount() > 0) return pollDrain();
      signals.cancel();
      guard.reset();
    });
  };
  signals.async_wait([&](boost::system::error_code e, int signal) {
    if (e) return;
    draining = true;
    drainStart = std::chrono::steady_clock::now();
    deadline.start(config.limits.drainTimeout, metrics);
    LogLine("drain")
        .add("signal", signalName(signal))
        .add("deadlineSeconds", static_cast<std::int64_t>(config.limits.drainTimeout.count()))
        .add("connections", context.sessionCount())
        .add("requestsInFlight", static_cast<std::int64_t>(metrics.requestsInFlight.load()))
        .write();
    listener->stop();
    std::vector<std::shared_ptr<Session>> alive;
    {
      std::lock_guard<std::mutex> lock(context.mutex);
      for (auto& [_, weak] : context.sessions)
        if (auto s = weak.lock()) alive.push_back(std::move(s));
    }
    for (auto& s : alive) s->closeIfIdle();
    alive.clear();
    // A second signal ends the process at once.
    signals.async_wait([](boost::system::error_code e2, int signal2) {
      if (e2) return;
      LogLine("stop", "error").add("signal", signalName(signal2)).add("drained", false).write();
      std::_Exit(1);
    });
    pollDrain();
  });

  listener->start();
  std::vector<std::thread> threads;
  for (unsigned i = 1; i < config.ioThreads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  workers.join();
  // Every request is answered; what the spool still holds is delivered for up to --retry-for
  // more, within the drain's deadline: the spool's deliveries are stopped with time left for the
  // one in progress to return (within --retry-for), and the rest stays on disk for the next start.
  auto now = std::chrono::steady_clock::now();
  auto retryFor = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      config.send.retryFor.value_or(kSpoolDrainDefault));
  auto spoolDeadline =
      std::max(now, std::min(now + retryFor,
                             drainStart + config.limits.drainTimeout - retryFor - kStopAllowance));
  std::uint64_t spoolLeft = accepting->finish(spoolDeadline);
  databaseCheck.stop();

  auto stats = destinations->stats();
  LogLine("stop")
      .add("drained", true)
      .add("drainMs",
           std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - drainStart)
               .count())
      .add("events", static_cast<std::int64_t>(stats.events))
      .add("inserted", static_cast<std::int64_t>(stats.inserted))
      .add("duplicate", static_cast<std::int64_t>(stats.duplicate))
      .add("rejected", static_cast<std::int64_t>(stats.rejected))
      .add("failed", static_cast<std::int64_t>(stats.failed))
      .add("spoolWaiting", static_cast<std::int64_t>(spoolLeft))
      .write();
  return 0;
}

}  // namespace serve
