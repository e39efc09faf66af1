// actions::Spool on its own, through the shared library's public API, in C++17 as a host would
// build it: records read back in order after a reopen, group commit, a torn last record dropped,
// a writer killed mid-append losing no acknowledged record, the lock, a full spool refusing and
// accepting again once its records are delivered.
#include <gtest/gtest.h>

#include <actions/spool.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/test_env.h"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::vector<std::string> segmentFiles(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string name = e.path().filename().string();
    if (name.rfind("segment-", 0) == 0 && name.size() > 4 &&
        name.compare(name.size() - 4, 4, ".log") == 0)
      out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every record the spool holds from its first unacknowledged one on.
std::vector<actions::SpoolRecord> readAll(actions::Spool& spool) {
  std::vector<actions::SpoolRecord> all;
  while (true) {
    auto batch = spool.read(1000, 1 << 20, 0ms);
    if (batch.empty()) return all;
    for (auto& r : batch) all.push_back(std::move(r));
  }
}

actions::SpoolAppend appendOne(actions::Spool& spool, const std::string& payload) {
  std::vector<std::string_view> one{payload};
  return spool.append(one);
}

TEST(Spool, RecordsComeBackInOrderAfterAReopenAndConcurrentAppendsShareFsyncs) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  constexpr int kThreads = 16, kAppends = 40, kPerAppend = 5;
  {
    actions::Spool spool(dir);
    EXPECT_EQ(spool.recovery().segments, 0u);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&spool, t] {
        for (int a = 0; a < kAppends; ++a) {
          std::vector<std::string> texts;
          for (int k = 0; k < kPerAppend; ++k)
            texts.push_back("{\"t\":" + std::to_string(t) +
                            ",\"n\":" + std::to_string(a * kPerAppend + k) + "}");
          std::vector<std::string_view> views(texts.begin(), texts.end());
          auto r = spool.append(views);
          ASSERT_TRUE(r.ok()) << r.error;
        }
      });
    }
    for (auto& th : threads) th.join();
    auto stats = spool.stats();
    EXPECT_EQ(stats.appended, std::uint64_t(kThreads * kAppends * kPerAppend));
    EXPECT_EQ(stats.recordsWaiting, stats.appended);
    // Group commit: appends that arrived while an fsync was under way shared the next one.
    EXPECT_LT(stats.commits, std::uint64_t(kThreads * kAppends));
    std::cout << "appends " << kThreads * kAppends << ", fsyncs " << stats.commits << "\n";
  }
  actions::Spool reopened(dir);
  EXPECT_EQ(reopened.recovery().recordsWaiting, std::uint64_t(kThreads * kAppends * kPerAppend));
  EXPECT_EQ(reopened.recovery().tornBytes, 0u);
  auto all = readAll(reopened);
  ASSERT_EQ(all.size(), std::size_t(kThreads * kAppends * kPerAppend));
  // Sequences increase; each thread's records keep its order, and none is missing.
  std::vector<int> next(kThreads, 0);
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (i) {
      EXPECT_GT(all[i].sequence, all[i - 1].sequence);
    }
    int t = std::stoi(all[i].payload.substr(5));
    auto n = all[i].payload.substr(all[i].payload.find("\"n\":") + 4);
    EXPECT_EQ(std::stoi(n), next[t]) << all[i].payload;
    ++next[t];
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kAppends * kPerAppend);
}

TEST(Spool, ATornLastRecordIsDroppedAndEverythingBeforeItKept) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  {
    actions::Spool spool(dir);
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(appendOne(spool, "record-" + std::to_string(i)).ok());
  }
  // The last record half written, as a crash during its write leaves it (never acknowledged).
  auto files = segmentFiles(dir);
  ASSERT_EQ(files.size(), 1u);
  auto size = fs::file_size(files[0]);
  fs::resize_file(files[0], size - 5);

  actions::Spool spool(dir);
  const auto& rec = spool.recovery();
  EXPECT_EQ(rec.tornBytes, 24u + 8u - 5u);  // frame header + "record-9", less the 5 cut off
  EXPECT_EQ(rec.recordsWaiting, 9u);
  ASSERT_EQ(rec.notes.size(), 1u);
  EXPECT_NE(rec.notes[0].find("torn record"), std::string::npos) << rec.notes[0];
  EXPECT_EQ(fs::file_size(files[0]), size - (24 + 8));  // repaired on disk

  ASSERT_TRUE(appendOne(spool, "after").ok());
  auto all = readAll(spool);
  ASSERT_EQ(all.size(), 10u);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(all[i].payload, "record-" + std::to_string(i));
  EXPECT_EQ(all[9].payload, "after");
  EXPECT_GT(all[9].sequence, all[8].sequence);
}

