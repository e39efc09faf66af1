// Where events come from: gzip-compressed files (one member or several), directories and read
// errors that must not pass for the end of input, events over the size limit, and pipes whose
// lines are handed over as soon as they arrive.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <csignal>
#include <thread>

#include <chrono>
#include <cstdlib>
#include <future>
#include <string>
#include <vector>

#include "io/read_events.h"

using namespace readtest;

namespace {

std::string gzipped(const std::string& text) {
  z_stream z{};
  EXPECT_EQ(
      deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&z, text.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string manyEvents(int from, int count) {
  std::string text;
  for (int i = from; i < from + count; ++i) text += "{\"n\":" + std::to_string(i) + "}\n";
  return text;
}

TEST(InputSource, GzipInputIsRecognisedByItsFirstBytes) {
  testenv::TempDir dir;
  // Large enough for several reads of compressed and decompressed data.
  testenv::writeText(dir.file("events.ndjson.gz"), gzipped(manyEvents(0, 50000)));
  testenv::writeText(dir.file("events.json"), gzipped("[{\"a\":1},\n{\"b\":2}]"));
  auto events = readPaths({dir.file("events.ndjson.gz"), dir.file("events.json")});
  ASSERT_EQ(events.size(), 50002u);
  EXPECT_EQ(events[0].text, "{\"n\":0}");
  EXPECT_EQ(events[49999].text, "{\"n\":49999}");
  EXPECT_EQ(events[49999].line, 50000u);
  EXPECT_EQ(events[50001].text, "{\"b\":2}");
  EXPECT_EQ(events[50001].line, 2u);
  for (auto& e : events) ASSERT_TRUE(e.error.empty()) << e.error;
}

TEST(InputSource, GzipOnStandardInputIsRecognisedToo) {
  testenv::TempDir dir;
  testenv::writeText(dir.file("in.gz"), gzipped(manyEvents(0, 3)));
  int saved = dup(STDIN_FILENO);
  int fd = open(dir.file("in.gz").c_str(), O_RDONLY);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(dup2(fd, STDIN_FILENO), STDIN_FILENO);
  close(fd);
  auto events = readPaths({});
  dup2(saved, STDIN_FILENO);
  close(saved);
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"n\":0}", "{\"n\":1}", "{\"n\":2}"}));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].source, "-");
  EXPECT_EQ(events[2].line, 3u);
}

TEST(InputSource, ConcatenatedGzipMembersAreReadOneAfterAnother) {
  testenv::TempDir dir;
  // What `gzip -c a >> f; gzip -c b >> f` makes; a member boundary inside a line too.
  testenv::writeText(dir.file("f.gz"), gzipped(manyEvents(0, 3)) + gzipped("{\"n\":") +
                                           gzipped("3}\n") + gzipped(manyEvents(4, 2)));
  auto events = readPaths({dir.file("f.gz")});
  EXPECT_EQ(texts(events), (std::vector<std::string>{"{\"n\":0}", "{\"n\":1}", "{\"n\":2}",
                                                     "{\"n\":3}", "{\"n\":4}", "{\"n\":5}"}));
}

