// JavaScript's view of values that Segment's validation depends on.
#include <gtest/gtest.h>

#include "kit/js_values.h"
#include "test_data.h"

namespace {

using namespace actions;
namespace js = kit::js;

TEST(JsValues, DeepEqualIgnoresKeyOrderAndNumberRepresentation) {
  auto a = kittest::parseOrDie(R"({"a":1,"b":[true,null,"x"]})");
  auto b = kittest::parseOrDie(R"({"b":[true,null,"x"],"a":1.0})");
  auto c = kittest::parseOrDie(R"({"b":[true,null,"x"],"a":2})");
  EXPECT_TRUE(js::deepEqual(a, b));
  EXPECT_FALSE(js::deepEqual(a, c));
}

TEST(JsValues, DescribeTypeAsHumanErrorsDo) {
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("[]")), "an array");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("{}")), "an object");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("null")), "null");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("1")), "a number");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("\"s\"")), "a string");
  EXPECT_STREQ(js::describeType(kittest::parseOrDie("false")), "a boolean");
}

}  // namespace
