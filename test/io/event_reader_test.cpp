// EventReader splits NDJSON and JSON-array input into event texts. The array scanner reads the
// buffer in runs, so the cases that matter are the ones a run can cut: strings holding the
// characters that end an element, escapes, nesting, and elements that straddle the reader's
// 64 KiB buffer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "io/read_events.h"

using namespace readtest;

namespace {

std::vector<RawEvent> readAll(const std::string& text) {
  return readText(text);
}

TEST(EventReader, ArrayElementsEndOnlyOutsideStringsAndNesting) {
  auto events =
      readAll(R"( [ {"a":"x,y]z}"} , {"b":[1,[2,3]],"c":{"d":"\"],"}}, "plain", 42 ,[1,2] ] )");
  ASSERT_EQ(events.size(), 5u);
  EXPECT_EQ(texts(events),
            (std::vector<std::string>{R"({"a":"x,y]z}"} )", R"({"b":[1,[2,3]],"c":{"d":"\"],"}})",
                                      R"("plain")", "42 ", "[1,2] "}));
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].index, i);
    EXPECT_TRUE(events[i].error.empty());
  }
}

TEST(EventReader, ABackslashBeforeAQuoteDoesNotEndTheString) {
  auto events = readAll(R"([{"s":"a\\"},{"s":"b\\\"],c"}])");
  EXPECT_EQ(texts(events), (std::vector<std::string>{R"({"s":"a\\"})", R"({"s":"b\\\"],c"})"}));
}

TEST(EventReader, ElementsStraddlingTheBufferArriveWhole) {
  // Elements of 40,000 bytes: every one of them crosses a 64 KiB boundary sooner or later, some
  // with the boundary inside an escape or just before a closing quote.
  std::vector<std::string> want;
  std::string input = "[";
  for (int i = 0; i < 12; ++i) {
    std::string filler(40000 - i, 'x');
    for (std::size_t at = 1000 + i; at + 1 < filler.size(); at += 997)
      filler.replace(at, 2, "\\\"");
    std::string element = "{\"i\":" + std::to_string(i) + ",\"s\":\"" + filler + "\",\"t\":\"],\"}";
    want.push_back(element);
    input += (i ? ",\n" : "\n") + element;
  }
  input += "\n]\n";
  want.back() += "\n";  // the whitespace before the closing bracket stays with the element
  auto events = readAll(input);
  ASSERT_EQ(events.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) EXPECT_EQ(events[i].text, want[i]) << i;
}

TEST(EventReader, AnEscapeCutByTheBufferBoundaryIsKept) {
  // The reader fills 64 KiB at a time: put an escaped quote's backslash in the last byte of the
  // first fill and the quote in the first byte of the next, then a comma and a bracket that
  // belong to the string.
  const std::size_t fill = 64 * 1024;
  std::string head = "[{\"s\":\"";
  std::string element = head.substr(1) + std::string(fill - 1 - head.size(), 'x') + "\\\"],\"}";
  std::string input = "[" + element + ",{\"n\":2}]";
  ASSERT_EQ(input[fill - 1], '\\');
  ASSERT_EQ(input[fill], '"');
  auto events = readAll(input);
  EXPECT_EQ(texts(events), (std::vector<std::string>{element, "{\"n\":2}"}));
}

TEST(EventReader, AnUnterminatedArrayIsReportedOnItsLastElement) {
  auto events = readAll(R"([{"a":1},{"b":"unclosed)");
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(events[0].error.empty());
  EXPECT_EQ(events[1].error,
            "unterminated JSON array: the input ended inside it (the array opens at line 1)");
}

TEST(EventReader, LinesAfterTheArrayAreReadAsNdjson) {
  auto events = readAll("[{\"a\":1}]\n{\"b\":2}\n\n{\"c\":3}\n");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}"}));
}

TEST(EventReader, NdjsonSkipsBlankLinesAndAByteOrderMark) {
  auto events = readAll("\xEF\xBB\xBF{\"a\":1}\n  \n{\"b\":2}");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(events[1].index, 1u);
}

}  // namespace

namespace {

TEST(EventReader, BareCarriageReturnsEndLinesAsCrLfDoes) {
  auto events = readAll("{\"a\":1}\r{\"b\":2}\r\n{\"c\":3}\n\r{\"d\":4}\r\r{\"e\":5}");
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}", "{\"c\":3}",
                                                     "{\"d\":4}", "{\"e\":5}"}));
  // "\r\n" is one line break, "\n\r" two, "\r\r" two.
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 2, 3, 5, 7}));
}

TEST(EventReader, ACrLfCutByTheBufferBoundaryIsOneLineBreak) {
  const std::size_t fill = 64 * 1024;
  std::string first = "{\"s\":\"" + std::string(fill - 1 - 8, 'x') + "\"}";
  std::string input = first + "\r\n{\"n\":2}\n";
  ASSERT_EQ(input[fill - 1], '\r');
  auto events = readAll(input);
  EXPECT_EQ(texts(events), (std::vector<std::string>{first, "{\"n\":2}"}));
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 2}));
}

TEST(EventReader, EveryEventKnowsItsFileAndLine) {
  testenv::TempDir dir;
  testenv::writeText(dir.file("a.ndjson"), "\n{\"n\":0}\n\n  \nnot json\n{\"n\":2}");
  testenv::writeText(dir.file("b.json"),
                     "\n[\n  {\"n\":3},\n  {\"n\":\n 4}, {\"n\":5}\n]\n{\"n\":6}\n");
  auto events = readPaths({dir.file("a.ndjson"), dir.file("b.json")});
  ASSERT_EQ(events.size(), 7u);
  std::vector<std::string> where;
  for (auto& e : events) where.push_back(e.source + ":" + std::to_string(e.line));
  std::string a = dir.file("a.ndjson"), b = dir.file("b.json");
  EXPECT_EQ(where, (std::vector<std::string>{a + ":2", a + ":5", a + ":6", b + ":3", b + ":4",
                                             b + ":5", b + ":7"}));
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].index, i);
}

TEST(EventReader, AMalformedFirstLineKeepsNdjsonNumbering) {
  auto events = readAll("{\"a\":1,\nnot json\n  {\"b\":2}\n{\"c\":\n");
  EXPECT_EQ(texts(events),
            (std::vector<std::string>{"{\"a\":1,", "not json", "  {\"b\":2}", "{\"c\":"}));
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].index, i);
    EXPECT_EQ(events[i].line, i + 1);
    EXPECT_TRUE(events[i].error.empty()) << events[i].error;
  }
}

TEST(EventReader, NdjsonKeepsAMalformedLineAsItsOwnEvent) {
  // A first line that is not a complete value, then good lines: still NDJSON-like numbering,
  // one event per line.
  auto events = readAll("{\"a\":1}\n{\"b\":\n{\"c\":3}\n}{\n{\"d\":4}\n");
  EXPECT_EQ(texts(events),
            (std::vector<std::string>{"{\"a\":1}", "{\"b\":", "{\"c\":3}", "}{", "{\"d\":4}"}));
  EXPECT_EQ(lines(events), (std::vector<std::size_t>{1, 2, 3, 4, 5}));
  for (auto& e : events) EXPECT_TRUE(e.error.empty()) << e.error;
}

}  // namespace
