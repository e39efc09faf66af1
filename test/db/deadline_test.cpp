// Every wait of a connection ends by the caller's deadline, to the millisecond, whatever the
// whole-second timeouts say (db/io_deadline.h): an answer that does not come, a greeting that
// does not come, a free connection that does not come. Against the fixture's MariaDB and a
// listening socket that never answers.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "db/connection.h"
#include "db/pool.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

db::ConnectOptions options() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings);
  return r.settings ? r.settings->connectOptions() : db::ConnectOptions{};
}

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// A TCP port that accepts connections (the kernel's backlog) but never speaks: a server that
// is stopped, from the client's side.
class MutePeer {
 public:
  MutePeer() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd_, 16);
    socklen_t n = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &n);
    port_ = ntohs(a.sin_port);
  }
  ~MutePeer() { ::close(fd_); }
  unsigned port() const { return port_; }

 private:
  int fd_ = -1;
  unsigned port_ = 0;
};

}  // namespace

TEST(Deadline, AStatementWithoutAnAnswerEndsAtTheDeadlineNotTheReadTimeout) {
  auto o = options();
  o.readTimeoutSec = 30;
  db::Connection c(o);
  c.setDeadline(Clock::now() + 400ms);
  auto start = Clock::now();
  try {
    c.query("SELECT SLEEP(5)");
    FAIL() << "the statement outlived its deadline";
  } catch (const db::Error& e) {
    EXPECT_TRUE(e.timedOutAtDeadline()) << e.what();
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Retryable);
    EXPECT_TRUE(e.outcomeUnknown()) << "the server may have run it";
    EXPECT_NE(std::string(e.what()).find("before the deadline"), std::string::npos) << e.what();
  }
  double took = secondsSince(start);
  EXPECT_GE(took, 0.39);
  EXPECT_LT(took, 1.0);
  // The link is in an unknown state: the connection closed itself and refuses further use.
  EXPECT_FALSE(c.isOpen());
  EXPECT_THROW(c.query("SELECT 1"), db::Error);
}

TEST(Deadline, AWaitThatEndsInTimeIsUntouchedAndALaterDeadlineApplies) {
  db::Connection c(options());
  c.setDeadline(Clock::now() + 2s);
  EXPECT_EQ(c.query("SELECT SLEEP(0.2), 7")[0][1], "7");
  c.setDeadline(std::nullopt);
  EXPECT_EQ(c.query("SELECT SLEEP(0.1), 8")[0][1], "8");
  EXPECT_TRUE(c.isOpen());
}

TEST(Deadline, ConnectingToAServerThatNeverGreetsEndsAtTheDeadline) {
  MutePeer peer;
  auto o = options();
  o.port = peer.port();
  o.connectTimeoutSec = 10;
  auto start = Clock::now();
  try {
    db::Connection c(o, Clock::now() + 300ms);
    FAIL() << "connected to a peer that never speaks";
  } catch (const db::Error& e) {
    EXPECT_TRUE(e.timedOutAtDeadline()) << e.what();
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Retryable);
  }
  EXPECT_LT(secondsSince(start), 1.0);
}

TEST(Deadline, AFullPoolAnswersAtTheDeadlineInsteadOfWaitingForever) {
  db::PoolOptions po;
  po.maxOpen = 1;
  db::ConnectionPool pool(options(), po);
  auto held = pool.acquire();
  auto start = Clock::now();
  try {
    pool.acquire(Clock::now() + 300ms);
    FAIL() << "a second connection out of a pool of one";
  } catch (const db::Error& e) {
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Retryable);
    EXPECT_NE(std::string(e.what()).find("no connection came free"), std::string::npos);
  }
  double took = secondsSince(start);
  EXPECT_GE(took, 0.29);
  EXPECT_LT(took, 1.0);
}

TEST(Deadline, ALeaseCarriesItsDeadlineAndTheNextLeaseStartsWithout) {
  db::PoolOptions po;
  po.maxOpen = 1;
  db::ConnectionPool pool(options(), po);
  {
    auto lease = pool.acquire(Clock::now() + 5s);
    ASSERT_TRUE(lease->deadline().has_value());
  }
  auto again = pool.acquire();
  EXPECT_FALSE(again->deadline().has_value());
  EXPECT_EQ(again->query("SELECT SLEEP(0.1), 1")[0][1], "1");
}
