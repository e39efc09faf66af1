// Statements bounded by the server's max_allowed_packet, on a server of its own (fixture
// "db_own") whose limit the test lowers to 1 MiB — a global setting no other test should see.
#include <gtest/gtest.h>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using kit::Outcome;

namespace {

class Packet : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("ACTIONS_TEST_DB_OWN_DIR");
    ASSERT_TRUE(dir);
    settings_ = sstest::settingsFrom(std::string(dir) + "/settings.json");
    settings_.tableName = sstest::uniqueTable("packet");
    admin_ = std::make_unique<db::Connection>(settings_.connectOptions());
    admin_->execute("SET GLOBAL max_allowed_packet = 1048576");
    // A new read timeout keys a new pool: its connections see the new limit.
    options_.readTimeoutSec = 59;
  }
  void TearDown() override {
    admin_->execute("SET GLOBAL max_allowed_packet = 67108864");
    admin_->execute("DROP TABLE IF EXISTS " + table());
  }
  std::string table() const {
    return singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
  }
  std::vector<kit::EventResult> write(const sstest::Payloads& p) {
    singlestore::SendDataWriter writer(settings_, options_);
    std::vector<kit::EventResult> results(p.size());
    auto ptrs = p.pointers();
    writer.write(ptrs, results);
    return results;
  }
  // Statements that wrote rows: INSERTs, and LOAD DATA for the bulk path.
  long long insertStatements() {
    return std::stoll(
        sstest::scalar(*admin_,
                       "SELECT SUM(VARIABLE_VALUE) FROM information_schema.GLOBAL_STATUS "
                       "WHERE VARIABLE_NAME IN ('COM_INSERT', 'COM_LOAD')"));
  }

  singlestore::Settings settings_;
  singlestore::WriterOptions options_;
  std::unique_ptr<db::Connection> admin_;
};

}  // namespace

TEST_F(Packet, RowsThatDoNotFitOneStatementGoInSeveral) {
  // Ten rows of 300 KB: at most three fit under 1 MiB, so at least four statements.
  sstest::Payloads p;
  std::string blob(300 * 1000, 'x');
  for (int i = 0; i < 10; ++i)
    p.track("fit-" + std::to_string(i), "2026-01-01T00:00:00Z", "Big",
            ",\"blob\":\"" + blob + "\"");
  long long before = insertStatements();
  auto r = write(p);
  long long statements = insertStatements() - before;
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=10 ");
  EXPECT_GE(statements, 4);
  EXPECT_LE(statements, 5);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "10");
}

TEST_F(Packet, ARowLargerThanTheLimitIsRejectedAlone) {
  sstest::Payloads p;
  p.track("huge-neighbour-1");
  p.track("huge", "2026-01-01T00:00:00Z", "Huge",
          ",\"blob\":\"" + std::string(1100 * 1000, 'y') + "\"");
  p.track("huge-neighbour-2");
  auto r = write(p);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].outcome, Outcome::Rejected);
  EXPECT_EQ(r[1].status, 400);
  EXPECT_NE(r[1].error.find("max_allowed_packet"), std::string::npos) << r[1].error;
  EXPECT_EQ(r[2].outcome, Outcome::Inserted);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()), "2");
}

TEST_F(Packet, MaxBatchSizeBoundsRowsPerStatement) {
  sstest::Payloads p;
  for (int i = 0; i < 95; ++i)
    p.add(
        R"({"messageId":"mbs-)" + std::to_string(i) +
        R"(","timestamp":"2026-01-01T00:00:00Z","type":"identify","message":{},"max_batch_size":10})");
  long long before = insertStatements();
  auto r = write(p);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=95 ");
  EXPECT_EQ(insertStatements() - before, 10);
}