TEST(Spool, BytesThatFailTheirChecksumAtTheEndAreDroppedAsATornRecord) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  {
    actions::Spool spool(dir);
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(appendOne(spool, "kept-" + std::to_string(i)).ok());
  }
  auto files = segmentFiles(dir);
  ASSERT_EQ(files.size(), 1u);
  // A whole frame's length of bytes whose checksum cannot match (a write of which only some
  // sectors reached the disk).
  {
    std::string junk(24 + 16, '\0');
    junk[0] = 16;  // announces a 16-byte payload
    for (std::size_t i = 24; i < junk.size(); ++i) junk[i] = char('a' + i % 26);
    std::ofstream(files[0], std::ios::binary | std::ios::app) << junk;
  }
  actions::Spool spool(dir);
  EXPECT_EQ(spool.recovery().tornBytes, 40u);
  EXPECT_EQ(spool.recovery().damagedBytes, 0u);
  auto all = readAll(spool);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[2].payload, "kept-2");
}

TEST(Spool, AWriterKilledDuringAppendsLosesNoAcknowledgedRecord) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  int pipeFds[2];
  ASSERT_EQ(::pipe(pipeFds), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // The writer: appends batches as fast as it can and reports each acknowledged one.
    ::close(pipeFds[0]);
    try {
      actions::Spool spool(dir);
      std::string pad(300, 'x');
      for (std::uint64_t i = 0;; ++i) {
        std::vector<std::string> texts;
        for (int k = 0; k < 8; ++k) texts.push_back(std::to_string(i * 8 + k) + ":" + pad);
        std::vector<std::string_view> views(texts.begin(), texts.end());
        auto r = spool.append(views);
        if (!r.ok()) ::_exit(3);
        std::uint64_t last = r.firstSequence + 7;
        if (::write(pipeFds[1], &last, sizeof last) != sizeof last) ::_exit(4);
      }
    } catch (...) {
      ::_exit(5);
    }
  }
  ::close(pipeFds[1]);
  std::uint64_t lastAcknowledged = 0, acks = 0;
  while (acks < 300) {
    std::uint64_t v = 0;
    ASSERT_EQ(::read(pipeFds[0], &v, sizeof v), ssize_t(sizeof v)) << "the writer stopped early";
    lastAcknowledged = v;
    ++acks;
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status));
  // Acknowledgements written to the pipe before the kill count too.
  std::uint64_t v = 0;
  while (::read(pipeFds[0], &v, sizeof v) == ssize_t(sizeof v)) lastAcknowledged = v;
  ::close(pipeFds[0]);

  actions::Spool spool(dir);
  auto all = readAll(spool);
  ASSERT_GE(all.size(), lastAcknowledged);
  for (std::uint64_t i = 0; i < lastAcknowledged; ++i) {
    ASSERT_EQ(all[i].sequence, i + 1);
    ASSERT_EQ(all[i].payload.substr(0, all[i].payload.find(':')), std::to_string(i));
  }
  std::cout << "acknowledged " << lastAcknowledged << " records before SIGKILL, found "
            << all.size() << " (torn bytes dropped: " << spool.recovery().tornBytes << ")\n";
}

TEST(Spool, ASecondSpoolOnTheSameDirectoryIsRefusedUntilTheFirstCloses) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  {
    actions::Spool first(dir);
    try {
      actions::Spool second(dir);
      FAIL() << "a second spool opened the same directory";
    } catch (const actions::SpoolLocked& e) {
      std::string what = e.what();
      EXPECT_NE(what.find("in use by another process (pid " + std::to_string(::getpid()) + ")"),
                std::string::npos)
          << what;
    }
    // Another process is refused too.
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      try {
        actions::Spool other(dir);
        ::_exit(0);
      } catch (const actions::SpoolLocked&) {
        ::_exit(7);
      } catch (...) {
        ::_exit(8);
      }
    }
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 7);
  }
  actions::Spool again(dir);  // released with the first
  EXPECT_TRUE(appendOne(again, "x").ok());
}

TEST(Spool, AFullSpoolRefusesAppendsAndTakesThemAgainOnceItsRecordsAreDelivered) {
  testenv::TempDir tmp;
  actions::SpoolOptions options;
  options.maxBytes = 64 * 1024;
  options.minFreeBytes = 0;
  actions::Spool spool(tmp.file("spool"), options);
  std::string record(1000, 'r');
  int appended = 0;
  actions::SpoolAppend last;
  while ((last = appendOne(spool, record)).ok()) ++appended;
  EXPECT_EQ(last.status, actions::SpoolAppend::Status::Full);
  EXPECT_NE(last.error.find("maxBytes"), std::string::npos) << last.error;
  EXPECT_GE(appended, 55);  // 64 KiB of 1,024-byte records, less segment headers
  EXPECT_LE(spool.stats().bytes, options.maxBytes);
  EXPECT_EQ(spool.stats().refusedFull, 1u);
  EXPECT_FALSE(spool.accepts(1024));

  // Delivered: the segments go, the space comes back.
  auto all = readAll(spool);
  ASSERT_EQ(all.size(), std::size_t(appended));
  spool.acknowledge(all.back().sequence);
  EXPECT_EQ(spool.stats().recordsWaiting, 0u);
  EXPECT_LT(spool.stats().bytes, options.maxBytes / 4);
  EXPECT_TRUE(spool.accepts(1024));
  EXPECT_TRUE(appendOne(spool, record).ok());
}

