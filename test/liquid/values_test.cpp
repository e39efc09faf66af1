// Output of values, variable paths, truthiness and comparisons, as liquidjs prints and decides.
#include <gtest/gtest.h>

#include "render_helpers.h"

using liquid_test::errorOf;
using liquid_test::render;

namespace {

constexpr const char* kEvent =
    R"({"properties":{"s":"Hello","n":3.5,"i":7,"arr":[1,"two",{"three":3},null,[4,5]],)"
    R"("o":{"a":1,"a b":"spaced","nested":{"x":[10,20]}},"nil":null,"t":true,"f":false,"e":"",)"
    R"("zero":0,"empty_arr":[],"empty_obj":{},"ws":" \t","big":12345678901234567890,"tiny":1.5e-7,)"
    R"("u":"é🚀","k":"s","items":[{"name":"x"}]},"size":"own"})";

TEST(LiquidValues, PrintsAsJavaScriptStringsWithLiquidArrays) {
  EXPECT_EQ(render("{{ properties.s }}|{{ properties.n }}|{{ properties.i }}", kEvent),
            "Hello|3.5|7");
  // Arrays print their elements without separator, objects as JavaScript's String() does.
  EXPECT_EQ(render("{{ properties.arr }}", kEvent), "1two[object Object]45");
  EXPECT_EQ(render("{{ properties.o }}|{{ properties.nil }}|{{ properties.missing }}", kEvent),
            "[object Object]||");
  EXPECT_EQ(render("{{ properties.t }} {{ properties.f }}", kEvent), "true false");
  EXPECT_EQ(render("{{ properties.big }}|{{ properties.tiny }}|{{ -0 }}|{{ 1.50 }}", kEvent),
            "12345678901234567000|1.5e-7|0|1.5");
  EXPECT_EQ(render("{{ nil }}|{{ empty }}|{{ blank }}|{{ true }}|{{ (1..3) }}"), "|||true|123");
  EXPECT_EQ(render(R"({{ "a\tb" }}|{{ 'it\'s' }}|{{ '\u00e9\101' }})"), "a\tb|it's|éA");
}

TEST(LiquidValues, VariablePaths) {
  EXPECT_EQ(render("{{ properties.o['a b'] }}|{{ properties[\"o\"].nested.x[1] }}", kEvent),
            "spaced|20");
  EXPECT_EQ(
      render("{{ properties.arr[0] }}|{{ properties.arr[-1] }}|{{ properties.arr.1 }}", kEvent),
      "1|45|two");
  EXPECT_EQ(render("{{ properties[properties.k] }}|{{ properties.items[0].name }}", kEvent),
            "Hello|x");
  EXPECT_EQ(render("{{ properties.arr[9] }}|{{ properties.nil.x }}|{{ nothing.at.all }}", kEvent),
            "||");
}

TEST(LiquidValues, SizeFirstAndLastProperties) {
  EXPECT_EQ(render("{{ properties.arr.size }}|{{ properties.arr.first }}|{{ properties.arr.last }}",
                   kEvent),
            "5|1|45");
  EXPECT_EQ(
      render("{{ properties.s.size }}|{{ properties.s.length }}|{{ properties.u.size }}", kEvent),
      "5|5|3");
  EXPECT_EQ(
      render("{{ properties.o.size }}|{{ properties.o.first }}|{{ properties.n.size }}", kEvent),
      "3||");
  // A field of that name wins; a missing top-level `size` reads as an empty object's size.
  EXPECT_EQ(render("{{ size }}", kEvent), "own");
  EXPECT_EQ(render("{{ size }}|{{ first }}"), "0|");
}

TEST(LiquidValues, OnlyFalseNilAndUndefinedAreFalsy) {
  for (const char* v : {"properties.zero", "properties.e", "properties.empty_arr",
                        "properties.empty_obj", "'false'", "empty", "properties.ws"}) {
    EXPECT_EQ(render(std::string("{% if ") + v + " %}T{% else %}F{% endif %}", kEvent), "T") << v;
  }
  for (const char* v : {"properties.nil", "properties.f", "properties.missing", "nil", "false"}) {
    EXPECT_EQ(render(std::string("{% if ") + v + " %}T{% else %}F{% endif %}", kEvent), "F") << v;
  }
}

TEST(LiquidValues, EqualityIsStrictExceptForSpecialLiterals) {
  EXPECT_EQ(render("{{ 1 == 1.0 }}|{{ 1 == '1' }}|{{ properties.arr == properties.arr }}", kEvent),
            "true|false|true");
  EXPECT_EQ(render("{{ properties.nil == nil }}|{{ properties.missing == nil }}|"
                   "{{ properties.nil == properties.missing }}",
                   kEvent),
            "true|true|false");
  EXPECT_EQ(render("{{ properties.e == empty }}|{{ properties.empty_arr == empty }}|"
                   "{{ properties.empty_obj == empty }}|{{ empty == empty }}",
                   kEvent),
            "true|true|true|false");
  EXPECT_EQ(
      render(
          "{{ properties.ws == blank }}|{{ properties.f == blank }}|{{ properties.zero == blank }}",
          kEvent),
      "true|true|false");
}

TEST(LiquidValues, OrderingFollowsJavaScript) {
  EXPECT_EQ(render("{{ 2 < 10 }}|{{ '2' < '10' }}|{{ '10' > 9 }}|{{ 'abc' < 'abd' }}"),
            "true|false|true|true");
  EXPECT_EQ(render("{{ properties.nil >= 0 }}|{{ properties.missing < 1 }}|{{ nil < 1 }}", kEvent),
            "true|false|false");
}

TEST(LiquidValues, Contains) {
  EXPECT_EQ(render("{{ properties.s contains 'ell' }}|{{ properties.arr contains 'two' }}|"
                   "{{ properties.arr contains '1' }}|{{ properties.o contains 'a' }}",
                   kEvent),
            "true|true|false|false");
  // The right side is converted as JavaScript's String() does.
  EXPECT_EQ(
      render("{{ 'undefined!' contains properties.missing }}|{{ 'n: 3.5' contains properties.n }}",
             kEvent),
      "true|true");
}

TEST(LiquidValues, AndOrGroupFromTheRight) {
  EXPECT_EQ(render("{{ true or false and false }}|{{ false and true or true }}"), "true|false");
  EXPECT_EQ(render("{{ not true }}|{{ not properties.nil }}|{{ not 1 == 2 }}", kEvent),
            "false|true|true");
  EXPECT_EQ(render("{{ 'a' 'b' }}"), "a");
}

TEST(LiquidValues, BadExpressionsFail) {
  EXPECT_EQ(errorOf("{{ }}"), "invalid value expression: \"\", line:1, col:4");
  EXPECT_EQ(errorOf("{{ properties.s | | upcase }}"), "expected filter name, line:1, col:19");
  EXPECT_EQ(errorOf("{{ (1..3 }}"), "invalid range syntax, line:1, col:10");
  EXPECT_EQ(errorOf("{{ properties.arr[0 }}"), "[ not closed, line:1, col:20");
}

}  // namespace
