// Each tag Segment leaves enabled, as liquidjs renders it.
#include <gtest/gtest.h>

#include "render_helpers.h"

using liquid_test::errorOf;
using liquid_test::render;

namespace {

constexpr const char* kEvent =
    R"({"properties":{"s":"Hello","n":3,"arr":[1,2,3],"t":true,"f":false,"nil":null},"count":5})";

TEST(LiquidTags, AssignStoresAFilteredValue) {
  EXPECT_EQ(render("{% assign x = properties.s | upcase | append: '!' %}{{ x }}", kEvent),
            "HELLO!");
  EXPECT_EQ(render("{% assign x = properties.arr %}{{ x[1] }}/{{ x.size }}", kEvent), "2/3");
  EXPECT_EQ(render("{% assign x=1 %}{% assign x = x | plus: 1 %}{{x}}"), "2");
  EXPECT_EQ(render("{% assign a-b? = 'dash' %}{{ a-b? }}"), "dash");
  EXPECT_EQ(render("{% assign x = 1 == 1 %}{{ x }}"), "true");
}

TEST(LiquidTags, AssignedVariablesShadowTheEvent) {
  EXPECT_EQ(render("{% assign properties = 'mine' %}{{ properties }}|{{ properties.s }}", kEvent),
            "mine|");
}

TEST(LiquidTags, AssignSyntaxErrors) {
  EXPECT_EQ(errorOf("{% assign x %}"), "expected \"=\", line:1, col:12");
  EXPECT_EQ(errorOf("{% assign = 1 %}"), "expected variable name, line:1, col:11");
  EXPECT_EQ(errorOf("{% assign x = %}"), "invalid value expression: \"\", line:1, col:14");
}

TEST(LiquidTags, CaptureRendersItsBodyIntoAVariable) {
  EXPECT_EQ(render("{% capture c %}Hi {{ properties.s }}{% endcapture %}[{{ c }}]", kEvent),
            "[Hi Hello]");
  EXPECT_EQ(render("{% capture 'quoted name' %}v{% endcapture %}{{ ['quoted name'] }}"), "v");
  EXPECT_EQ(errorOf("{% capture %}x{% endcapture %}"), "invalid capture name, line:1, col:11");
  EXPECT_EQ(errorOf("{% capture c %}x"), "tag {% capture c %} not closed, line:1, col:1");
}

TEST(LiquidTags, IfElsifElse) {
  const char* t =
      "{% if properties.n > 5 %}big{% elsif properties.n > 2 %}mid{% else %}small{% endif %}";
  EXPECT_EQ(render(t, R"({"properties":{"n":9}})"), "big");
  EXPECT_EQ(render(t, R"({"properties":{"n":3}})"), "mid");
  EXPECT_EQ(render(t, R"({"properties":{"n":1}})"), "small");
  EXPECT_EQ(render("{% if true %}{% if false %}a{% else %}b{% endif %}{% endif %}"), "b");
  EXPECT_EQ(render("{% if false %}a{% elsif false %}b{% endif %}"), "");
}

TEST(LiquidTags, IfSyntaxErrors) {
  EXPECT_EQ(errorOf("{% if true %}A{% else %}B{% else %}C{% endif %}"),
            "duplicated else, line:1, col:1");
  EXPECT_EQ(errorOf("{% if true %}A{% else %}B{% elsif true %}C{% endif %}"),
            "unexpected elsif after else, line:1, col:1");
  EXPECT_EQ(errorOf("{% if true %}A{% endif x %}"), "unexpected \"x\", line:1, col:1");
  EXPECT_EQ(errorOf("{% if true %}"), "tag {% if true %} not closed, line:1, col:1");
  EXPECT_EQ(errorOf("{% endif %}"), "tag \"endif\" not found, line:1, col:1");
}

TEST(LiquidTags, UnlessNegatesItsFirstBranchOnly) {
  EXPECT_EQ(render("{% unless properties.t %}A{% else %}B{% endunless %}", kEvent), "B");
  EXPECT_EQ(render("{% unless properties.f %}A{% else %}B{% endunless %}", kEvent), "A");
  EXPECT_EQ(render("{% unless true %}A{% elsif true %}B{% else %}C{% endunless %}"), "B");
  // What follows a second else is dropped.
  EXPECT_EQ(render("{% unless true %}A{% else %}B{% else %}C{% endunless %}"), "B");
}

TEST(LiquidTags, EchoPrintsAFilteredValue) {
  EXPECT_EQ(render("{% echo properties.s | downcase %}", kEvent), "hello");
  EXPECT_EQ(render("{% echo %}x"), "x");
}

TEST(LiquidTags, IncrementAndDecrementKeepCountersOverTheEvent) {
  EXPECT_EQ(render("{% increment c %}{% increment c %}{% decrement c %}{{ c }}"), "0111");
  EXPECT_EQ(render("{% decrement d %}{% decrement d %}{{ d }}"), "-1-2-2");
  // A numeric event field is the starting value; a counter never touches assigned variables.
  EXPECT_EQ(render("{% increment count %}{{ count }}", kEvent), "56");
  EXPECT_EQ(render("{% assign c = 9 %}{% increment c %}{{ c }}"), "09");
}

TEST(LiquidTags, CycleRotatesThroughItsValuesPerGroup) {
  EXPECT_EQ(render("{% cycle 'a','b','c' %}{% cycle 'a','b','c' %}{% cycle 'a','b','c' %}"
                   "{% cycle 'a','b','c' %}"),
            "abca");
  EXPECT_EQ(render("{% cycle g: 'a', 'b' %}{% cycle g: 'a', 'b' %}{% cycle h: 'a', 'b' %}"), "aba");
  // The cycle is identified by its text: other spacing is another cycle.
  EXPECT_EQ(render("{% cycle 'a', 'b' %}{% cycle 'a','b' %}"), "aa");
  // A falsy value (0, nil) prints nothing.
  EXPECT_EQ(render("{% cycle 0, 1 %}{% cycle 0, 1 %}"), "1");
  EXPECT_EQ(errorOf("{% cycle %}"), "empty candidates: \"{% cycle %}\", line:1, col:9");
}

TEST(LiquidTags, LiquidTagTakesOneTagPerLine) {
  EXPECT_EQ(render("{% liquid\nassign x = 'L'\necho x\nif true\necho 'yes'\nendif\n# note\n%}"),
            "Lyes");
  EXPECT_EQ(render("{% liquid %}"), "");
  EXPECT_EQ(errorOf("{% liquid\nif true\necho 1\n%}"), "tag if true\n not closed, line:2, col:1");
}

TEST(LiquidTags, CommentsHideTheirContent) {
  EXPECT_EQ(render("a{% comment %}hidden {{ x }} {% case %}{% endcomment %}b"), "ab");
  EXPECT_EQ(render("{%# an inline comment %}x{% # another\n  # line %}y"), "xy");
  EXPECT_EQ(errorOf("{% # inline\n bad %}"),
            "every line of an inline comment must start with a '#' character, line:1, col:1");
  EXPECT_EQ(errorOf("{% comment %}x"), "tag {% comment %} not closed, line:1, col:1");
}

TEST(LiquidTags, RawPrintsMarkupUnrendered) {
  EXPECT_EQ(render("{% raw %}{{ not rendered }} {% if %}{% endraw %}"),
            "{{ not rendered }} {% if %}");
  EXPECT_EQ(render("{% raw %}a{% endraw %}b{% raw %}{{c}}{% endraw %}"), "ab{{c}}");
  EXPECT_EQ(errorOf("{% raw %}x"), "raw \"{% raw %}x\" not closed, line:1, col:10");
}

TEST(LiquidTags, BlockRendersInPlace) {
  EXPECT_EQ(render("{% block main %}in block{{ block.super }}{% endblock %}!"), "in block!");
  EXPECT_EQ(errorOf("{% block %}x"), "tag {% block %} not closed, line:1, col:1");
}

TEST(LiquidTags, BreakAndContinueOutsideLoopsEndTheRender) {
  EXPECT_EQ(render("a{% break %}b"), "a");
  EXPECT_EQ(render("a{% continue %}b"), "a");
  EXPECT_EQ(render("{% if true %}x{% break %}y{% endif %}z"), "x");
  EXPECT_EQ(render("{% capture c %}1{% break %}2{% endcapture %}[{{c}}]"), "");
}

TEST(LiquidTags, WhitespaceControlTrimsNeighbouringText) {
  EXPECT_EQ(render(" a {{- properties.s -}} b ", kEvent), " aHellob ");
  EXPECT_EQ(render("{%- if true -%}\n  x  \n{%- endif -%}  "), "x");
  EXPECT_EQ(render("a \n{%- assign x = 1 %}\n b"), "a\n b");
  EXPECT_EQ(render("a\r\n\t{{- 'x' -}}\r\n\tb"), "axb");
  // Not inside raw sections.
  EXPECT_EQ(render("{% raw %} {{- x -}} {% endraw %}"), " {{- x -}} ");
}

TEST(LiquidTags, UnknownTagsAndBadTokensFail) {
  EXPECT_EQ(errorOf("{% foo %}"), "tag \"foo\" not found, line:1, col:1");
  EXPECT_EQ(errorOf("{% %}"), "illegal tag syntax, tag name expected, line:1, col:4");
  EXPECT_EQ(errorOf("text {% if x"), "tag \"{% if x\" not closed, line:1, col:6");
  EXPECT_EQ(errorOf("{{ properties.s"), "output \"{{ properties.s\" not closed, line:1, col:1");
  EXPECT_EQ(errorOf("é\n  {% nope %}"), "tag \"nope\" not found, line:2, col:3");
}

}  // namespace
