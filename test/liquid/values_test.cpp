// Output of values, variable paths, truthiness and comparisons, as liquidjs prints and decides.
#include <gtest/gtest.h>

#include "render_helpers.h"

using liquid_test::render;

namespace {

constexpr const char* kEvent =
    R"({"properties":{"s":"Hello","n":3.5,"i":7,"arr":[1,"two",{"three":3},null,[4,5]],)"
    R"("o":{"a":1,"a b":"spaced"},"nil":null,"t":true,"f":false,"e":"","items":[{"name":"x"}]}})";

TEST(LiquidValues, PrintsAsLiquidjs) {
  EXPECT_EQ(render("{{ properties.s }}|{{ properties.n }}|{{ properties.i }}", kEvent),
            "Hello|3.5|7");
  EXPECT_EQ(render("{{ properties.arr }}", kEvent), "1two[object Object]45");
  EXPECT_EQ(render("{{ properties.o }}|{{ properties.nil }}|{{ properties.missing }}", kEvent),
            "[object Object]||");
  EXPECT_EQ(render("{{ properties.t }} {{ properties.f }}", kEvent), "true false");
}

}  // namespace
