// A template can never run away: Segment's limits, and the bounds on output, work and nesting
// that stand in for its render time limit.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "liquid/limits.h"
#include "render_helpers.h"

using liquid_test::errorOf;
using liquid_test::render;

namespace {

std::string repeat(const std::string& s, std::size_t n) {
  std::string out;
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

// An event {"p": "<n bytes>"}.
std::string eventWithString(std::size_t n) {
  return R"({"p":")" + std::string(n, 'x') + R"("})";
}

TEST(LiquidLimits, TemplatesAreLimitedTo1000Utf16Units) {
  const std::string tooLong = "liquid template values are limited to 1000 characters";
  EXPECT_EQ(render(repeat("a", 1000)), repeat("a", 1000));
  EXPECT_EQ(errorOf(repeat("a", 1001)), tooLong);
  EXPECT_EQ(render(repeat("é", 1000)), repeat("é", 1000));  // one unit each
  EXPECT_EQ(render(repeat("🚀", 500)), repeat("🚀", 500));    // two units each
  EXPECT_EQ(errorOf(repeat("🚀", 501)), tooLong);
  EXPECT_EQ(errorOf(repeat("{{ x }}", 100000)), tooLong);
}

TEST(LiquidLimits, MemoryAccountingAsLiquidjs) {
  // Doubling a string: liquidjs counts both sides of each append, 1e8 in all.
  std::string doubling = "{% assign a = 'xxxxxxxxxx' %}" +
                         repeat("{% assign a = a | append: a %}", 24) + "{{ a | size }}";
  EXPECT_EQ(errorOf(doubling), "memory alloc limit exceeded, line:1, col:690");
  EXPECT_EQ(errorOf("{{ (1..100000001) | size }}"), "memory alloc limit exceeded, line:1, col:1");
  EXPECT_EQ(render("{{ (1..1000) | size }}"), "1000");
}

TEST(LiquidLimits, OutputAndStringsAreBounded) {
  std::string big = eventWithString(5 << 20);
  EXPECT_EQ(render("{{ p | size }}", big), std::to_string(5 << 20));
  // Output is not part of liquidjs's accounting: it has its own bound.
  EXPECT_EQ(errorOf(repeat("{{ p }}", 13), big),
            "liquid template output is limited to 67108864 bytes, line:1, col:85");
  EXPECT_EQ(errorOf("{% capture c %}" + repeat("{{ p }}", 13) + "{% endcapture %}", big),
            "liquid template output is limited to 67108864 bytes, line:1, col:100");
  // Appends are counted, both sides each time (5 MiB strings: 10 + 15 + ... > 1e8).
  EXPECT_EQ(
      errorOf("{{ p | append: p | append: p | append: p | append: p | append: p | append: p }}",
              big),
      "memory alloc limit exceeded, line:1, col:1");
  // One filter result over the bound, still within the accounting.
  EXPECT_EQ(errorOf("{{ p | append: p }}", eventWithString(33 << 20)),
            "liquid string is limited to 67108864 bytes, line:1, col:1");
}

TEST(LiquidLimits, ArraysAreBounded) {
  EXPECT_EQ(errorOf("{{ (1..1000001) | size }}"),
            "liquid ranges are limited to 1000000 elements, line:1, col:1");
  EXPECT_EQ(errorOf("{{ p | split: '' | size }}", eventWithString(1000001)),
            "liquid arrays are limited to 1000000 elements, line:1, col:1");
}

TEST(LiquidLimits, WorkIsBounded) {
  // No loops in Segment's Liquid, but filters can walk big arrays again and again.
  std::string heavy = "{% assign a = (1..999999) %}" + repeat("{{ a | sum | size }}", 12);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(errorOf(heavy), "template render limit exceeded");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(render("{{ (1..999999) | where: 'x' | size }}"), "0");
}

TEST(LiquidLimits, NestingIsBounded) {
  // A template cannot nest deeper than its 1000 characters allow; a filter's path can.
  std::string deep = "{\"items\":[{}],\"path\":\"" + repeat("[", 5000) + "\"}";
  EXPECT_EQ(errorOf("{{ items | where: path | size }}", deep),
            "liquid template nesting is too deep, line:1, col:1002");
  EXPECT_EQ(render(repeat("{% if true %}", 40) + "x" + repeat("{% endif %}", 40)), "x");
}

}  // namespace
