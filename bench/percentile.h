// The benches' percentile: the value at rank p (0..1) of the samples, nearest rank.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace bench {

inline double percentile(std::vector<double> samples, double p) {
  if (samples.empty()) return 0;
  std::sort(samples.begin(), samples.end());
  std::size_t rank = static_cast<std::size_t>(p * static_cast<double>(samples.size() - 1) + 0.5);
  return samples[std::min(rank, samples.size() - 1)];
}

}  // namespace bench
