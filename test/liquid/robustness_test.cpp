// Hostile templates and events: errors, never crashes; concurrent renders of one template.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "json/json.h"
#include "liquid/liquid.h"
#include "render_helpers.h"

using actions::liquid::LiquidError;
using actions::liquid::Template;
using liquid_test::errorOf;
using liquid_test::render;

namespace {

// Random sequences of Liquid fragments (valid or not) compile and render, or fail cleanly.
TEST(LiquidRobustness, RandomTemplatesNeverCrash) {
  const char* pieces[] = {
      "{{",         "}}",         "{%",       "%}",         "-",      " ",      "if",    "endif",
      "else",       "elsif",      "assign",   "x",          "=",      "|",      ":",     ",",
      "'",          "\"",         "(",        ")",          "..",     "[",      "]",     ".",
      "1",          "-2.5",       "nil",      "empty",      "blank",  "and",    "or",    "not",
      "contains",   "==",         "<",        ">=",         "upcase", "append", "split", "join",
      "where",      "slice",      "date",     "json",       "size",   "first",  "raw",   "endraw",
      "comment",    "endcomment", "capture",  "endcapture", "liquid", "\n",     "echo",  "cycle",
      "increment",  "block",      "endblock", "#",          "\\",     "é",      "🚀",     "\xff",
      "properties", "a.b",        "sort",     "case",       "for",    "%Y"};
  const std::size_t n = std::size(pieces);
  actions::json::Document event;
  actions::json::parse(R"({"properties":{"a":{"b":[1,"x",null]},"s":"str"},"x":[{"y":1}]})", event);
  std::mt19937 random(12345);
  int rendered = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string source;
    int length = 1 + static_cast<int>(random() % 24);
    for (int k = 0; k < length; ++k) source += pieces[random() % n];
    try {
      Template::compile(source).render(event);
      ++rendered;
    } catch (const LiquidError&) {
    }
  }
  EXPECT_GT(rendered, 1000);
}

TEST(LiquidRobustness, InvalidUtf8AndOddEvents) {
  // Text passes through byte for byte; a quoted literal is read as characters (U+FFFD).
  EXPECT_EQ(render("a\xff\xfe{{ 'b\xc3' }}"),
            "a\xff\xfe"
            "b\xef\xbf\xbd");
  EXPECT_EQ(render("{{ a }}", "[1,2]"), "");
  EXPECT_EQ(render("{{ size }}|{{ length }}", "\"abc\""), "0|3");
  EXPECT_EQ(render("{{ size }}", "42"), "0");
  std::string deep = std::string(500, '[') + "1" + std::string(500, ']');
  EXPECT_EQ(render("{{ a }}|{{ a | json | size }}", "{\"a\":" + deep + "}"), "1|1001");
}

// Inside @arrayPath or @transform the payload can be any value; liquidjs reads it as
// JavaScript's Object(value).
TEST(LiquidRobustness, NonObjectScopes) {
  const char* t =
      "{{ size }}|{{ length }}|{{ [0] }}|{{ first }}|{{ x }}|{% increment length %}{{ length }}";
  EXPECT_EQ(render(t, "[7,8]"), "0|2|7|||23");
  EXPECT_EQ(render(t, "5"), "0|||||01");
  EXPECT_EQ(render(t, "null"), "0|||||01");
  EXPECT_EQ(render(t, "true"), "0|||||01");
  EXPECT_EQ(
      errorOf(t, "\"abc\""),
      "Cannot assign to read only property 'length' of object '[object String]', line:1, col:55");
  EXPECT_EQ(render("{{ length }}|{{ [1] }}|{% increment 5 %}", "\"abc\""), "3|b|0");
}

TEST(LiquidRobustness, MovedFromTemplateRendersNothing) {
  Template t = Template::compile("x");
  Template moved = std::move(t);
  actions::json::Document event;
  actions::json::parse("{}", event);
  EXPECT_EQ(moved.render(event), "x");
  EXPECT_EQ(t.render(event), "");  // NOLINT(bugprone-use-after-move): documented behaviour
}

TEST(LiquidRobustness, OneTemplateRendersOnManyThreads) {
  Template t = Template::compile(
      "{% assign n = p.n | times: 2 %}{% increment c %}{% cycle 'a','b' %}{{ p.s | upcase }}{{ n "
      "}}{{ p.l | join: '-' }}");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      actions::json::Document event;
      std::string n = std::to_string(k);
      actions::json::parse(R"({"p":{"s":"t)" + n + R"(","n":)" + n + R"(,"l":[1,2]}})", event);
      std::string expected = "0aT" + n + std::to_string(2 * k) + "1-2";
      for (int i = 0; i < 2000; ++i) {
        if (t.render(event) != expected) ++failures[k];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int f : failures) EXPECT_EQ(f, 0);
}

}  // namespace
