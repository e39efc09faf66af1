#include "spool/log_layout.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

namespace actions::spool {
namespace {
constexpr std::string_view kPrefix = "segment-";
constexpr std::string_view kSuffix = ".log";
constexpr std::size_t kDigits = 20;
}  // namespace

void WaitingRecords::add(std::uint64_t first, std::uint64_t last, std::int64_t atMs) {
  if (!runs_.empty() && runs_.back().last + 1 == first && atMs - runs_.back().atMs < 1000)
    runs_.back().last = last;
  else
    runs_.push_back(Run{first, last, atMs});
  count_ += last - first + 1;
}

void WaitingRecords::deliveredUpTo(std::uint64_t sequence) {
  while (!runs_.empty() && runs_.front().first <= sequence) {
    Run& r = runs_.front();
    std::uint64_t upTo = std::min(r.last, sequence);
    count_ -= upTo - r.first + 1;
    if (upTo == r.last)
      runs_.pop_front();
    else
      r.first = upTo + 1;
  }
}

std::optional<std::int64_t> WaitingRecords::oldestAtMs() const {
  if (runs_.empty()) return std::nullopt;
  return runs_.front().atMs;
}

std::string segmentFileName(std::uint64_t first) {
  char name[64];
  std::snprintf(name, sizeof name, "segment-%020llu.log", static_cast<unsigned long long>(first));
  return name;
}

std::optional<std::uint64_t> segmentFileNumber(const std::string& name) {
  if (name.size() != kPrefix.size() + kDigits + kSuffix.size() ||
      name.compare(0, kPrefix.size(), kPrefix) != 0 ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0)
    return std::nullopt;
  std::string digits = name.substr(kPrefix.size(), kDigits);
  if (digits.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoull(digits);
}

}  // namespace actions::spool