TEST(InputSource, CorruptGzipIsAClearErrorAndTheNextInputIsStillRead) {
  testenv::TempDir dir;
  std::string good = gzipped(manyEvents(0, 2000));
  std::string corrupt = good;
  for (std::size_t i = 100; i < 200; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  testenv::writeText(dir.file("corrupt.gz"), corrupt);
  testenv::writeText(dir.file("truncated.gz"), good.substr(0, good.size() / 2));
  testenv::writeText(dir.file("garbage-after.gz"), gzipped("{\"a\":1}\n") + "not gzip");
  testenv::writeText(dir.file("ok.ndjson"), "{\"last\":true}\n");
  auto events = readPaths({dir.file("corrupt.gz"), dir.file("truncated.gz"),
                           dir.file("garbage-after.gz"), dir.file("ok.ndjson")});
  std::vector<std::string> errors;
  for (auto& e : events)
    if (!e.error.empty()) errors.push_back(e.source + ": " + e.error);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_TRUE(
      contains(errors[0], "cannot read input " + dir.file("corrupt.gz") + ": corrupt gzip data"))
      << errors[0];
  EXPECT_TRUE(contains(errors[1], "the gzip data ends early")) << errors[1];
  EXPECT_TRUE(contains(errors[2], "corrupt gzip data")) << errors[2];
  EXPECT_EQ(events.back().text, "{\"last\":true}");
  EXPECT_TRUE(events.back().error.empty());
  // Every event of the truncated input before the cut is read whole.
  std::size_t fromTruncated = 0;
  for (auto& e : events)
    if (e.source == dir.file("truncated.gz") && e.error.empty()) ++fromTruncated;
  EXPECT_GT(fromTruncated, 100u);
}

TEST(InputSource, ADirectoryIsRefusedByName) {
  testenv::TempDir dir;
  try {
    EventReader reader({dir.path()});
    FAIL() << "a directory was accepted as input";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read input " + dir.path() + ": it is a directory");
  }
}

TEST(InputSource, AReadErrorIsAnEventNotTheEndOfInput) {
  // Reading this process's memory at address 0 fails with EIO.
  testenv::TempDir dir;
  testenv::writeText(dir.file("after.ndjson"), "{\"a\":1}\n");
  auto events = readPaths({"/proc/self/mem", dir.file("after.ndjson")});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].error, "cannot read input /proc/self/mem: Input/output error");
  EXPECT_EQ(events[0].source, "/proc/self/mem");
  EXPECT_EQ(events[1].text, "{\"a\":1}");
  EXPECT_EQ(events[1].index, 1u);
}

TEST(InputSource, AnEventOverTheLimitIsSkippedAndReported) {
  std::string big(5000, 'x');
  auto events = readText("{\"a\":1}\n{\"s\":\"" + big + "\"}\n{\"b\":2}", 1000);
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(failed(events), (std::vector<bool>{false, true, false}));
  EXPECT_EQ(events[1].error, "event is 5008 bytes, over the limit of 1000 bytes");
  EXPECT_TRUE(events[1].text.empty());
  EXPECT_EQ(events[1].line, 2u);
  EXPECT_EQ(events[2].text, "{\"b\":2}");
  // A last line without its line break is measured the same way.
  events = readText("{\"a\":1}\n{\"s\":\"" + big + "\"}", 1000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].error, "event is 5008 bytes, over the limit of 1000 bytes");
}

TEST(InputSource, TheDefaultLimitIsNamedInMebibytes) {
  EventReader reader({"/dev/null"});
  EXPECT_EQ(reader.maxEventBytes(), std::size_t{64} << 20);
  auto events = readText("{\"s\":\"" + std::string(3u << 20, 'x') + "\"}\n{}\n", 2u << 20);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].error, "event is " + std::to_string((3u << 20) + 8) +
                                 " bytes, over the limit of 2097152 bytes (2 MiB)");
  EXPECT_EQ(events[1].text, "{}");
}

TEST(InputSource, AnArrayElementOverTheLimitIsSkippedAndReported) {
  std::string big(5000, 'x');
  auto events = readText("[{\"s\":\"" + big + "\"}, {\"c\":3}]", 1000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].error, "event is 5008 bytes, over the limit of 1000 bytes");
  EXPECT_EQ(events[1].text, "{\"c\":3}");
}

TEST(InputSource, AValueOverTheLimitIsSkippedInAValueStream) {
  std::string big(5000, 'x');
  auto events = readText("{\n\"s\": \"" + big + "\"\n}\n{\n\"b\": 2\n}\n", 1000);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_TRUE(contains(events[0].error, "over the limit of 1000 bytes")) << events[0].error;
  EXPECT_EQ(events[1].text, "{\n\"b\": 2\n}");
  EXPECT_EQ(events[1].line, 4u);
  EXPECT_EQ(events[1].index, 1u);
}

TEST(InputSource, APipesLineIsHandedOverWithoutWaitingForMore) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string line = "{\"type\":\"track\"}\n";
  ASSERT_EQ(write(fds[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));
  // The read end by path, as a shell's <(...) gives it; the write end stays open.
  EventReader reader({"/dev/fd/" + std::to_string(fds[0])});
  RawEvent first;
  auto got = std::async(std::launch::async, [&] { return reader.next(first); });
  // Generous: the event must come while the pipe is still open, not when it closes.
  bool arrived = got.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  close(fds[1]);
  EXPECT_TRUE(arrived) << "the reader waited for more input than one line";
  EXPECT_TRUE(got.get());
  EXPECT_EQ(first.text, "{\"type\":\"track\"}");
  RawEvent after;
  EXPECT_FALSE(reader.next(after));
  close(fds[0]);
}