TEST(Spool, AppendsAreRefusedWhileTheFileSystemHasLessFreeThanAsked) {
  testenv::TempDir tmp;
  actions::SpoolOptions options;
  options.minFreeBytes = std::uint64_t(1) << 60;  // more than any disk has
  actions::Spool spool(tmp.file("spool"), options);
  auto r = appendOne(spool, "x");
  EXPECT_EQ(r.status, actions::SpoolAppend::Status::Full);
  EXPECT_NE(r.error.find("free"), std::string::npos) << r.error;
  EXPECT_EQ(spool.stats().recordsWaiting, 0u);
}

TEST(Spool, AcknowledgedRecordsAreNotReadAgainAfterAReopenAndTheirSegmentsGo) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  actions::SpoolOptions options;
  options.segmentBytes = 8 * 1024;
  std::string pad(500, 'p');
  std::uint64_t half = 0;
  {
    actions::Spool spool(dir, options);
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(appendOne(spool, std::to_string(i) + pad).ok());
    std::size_t before = segmentFiles(dir).size();
    EXPECT_GE(before, 5u);
    auto first = spool.read(50, 1 << 20, 0ms);
    ASSERT_EQ(first.size(), 50u);
    half = first.back().sequence;
    spool.acknowledge(half);
    EXPECT_EQ(spool.stats().recordsWaiting, 50u);
    EXPECT_LT(segmentFiles(dir).size(), before);
    // A read after rewind() starts after the acknowledged ones again.
    spool.rewind();
    auto again = spool.read(1, 1 << 20, 0ms);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].sequence, half + 1);
  }
  actions::Spool spool(dir, options);
  EXPECT_EQ(spool.recovery().recordsWaiting, 50u);
  auto rest = readAll(spool);
  ASSERT_EQ(rest.size(), 50u);
  EXPECT_EQ(rest.front().sequence, half + 1);
  EXPECT_EQ(rest.front().payload, "50" + pad);
  spool.acknowledge(rest.back().sequence);
  EXPECT_EQ(spool.stats().recordsWaiting, 0u);
  EXPECT_EQ(spool.stats().oldestAgeSeconds, 0.0);
}

TEST(Spool, ALedgerWriteTornByACrashFallsBackToThePreviousPositionAndLosesNothing) {
  testenv::TempDir tmp;
  const std::string dir = tmp.file("spool");
  {
    actions::Spool spool(dir);
    for (int i = 0; i < 30; ++i) ASSERT_TRUE(appendOne(spool, "r" + std::to_string(i)).ok());
    auto all = readAll(spool);
    spool.acknowledge(all[9].sequence);   // the ledger's first write: slot 1
    spool.acknowledge(all[19].sequence);  // its second: slot 0
  }
  {
    std::fstream ledger(dir + "/ledger", std::ios::in | std::ios::out | std::ios::binary);
    ledger.seekp(20);  // inside slot 0's position field
    ledger.write("\xff\xff", 2);
  }
  actions::Spool spool(dir);
  // Slot 0 fails its checksum: slot 1's older position holds, and records 11..30 come again
  // (delivered twice at worst, which the table's messageId key answers as duplicates).
  EXPECT_EQ(spool.recovery().recordsWaiting, 20u);
  auto again = readAll(spool);
  ASSERT_EQ(again.size(), 20u);
  EXPECT_EQ(again.front().payload, "r10");
}

TEST(Spool, AReaderWaitsForTheNextAppend) {
  testenv::TempDir tmp;
  actions::Spool spool(tmp.file("spool"));
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    appendOne(spool, "late");
  });
  auto got = spool.read(10, 1 << 20, 10s);
  writer.join();
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].payload, "late");
}

TEST(Spool, OptionsOutOfRangeAndAFileInPlaceOfTheDirectoryAreClearErrors) {
  testenv::TempDir tmp;
  actions::SpoolOptions tiny;
  tiny.maxBytes = 1000;
  EXPECT_THROW(actions::Spool(tmp.file("a"), tiny), std::invalid_argument);
  testenv::writeText(tmp.file("file"), "x");
  try {
    actions::Spool spool(tmp.file("file"));
    FAIL() << "a regular file was taken as the spool directory";
  } catch (const actions::SpoolError& e) {
    EXPECT_NE(std::string(e.what()).find(tmp.file("file")), std::string::npos) << e.what();
  }
}

}  // namespace
