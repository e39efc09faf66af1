// A stream of whole JSON values, as `jq .` prints them, is recognised without a flag: an input
// whose first line is '{' alone. Each value is an event, starting on its own line; an unclosed
// value costs only itself.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/read_events.h"

using namespace readtest;

namespace {

const char* kJqOutput = R"({
  "type": "track",
  "event": "Clicked {",
  "properties": {
    "nested": { "a": [1, {"b": "}"}] }
  }
}
{
  "type": "identify",
  "traits": {}
}
)";

TEST(ValueStream, PrettyPrintedObjectsAreOneEventEach) {
  auto events = readText(kJqOutput);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 8}));
  EXPECT_EQ(events[1].text, "{\n  \"type\": \"identify\",\n  \"traits\": {}\n}");
  EXPECT_TRUE(contains(events[0].text, "\"nested\": { \"a\": [1, {\"b\": \"}\"}] }"));
  EXPECT_EQ(events[0].text.back(), '}');
  for (auto& e : events) EXPECT_TRUE(e.error.empty()) << e.error;
}

TEST(ValueStream, ValuesMayFollowEachOtherOnOneLineOrWithTabsAndCrLf) {
  auto events = readText("{\r\n\t\"a\": 1\r\n}{\"b\":2}\r\n{\r\n\t\"c\": \"\\\"}\"\r\n}\r\n");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[1].text, "{\"b\":2}");
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 3, 4}));
  EXPECT_EQ(events[2].text, "{\r\n\t\"c\": \"\\\"}\"\r\n}");
}

TEST(ValueStream, AnUnclosedValueEndsWhereTheNextBegins) {
  auto events = readText("{\n  \"a\": {\n    \"b\": 1\n}\n{\n  \"c\": 2\n}\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(contains(events[0].error, "a new value starts at line 5")) << events[0].error;
  EXPECT_TRUE(events[1].error.empty());
  EXPECT_EQ(events[1].line, 5u);
  EXPECT_EQ(events[1].text, "{\n  \"c\": 2\n}");
}

TEST(ValueStream, InputEndingInsideAValueIsAnError) {
  auto events = readText("{\n  \"a\": 1\n}\n{\n  \"b\": ");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(
      contains(events[1].error, "the input ended inside a JSON value (it starts at line 4)"))
      << events[1].error;
}

TEST(ValueStream, WhatIsNotAValueRunsToTheEndOfItsLine) {
  auto events = readText("{\n\"a\": 1\n}\n} stray\n42\n{\"b\":2}\n");
  EXPECT_EQ(texts(events),
            (std::vector<std::string>{"{\n\"a\": 1\n}", "} stray", "42", "{\"b\":2}"}));
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 4, 5, 6}));
}

TEST(ValueStream, CompactFirstLineKeepsNdjson) {
  // The first line is a complete value: NDJSON, where a later multi-line object is one bad line
  // per line, exactly as before.
  auto events = readText("{\"a\":1}\n{\n\"b\": 2\n}\n");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "{", "\"b\": 2", "}"}));
}

}  // namespace