TEST(InputSource, ATerminalsLineIsHandedOverAndTheTerminalIsNamed) {
  int master = posix_openpt(O_RDWR | O_NOCTTY);
  ASSERT_GE(master, 0);
  ASSERT_EQ(grantpt(master), 0);
  ASSERT_EQ(unlockpt(master), 0);
  int terminal = open(ptsname(master), O_RDWR | O_NOCTTY);
  ASSERT_GE(terminal, 0);
  int saved = dup(STDIN_FILENO);
  ASSERT_EQ(dup2(terminal, STDIN_FILENO), STDIN_FILENO);
  {
    EventReader reader({"-"});
    EXPECT_TRUE(reader.readsTerminal());
    const std::string typed = "{\"typed\":1}\n";
    ASSERT_EQ(write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
    RawEvent first;
    auto got = std::async(std::launch::async, [&] { return reader.next(first); });
    bool arrived = got.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    ASSERT_EQ(write(master, "\x04", 1), 1);  // Ctrl-D at the start of a line: end of input
    EXPECT_TRUE(arrived) << "the reader waited for more than the typed line";
    EXPECT_TRUE(got.get());
    EXPECT_EQ(first.text, "{\"typed\":1}");
    EXPECT_EQ(first.source, "-");
  }
  dup2(saved, STDIN_FILENO);
  close(saved);
  close(terminal);
  close(master);
  testenv::TempDir dir;
  testenv::writeText(dir.file("a.ndjson"), "{}\n");
  EXPECT_FALSE(EventReader({dir.file("a.ndjson")}).readsTerminal());
}

TEST(InputSource, ANamedPipeIsReadOnceItsWriterComes) {
  testenv::TempDir dir;
  std::string fifo = dir.file("events.fifo");
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  // The constructor does not wait for a writer (nor disturb one).
  auto made = std::async(std::launch::async, [&] {
    return std::make_unique<EventReader>(std::vector<std::string>{fifo});
  });
  ASSERT_EQ(made.wait_for(std::chrono::seconds(20)), std::future_status::ready);
  auto reader = made.get();
  std::thread writer([&] {
    int fd = open(fifo.c_str(), O_WRONLY);
    const std::string text = "{\"a\":1}\n{\"b\":2}\n";
    if (fd < 0) return;  // the reader then waits: the test fails by its timeout
    EXPECT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
  });
  RawEvent e;
  std::vector<std::string> got;
  while (reader->next(e)) got.push_back(e.text);
  writer.join();
  EXPECT_EQ(got, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
}

EventReader* readerToStop = nullptr;

void stopReading(int) {
  readerToStop->stop();
}

TEST(InputSource, StopFromASignalEndsAReadBlockedOnAQuietPipe) {
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string partial = "{\"cut\":";  // half an event, never finished
  ASSERT_EQ(write(fds[1], partial.data(), partial.size()), static_cast<ssize_t>(partial.size()));
  EventReader reader({"/dev/fd/" + std::to_string(fds[0])});
  readerToStop = &reader;
  struct sigaction action {};
  action.sa_handler = stopReading;  // no SA_RESTART: the blocked read(2) returns EINTR
  struct sigaction previous {};
  ASSERT_EQ(sigaction(SIGUSR1, &action, &previous), 0);
  std::promise<bool> result;
  auto done = result.get_future();
  std::thread reading([&] {
    RawEvent e;
    result.set_value(reader.next(e));
  });
  // Signal until the reader has ended: the first signal may come before it blocks in read(2).
  bool ended = false;
  for (int i = 0; i < 200 && !ended; ++i) {
    pthread_kill(reading.native_handle(), SIGUSR1);
    ended = done.wait_for(std::chrono::milliseconds(100)) == std::future_status::ready;
  }
  close(fds[1]);  // unblocks a reader that did not stop, so the test fails instead of hanging
  reading.join();
  sigaction(SIGUSR1, &previous, nullptr);
  EXPECT_TRUE(ended) << "the reader went on waiting after stop()";
  EXPECT_FALSE(done.get()) << "the half event read before the stop was handed over";
  close(fds[0]);
}

}  // namespace
