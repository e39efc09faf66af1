#include "progress.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace cli {

std::string compactCount(std::uint64_t n) {
  if (n < 10000) return std::to_string(n);
  const char* units[] = {"k", "M", "G", "T"};
  double v = static_cast<double>(n);
  int u = -1;
  while (v >= 999.95 && u < 3) {
    v /= 1000;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf,
                v < 9.995   ? "%.2f%s"
                : v < 99.95 ? "%.1f%s"
                            : "%.0f%s",
                v, units[u]);
  return buf;
}

std::string clockTime(double seconds) {
  long long s = std::llround(std::max(0.0, seconds));
  char buf[32];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

namespace {

struct Part {
  std::string text;
  int priority;  // 0 is kept first
};

// The parts in display order; the fitting keeps the most useful ones.
std::vector<Part> parts(const ProgressSnapshot& p) {
  std::vector<Part> out;
  bool sized = p.totalBytes && *p.totalBytes > 0;
  double fraction = -1;
  if (sized) {
    double readShare = p.read ? static_cast<double>(p.done) / static_cast<double>(p.read) : 0;
    double byteShare =
        p.inputEnded
            ? 1.0
            : std::min(1.0, static_cast<double>(p.bytesRead) / static_cast<double>(*p.totalBytes));
    fraction = byteShare * readShare;
    // 100% only once everything is done.
    int percent = static_cast<int>(fraction * 100);
    if (percent >= 100 && !(p.inputEnded && p.done == p.read)) percent = 99;
    out.push_back({std::to_string(percent) + "%", 0});
  }
  std::string events = compactCount(p.done);
  if (p.inputEnded) {
    events += "/" + compactCount(p.read);
  } else if (sized && p.bytesRead > 0) {
    double estimate = static_cast<double>(p.read) * static_cast<double>(*p.totalBytes) /
                      static_cast<double>(p.bytesRead);
    events += "/~" + compactCount(static_cast<std::uint64_t>(std::max<double>(estimate, p.read)));
  }
  events += p.done == 1 && !p.inputEnded && !sized ? " event" : " events";
  out.push_back({events, 0});

  if (p.waitingForDatabase > 0) {
    out.push_back(
        {"waiting for the database " + std::to_string(std::lround(p.waitingForDatabase)) + " s",
         0});
    if (p.retryFor)
      out.push_back({"(retries up to " + std::to_string(std::lround(*p.retryFor)) + " s)", 2});
  } else if (p.elapsed > 0) {
    out.push_back({compactCount(static_cast<std::uint64_t>(p.done / p.elapsed)) + " ev/s", 1});
  }
  out.push_back({clockTime(p.elapsed), 3});
  if (fraction > 0 && fraction < 1 && p.waitingForDatabase <= 0)
    out.push_back({"ETA " + clockTime(p.elapsed * (1 - fraction) / fraction), 2});

  auto count = [&](std::uint64_t n, const char* label, int priority, bool always) {
    if (n || always) out.push_back({compactCount(n) + " " + label, priority});
  };
  if (p.dryRun) {
    count(p.valid, "valid", 4, true);
  } else {
    count(p.inserted, "inserted", 4, true);
    count(p.duplicate, "duplicate", 6, false);
  }
  count(p.skipped, "skipped", 7, false);
  count(p.rejected, "rejected", 5, false);
  if (!p.dryRun) count(p.failed, "failed", 4, false);
  return out;
}

}  // namespace

std::string formatProgress(const ProgressSnapshot& snapshot, std::size_t width) {
  const std::string gap = "  ";
  auto all = parts(snapshot);
  std::vector<bool> keep(all.size(), false);
  std::size_t used = 0;
  for (int priority = 0; priority <= 7; ++priority)
    for (std::size_t i = 0; i < all.size(); ++i) {
      if (all[i].priority != priority) continue;
      std::size_t cost = all[i].text.size() + (used ? gap.size() : 0);
      if (used + cost <= width || used == 0) {
        keep[i] = true;
        used += cost;
      }
    }
  std::string line;
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (!keep[i]) continue;
    if (!line.empty()) line += gap;
    line += all[i].text;
  }
  if (line.size() > width) line.resize(width);
  return line;
}

std::size_t terminalWidth() {
  winsize ws{};
  if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 80;
}

ProgressDisplay::ProgressDisplay(bool enabled, std::function<void(ProgressSnapshot&)> sample)
    : enabled_(enabled), sample_(std::move(sample)), start_(std::chrono::steady_clock::now()) {
  if (enabled_) thread_ = std::thread([this] { run(); });
}

ProgressDisplay::~ProgressDisplay() {
  stop();
}

void ProgressDisplay::stop() {
  if (!thread_.joinable()) return;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  if (drawn_) {
    static const char clear[] = "\r\033[K";
    [[maybe_unused]] auto n = ::write(STDERR_FILENO, clear, sizeof clear - 1);
  }
}

void ProgressDisplay::run() {
  std::unique_lock<std::mutex> lock(mutex_);
  // A run that ends within a second shows no progress at all.
  if (wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; })) return;
  do {
    lock.unlock();
    draw();
    lock.lock();
  } while (!wake_.wait_for(lock, std::chrono::milliseconds(250), [&] { return stopping_; }));
}

void ProgressDisplay::draw() {
  ProgressSnapshot s;
  sample_(s);
  s.elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  // One column short of the width: a line that fills the last column makes some terminals
  // wrap at once.
  std::size_t width = terminalWidth();
  std::string out = "\r" + formatProgress(s, width > 1 ? width - 1 : 1) + "\033[K";
  [[maybe_unused]] auto n = ::write(STDERR_FILENO, out.data(), out.size());
  drawn_ = true;
}

}  // namespace cli
