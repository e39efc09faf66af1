// serve's caps on what clients make it hold (examples/cli/serve/limits.h), the capped lists of its
// answers (answer_list.h) and its once-per-interval log lines (log.h), without a server.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include "serve/answer_list.h"
#include "serve/limits.h"
#include "serve/log.h"

using namespace std::chrono_literals;

TEST(ByteBudget, RefusesPastTheCapAndGivesBackWhatWasHeld) {
  std::atomic<std::int64_t> gauge{0};
  serve::ByteBudget budget(1000, gauge);
  auto a = budget.reserve(600);
  ASSERT_TRUE(a);
  EXPECT_FALSE(budget.reserve(500));
  auto b = budget.reserve(400);
  ASSERT_TRUE(b);
  EXPECT_EQ(gauge.load(), 1000);
  a.reset();
  EXPECT_EQ(gauge.load(), 400);
  EXPECT_TRUE(budget.reserve(600));  // released again at once (a temporary)
  EXPECT_EQ(gauge.load(), 400);
}

TEST(ByteBudget, ARequestLargerThanTheCapPassesAloneSoItCannotStarve) {
  std::atomic<std::int64_t> gauge{0};
  serve::ByteBudget budget(1000, gauge);
  auto big = budget.reserve(5000);
  ASSERT_TRUE(big);
  EXPECT_FALSE(budget.reserve(1));
}

TEST(ByteBudget, AnAnswerLargerThanItsReservationIsCountedWhole) {
  std::atomic<std::int64_t> gauge{0};
  serve::ByteBudget budget(1000, gauge);
  auto t = budget.reserve(300);
  t.atLeast(200);  // smaller: the reservation stays
  EXPECT_EQ(t.bytes(), 300u);
  t.atLeast(1500);  // past the cap: counted all the same, the gauge tells the truth
  EXPECT_EQ(gauge.load(), 1500);
  EXPECT_FALSE(budget.reserve(1));
  t.reset();
  EXPECT_EQ(gauge.load(), 0);
}

TEST(ConnectionGate, CapsPerAddressAndInAll) {
  serve::ConnectionGate gate(3, 2);
  serve::ConnectionGate::Refusal why;
  auto a1 = gate.admit("10.0.0.1", why);
  auto a2 = gate.admit("10.0.0.1", why);
  ASSERT_TRUE(a1 && a2);
  EXPECT_FALSE(gate.admit("10.0.0.1", why));
  EXPECT_EQ(why, serve::ConnectionGate::Refusal::PerAddress);
  auto b1 = gate.admit("10.0.0.2", why);
  ASSERT_TRUE(b1);
  EXPECT_FALSE(gate.admit("10.0.0.3", why));
  EXPECT_EQ(why, serve::ConnectionGate::Refusal::Total);
  a1.reset();
  auto a3 = gate.admit("10.0.0.1", why);
  EXPECT_TRUE(a3);
  EXPECT_EQ(why, serve::ConnectionGate::Refusal::None);
}

TEST(ListedEvents, ListsTheFirstOnesWithinCountAndBytesAndCountsThemAll) {
  serve::ListedEvents few("rejected");
  for (int i = 0; i < 2500; ++i)
    if (few.count()) few.add("{\"index\":" + std::to_string(i) + "}");
  EXPECT_EQ(few.listed(), serve::kMaxListedEvents);
  EXPECT_EQ(few.total(), 2500u);
  std::string out;
  few.appendTo(out);
  EXPECT_EQ(out.rfind(",\"rejected\":[{\"index\":0},{\"index\":1},", 0), 0u) << out;
  EXPECT_NE(out.find("{\"index\":99}],\"rejectedTotal\":2500"), std::string::npos) << out;

  serve::ListedEvents big("skipped");
  std::string entry = "\"" + std::string(1000, 'x') + "\"";
  for (int i = 0; i < 50; ++i)
    if (big.count()) big.add(i == 40 ? "1" : entry);  // a small one after the cut stays out
  EXPECT_EQ(big.listed(), serve::kMaxListedBytes / (entry.size() + 1));
  out.clear();
  big.appendTo(out);
  EXPECT_LE(out.size(), serve::kMaxListedBytes + 64);
  EXPECT_EQ(out.find(",1,"), std::string::npos);

  serve::ListedEvents none("rejected");
  out.clear();
  none.appendTo(out);
  EXPECT_EQ(out, "");
}

TEST(LogEvery, OneLinePerIntervalWithTheCountOfTheOthers) {
  serve::LogEvery every(200ms);
  std::uint64_t suppressed = 99;
  EXPECT_TRUE(every.allow(suppressed));
  EXPECT_EQ(suppressed, 0u);
  int allowed = 0;
  for (int i = 0; i < 1000; ++i) allowed += every.allow(suppressed) ? 1 : 0;
  EXPECT_EQ(allowed, 0);
  std::this_thread::sleep_for(250ms);  // past the interval
  EXPECT_TRUE(every.allow(suppressed));
  EXPECT_EQ(suppressed, 1000u);
}
