// The tags and filters Segment disables fail with Segment's messages: tags as soon as the
// template is compiled (liquidjs fails while parsing), filters only when they run.
#include <gtest/gtest.h>

#include <string>

#include "json/json.h"
#include "liquid/filters.h"
#include "liquid/liquid.h"
#include "render_helpers.h"

using actions::liquid::LiquidError;
using actions::liquid::Template;
using liquid_test::errorOf;
using liquid_test::render;

namespace {

constexpr const char* kDisabledTags[] = {"case", "for", "include", "layout", "render", "tablerow"};

constexpr const char* kDisabledFilters[] = {"array_to_sentence_string",
                                            "concat",
                                            "find",
                                            "find_exp",
                                            "find_index",
                                            "find_index_exp",
                                            "group_by",
                                            "group_by_exp",
                                            "has",
                                            "has_exp",
                                            "map",
                                            "newline_to_br",
                                            "reject",
                                            "reject_exp",
                                            "reverse",
                                            "sort",
                                            "sort_natural",
                                            "uniq",
                                            "where_exp",
                                            "type"};

std::string compileError(const std::string& source) {
  try {
    Template::compile(source);
  } catch (const LiquidError& e) {
    return e.what();
  }
  return "";
}

TEST(LiquidDisabled, EachDisabledTagFailsAtCompile) {
  for (std::string tag : kDisabledTags) {
    std::string expected = "tag \"" + tag + "\" is disabled, line:1, col:1";
    EXPECT_EQ(compileError("{% " + tag + " %} , {{ properties.test }}"), expected) << tag;
    // Even where it would never run, and with its arguments.
    EXPECT_EQ(compileError("ab{% if false %}{% " + tag + " x in y %}{% endif %}"),
              "tag \"" + tag + "\" is disabled, line:1, col:17")
        << tag;
  }
}

TEST(LiquidDisabled, EachDisabledFilterFailsWhenItRuns) {
  for (std::string filter : kDisabledFilters) {
    std::string source = "{{ properties.test | " + filter + " }}";
    EXPECT_EQ(compileError(source), "") << filter;
    EXPECT_EQ(errorOf(source, R"({"properties":{"test":"test"}})"),
              "filter \"" + filter + "\" is disabled, line:1, col:1")
        << filter;
    EXPECT_EQ(errorOf("ab\n {% assign x = 1 | " + filter + ": 2 %}"),
              "filter \"" + filter + "\" is disabled, line:2, col:2")
        << filter;
    // A filter in a branch not taken never runs.
    EXPECT_EQ(render("{% if false %}{{ 1 | " + filter + " }}{% endif %}ok"), "ok") << filter;
  }
}

TEST(LiquidDisabled, RegistryKnowsExactlySegmentsDisabledFilters) {
  int disabled = 0;
  for (const auto& f : actions::liquid::allFilters()) {
    if (f.function) continue;
    ++disabled;
    bool listed = false;
    for (std::string_view name : kDisabledFilters) listed = listed || name == f.name;
    EXPECT_TRUE(listed) << f.name;
  }
  EXPECT_EQ(disabled, static_cast<int>(std::size(kDisabledFilters)));
}

TEST(LiquidDisabled, UnknownFiltersPassTheirInputThrough) {
  EXPECT_EQ(render("{{ 'a' | nosuchfilter: 1, 2 | upcase }}"), "A");
}

}  // namespace
