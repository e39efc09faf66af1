// serve's caps on what clients make it hold (examples/cli/serve/limits.h), the room a request
// reserves for its answer, and its once-per-interval log lines (log.h), without a server.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "actions/tracking.h"
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

TEST(TrackingAnswer, FitsTheRoomARequestReservesForIt) {
  // The most a tracking answer lists: every event of the largest batch Segment allows skipped or
  // rejected with a long messageId and error.
  std::vector<actions::tracking::EventAnswer> answers(2500);
  for (std::size_t i = 0; i < answers.size(); ++i) {
    auto& a = answers[i];
    a.index = i;
    a.outcome = i % 2 ? actions::Outcome::Rejected : actions::Outcome::Skipped;
    a.reason = "validation";
    a.status = 400;
    a.errorType = "PAYLOAD_VALIDATION_FAILED";
    a.error = std::string(2000, 'e');
    a.messageId = std::string(1000, 'm');
  }
  std::string body = actions::tracking::successBody(answers);
  EXPECT_LE(body.size(), serve::kTrackingAnswerAllowance);
  EXPECT_NE(body.find("\"rejectedTotal\":1250"), std::string::npos) << body.substr(0, 200);
  EXPECT_NE(body.find("\"skippedTotal\":1250"), std::string::npos);
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
