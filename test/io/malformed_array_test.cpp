// Malformed JSON arrays end promptly, each fault reported on an event of its own: a stray
// closing brace, elements missing between commas, input cut short after '[', after ',' or inside
// an element. The helpers fail a test whose reader returns more events than the input has bytes.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "io/read_events.h"

using namespace readtest;

namespace {

TEST(MalformedArray, AStrayClosingBraceStaysInItsElement) {
  auto events = readText(R"([{"a":1}}, {"b":2}])");
  EXPECT_EQ(texts(events), (std::vector<std::string>{R"({"a":1}})", R"({"b":2})"}));
  for (auto& e : events) EXPECT_TRUE(e.error.empty()) << e.error;  // the parser rejects the first
}

TEST(MalformedArray, StrayClosersAloneAreElementsToo) {
  auto events = readText("[}]");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"}"}));
  events = readText("[{\"a\":1}}}}}");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].text, "{\"a\":1}}}}}");
  EXPECT_TRUE(contains(events[1].error, "the input ended without its closing ']'"))
      << events[1].error;
}

TEST(MalformedArray, ABracketAloneIsAnError) {
  for (std::string input : {"[", "[ \n ", "\n\n[\n"}) {
    auto events = readText(input);
    ASSERT_EQ(events.size(), 1u) << input;
    EXPECT_TRUE(events[0].text.empty());
    EXPECT_TRUE(contains(events[0].error, "unterminated JSON array: the input ended after '['"))
        << events[0].error;
  }
  auto events = readText("\n\n[\n");
  EXPECT_TRUE(contains(events[0].error, "opens at line 3")) << events[0].error;
}

TEST(MalformedArray, InputEndingAfterACommaIsAnErrorForTheMissingElement) {
  auto events = readText("[{\"a\":1},\n");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].error.empty());
  EXPECT_TRUE(contains(events[1].error, "unterminated JSON array: the input ended after ','"))
      << events[1].error;
  EXPECT_EQ(events[1].index, 1u);
}

TEST(MalformedArray, InputEndingBeforeTheClosingBracketIsAnErrorOfItsOwn) {
  // The last element is whole: it stays good, and the missing ']' is reported on its own.
  auto events = readText("[{\"a\":1}, \"x\"  ");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "\"x\"  ", ""}));
  EXPECT_EQ(failed(events), (std::vector<bool>{false, false, true}));
  EXPECT_TRUE(contains(events[2].error, "unterminated JSON array")) << events[2].error;
}

TEST(MalformedArray, InputEndingInsideAnElementIsAnError) {
  auto events = readText("[{\"a\":1}, {\"b\":\"cut");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].text, "{\"b\":\"cut");
  EXPECT_TRUE(contains(events[1].error, "the input ended inside it")) << events[1].error;
}

TEST(MalformedArray, MissingElementsBetweenCommasAreErrors) {
  auto events = readText("[,{\"a\":1},,{\"b\":2},]");
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(failed(events), (std::vector<bool>{true, false, true, false, true}));
  EXPECT_TRUE(contains(events[0].error, "missing JSON array element")) << events[0].error;
  EXPECT_TRUE(contains(events[4].error, "']' follows ','")) << events[4].error;
  EXPECT_EQ(events[1].text, "{\"a\":1}");
  EXPECT_EQ(events[3].text, "{\"b\":2}");
}

TEST(MalformedArray, AnEmptyArrayHasNoEvents) {
  EXPECT_TRUE(readText("[]").empty());
  EXPECT_TRUE(readText(" [ \n ] \n").empty());
}

TEST(MalformedArray, ArraysOneAfterAnotherAreEachRead) {
  auto events = readText("[{\"a\":1}]\n[{\"b\":2},\n{\"c\":3}]");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 2, 3}));
}

// Every shape of a small alphabet of JSON punctuation, up to four characters after '[': each
// ends with a bounded number of events (the helpers fail the test otherwise) and every event
// without text names its error. The input lives in memory (memfd), not on disk.
TEST(MalformedArray, EveryShortShapeEndsPromptly) {
  const std::string alphabet = "[]{},\"x\\ \n";
  std::vector<std::string> shapes{""};
  for (std::size_t from = 0, length = 1; length <= 4; ++length) {
    std::size_t to = shapes.size();
    for (std::size_t k = from; k < to; ++k)
      for (char c : alphabet) shapes.push_back(shapes[k] + c);
    from = to;
  }
  ASSERT_EQ(shapes.size(), 11111u);
  int fd = memfd_create("malformed_array", 0);
  ASSERT_GE(fd, 0);
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  std::size_t total = 0;
  for (auto& shape : shapes) {
    std::string input = "[" + shape;
    ASSERT_EQ(ftruncate(fd, 0), 0);
    ASSERT_EQ(pwrite(fd, input.data(), input.size(), 0), static_cast<ssize_t>(input.size()));
    auto events = readPaths({path}, EventReader::kDefaultMaxEventBytes, input.size() + 1);
    total += events.size();
    for (auto& e : events) {
      if (e.text.empty()) {
        EXPECT_FALSE(e.error.empty()) << "input: " << input;
      }
    }
  }
  close(fd);
  EXPECT_GT(total, shapes.size());
}

}  // namespace
