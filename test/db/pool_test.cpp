// The connection pool against the fixture's server: reuse, health checks, limits, shutdown.
#include "db/pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <random>
#include <thread>
#include <vector>

#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;
using namespace std::chrono_literals;

namespace {

db::ConnectOptions options() {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.settings);
  return r.settings ? r.settings->connectOptions() : db::ConnectOptions{};
}

}  // namespace

TEST(ConnectionPool, ReusesAReturnedConnection) {
  db::ConnectionPool pool(options());
  unsigned long first;
  {
    auto lease = pool.acquire();
    first = lease->threadId();
    EXPECT_EQ(lease->query("SELECT 1")[0][0], "1");
    EXPECT_EQ(pool.idleCount(), 0u);
  }
  EXPECT_EQ(pool.idleCount(), 1u);
  auto again = pool.acquire();
  EXPECT_EQ(again->threadId(), first);
  EXPECT_EQ(pool.openCount(), 1u);
}

TEST(ConnectionPool, ABrokenLeaseIsClosedNotReused) {
  db::ConnectionPool pool(options());
  unsigned long first;
  {
    auto lease = pool.acquire();
    first = lease->threadId();
    lease.markBroken();
  }
  EXPECT_EQ(pool.idleCount(), 0u);
  EXPECT_EQ(pool.openCount(), 0u);
  EXPECT_NE(pool.acquire()->threadId(), first);
}

TEST(ConnectionPool, AConnectionKilledWhileIdleIsReplacedAfterAPing) {
  db::PoolOptions po;
  po.pingAfterIdle = 0ms;  // ping on every reuse
  db::ConnectionPool pool(options(), po);
  unsigned long victim;
  {
    auto lease = pool.acquire();
    victim = lease->threadId();
  }
  db::Connection admin(options());
  admin.execute("KILL CONNECTION " + std::to_string(victim));
  // The server ends the killed connection on its own time: wait until it is gone from the
  // process list, so the pool's ping meets a dead link for sure.
  auto gone = [&] {
    return admin.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID = " +
                       std::to_string(victim))[0][0] == "0";
  };
  for (auto until = std::chrono::steady_clock::now() + 30s; !gone();) {
    ASSERT_LT(std::chrono::steady_clock::now(), until) << "the killed connection stayed listed";
    std::this_thread::sleep_for(5ms);
  }
  auto lease = pool.acquire();
  EXPECT_NE(lease->threadId(), victim);
  EXPECT_EQ(lease->query("SELECT 2")[0][0], "2");
  EXPECT_EQ(pool.openCount(), 1u);
}

TEST(ConnectionPool, WaitsWhenAllConnectionsAreLeased) {
  db::PoolOptions po;
  po.maxOpen = 2;
  db::ConnectionPool pool(options(), po);
  auto a = pool.acquire();
  auto b = pool.acquire();
  auto third = std::async(std::launch::async, [&] { return pool.acquire()->threadId(); });
  EXPECT_EQ(third.wait_for(300ms), std::future_status::timeout);
  unsigned long aId = a->threadId();
  a.release();
  EXPECT_EQ(third.get(), aId);
  EXPECT_LE(pool.openCount(), 2u);
}

TEST(ConnectionPool, ManyThreadsShareIt) {
  db::PoolOptions po;
  po.maxOpen = 3;
  db::ConnectionPool pool(options(), po);
  std::atomic<int> answered{0};
  std::atomic<std::size_t> mostOpen{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto lease = pool.acquire();
        if (lease->query("SELECT 40 + 2")[0][0] == "42") ++answered;
        std::size_t open = pool.openCount();
        for (std::size_t seen = mostOpen;
             open > seen && !mostOpen.compare_exchange_weak(seen, open);) {
        }
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(answered, 120);
  EXPECT_LE(mostOpen.load(), 3u);
}

TEST(ConnectionPool, ALeaseEndedInsideATransactionIsRolledBack) {
  db::ConnectionPool pool(options());
  std::string table = "pool_tx_" + std::to_string(std::random_device{}() % 1000000);
  {
    auto lease = pool.acquire();
    lease->execute("CREATE TABLE " + table + " (id INT PRIMARY KEY) ENGINE=InnoDB");
    lease->execute("START TRANSACTION");
    lease->execute("INSERT INTO " + table + " VALUES (1)");
    EXPECT_TRUE(lease->inTransaction());
  }
  auto lease = pool.acquire();
  EXPECT_FALSE(lease->inTransaction());
  EXPECT_EQ(lease->query("SELECT COUNT(*) FROM " + table)[0][0], "0");
  lease->execute("DROP TABLE " + table);
}

TEST(ConnectionPool, ShutdownClosesIdleAndRefusesNewLeases) {
  db::ConnectionPool pool(options());
  auto held = pool.acquire();
  { auto idle = pool.acquire(); }
  EXPECT_EQ(pool.idleCount(), 1u);
  pool.shutdown();
  EXPECT_EQ(pool.idleCount(), 0u);
  EXPECT_THROW(pool.acquire(), db::Error);
  held.release();  // closed on return, not pooled
  EXPECT_EQ(pool.openCount(), 0u);
}

TEST(ConnectionPool, SharedPoolsAreKeyedBySettings) {
  auto o = options();
  auto a = db::ConnectionPool::shared(o);
  auto b = db::ConnectionPool::shared(o);
  EXPECT_EQ(a.get(), b.get());
  auto other = o;
  other.readTimeoutSec = 7;
  EXPECT_NE(db::ConnectionPool::shared(other).get(), a.get());
  auto wrongPassword = o;
  wrongPassword.password += "x";
  EXPECT_NE(db::ConnectionPool::shared(wrongPassword).get(), a.get());
}

TEST(ConnectionPool, AFailedConnectFreesItsSlot) {
  auto o = options();
  o.password = "not-the-password";
  db::PoolOptions po;
  po.maxOpen = 1;
  db::ConnectionPool pool(o, po);
  EXPECT_THROW(pool.acquire(), db::Error);
  EXPECT_THROW(pool.acquire(), db::Error);  // does not wait for a slot that was never freed
  EXPECT_EQ(pool.openCount(), 0u);
}

TEST(Connection, SessionIsStrictUtcAndSurvivesReset) {
  db::Connection c(options());
  auto mode = *c.query("SELECT @@SESSION.sql_mode")[0][0];
  EXPECT_NE(mode.find("STRICT_ALL_TABLES"), std::string::npos) << mode;
  c.execute("SET @marker = 1");
  c.reset();
  EXPECT_FALSE(c.query("SELECT @marker")[0][0].has_value());
  EXPECT_EQ(c.query("SELECT @@session.time_zone")[0][0], "+00:00");
  EXPECT_NE(c.query("SELECT @@SESSION.sql_mode")[0][0]->find("STRICT_ALL_TABLES"),
            std::string::npos);
  EXPECT_EQ(c.maxAllowedPacket(), 64u * 1024 * 1024);  // scripts/db starts the server with 64M
}
