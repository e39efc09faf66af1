// The readiness check sees a database that refuses every write: with read_only ON, a user
// without the privilege to write through it (READ_ONLY ADMIN, SUPER) is told the database is
// read-only — in words that name no address or user, fit for a public /ready — while a user
// whose writes still go through is ready. The folder's private server (its global changes).
#include <gtest/gtest.h>

#include "reliability_support.h"
#include "singlestore/send_data_writer.h"

using namespace actions;

TEST(ReadyCheck, ReadOnlyThatRefusesThisUsersWritesIsNotReady) {
  rel::PrivateServer server;
  ASSERT_TRUE(server.known()) << "ACTIONS_TEST_DB_REL_DIR is not set (run through ctest)";
  ASSERT_TRUE(server.ensureRunning());
  auto admin = server.settings(rel::uniqueTable("readonly"));
  singlestore::SendDataWriter(admin).prepare();  // the table, while writes are allowed

  // A user with every right on the database but none global: read_only binds it.
  const std::string user = "limited_" + std::to_string(getpid());
  const std::string password = "Pw-" + std::to_string(getpid()) + "-x";
  ASSERT_TRUE(server.sql("CREATE USER \"" + user + "\"@\"127.0.0.1\" IDENTIFIED BY \"" + password +
                         "\"; GRANT ALL ON " + admin.dbName + ".* TO \"" + user +
                         "\"@\"127.0.0.1\""));
  auto limited = admin;
  limited.username = user;
  limited.password = password;
  singlestore::SendDataWriter limitedWriter(limited);
  singlestore::SendDataWriter adminWriter(admin);
  EXPECT_TRUE(limitedWriter.check().ready()) << limitedWriter.check().detail;

  server.setGlobal("read_only", "1");
  singlestore::ConnectionCheck c = limitedWriter.check();
  EXPECT_FALSE(c.ready());
  EXPECT_NE(c.reason.find("read-only"), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find(user), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find(limited.host), std::string::npos) << c.reason;
  EXPECT_EQ(c.reason.find(std::to_string(limited.port)), std::string::npos) << c.reason;
  EXPECT_NE(c.detail.find("read-only"), std::string::npos) << c.detail;  // the server's words
  // The fixture's user holds ALL PRIVILEGES ON *.*, which writes through read_only: ready.
  EXPECT_TRUE(adminWriter.check().ready()) << adminWriter.check().detail;
  server.setGlobal("read_only", "0");
  EXPECT_TRUE(limitedWriter.check().ready()) << limitedWriter.check().detail;

  // The probe left nothing behind.
  db::Connection conn(admin.connectOptions());
  EXPECT_EQ(rel::scalar(conn, "SELECT COUNT(*) FROM " + rel::qualified(admin)), "0");
  conn.execute("DROP TABLE " + rel::qualified(admin));
  server.sql("DROP USER \"" + user + "\"@\"127.0.0.1\"");
}
