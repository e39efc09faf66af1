// The bounds of one template: Segment's own (template length, memory accounting) and the ones
// that stand in for its 500 ms render time limit, so no template can run away.
#pragma once

#include <cstddef>

namespace actions::liquid {

// Segment refuses longer templates (counted in UTF-16 units, as JavaScript's `length`).
inline constexpr std::size_t kMaxTemplateLength = 1000;
// Segment's memoryLimit: liquidjs counts the characters and elements filters and ranges produce.
inline constexpr double kMemoryLimit = 1e8;
// Nodes rendered, filters applied and array elements made or visited, per render: stands in for
// Segment's 500 ms render limit (liquidjs gets through a few million such steps in that time; a
// template without loops over event-sized data needs a few thousand).
inline constexpr std::size_t kMaxRenderSteps = 10'000'000;
// Any string a render produces: the output, a capture, a filter's result.
inline constexpr std::size_t kMaxStringBytes = std::size_t{64} << 20;
// Any array a render produces (ranges, split).
inline constexpr std::size_t kMaxArrayLength = 1'000'000;
// Nesting of blocks, brackets and ranges in a template or a filter's path argument.
inline constexpr std::size_t kMaxNestingDepth = 1000;

}  // namespace actions::liquid
