// SingleStore's errors that waiting does not fix, raised for real by the fixture's MariaDB (a
// trigger answers every write with them, SIGNAL ... SET MYSQL_ERRNO = N): 2373 (code generation
// disabled: the free license's capacity exceeded) fails its rows at once; 1720
// (maximum_table_memory reached: the database read-only) is retried for a few seconds, not the
// two-minute budget; both say why, and what to do. The errors that are waited out:
// transient_error_test.cpp.
#include <gtest/gtest.h>

#include <chrono>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using Clock = std::chrono::steady_clock;

namespace {

class PermanentErrors : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("permanent");
    table_ = singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
    singlestore::SendDataWriter(settings_).prepare();
  }
  void TearDown() override { admin_.execute("DROP TABLE IF EXISTS " + table_); }

  void refuseEveryWrite(unsigned code, const std::string& message) {
    admin_.execute("CREATE TRIGGER " + settings_.tableName + "_refuse BEFORE INSERT ON " + table_ +
                   " FOR EACH ROW SIGNAL SQLSTATE 'HY000' SET MYSQL_ERRNO = " +
                   std::to_string(code) + ", MESSAGE_TEXT = '" + message + "'");
  }

  // Writes 20 events with the default retry budget (2 minutes); returns the seconds it took.
  double write(std::vector<kit::EventResult>& results, singlestore::WritePath path) {
    sstest::Payloads p;
    for (int i = 0; i < 20; ++i) p.track(settings_.tableName + "-" + std::to_string(i));
    singlestore::WriterOptions o;
    o.writePath = path;
    singlestore::SendDataWriter writer(settings_, o);
    auto ptrs = p.pointers();
    results.assign(p.size(), {});
    auto start = Clock::now();
    writer.write(ptrs, results);
    return std::chrono::duration<double>(Clock::now() - start).count();
  }

  singlestore::Settings settings_;
  std::string table_;
  db::Connection admin_{sstest::fixtureSettings().connectOptions()};
};

}  // namespace

TEST_F(PermanentErrors, LicenseCapacityFailsAtOnceWithTheReason) {
  refuseEveryWrite(2373,
                   "Code generation for new statements is disabled because the total number of "
                   "license units of capacity used on all leaf nodes is 6, which is above the "
                   "limit of 4 for the SingleStore free license.");
  for (auto path : {singlestore::WritePath::Auto, singlestore::WritePath::Insert}) {
    std::vector<kit::EventResult> r;
    double took = write(r, path);
    EXPECT_LT(took, 2.0) << "retried a license limit";
    EXPECT_EQ(sstest::countOutcomes(r), "failed=20 ");
    EXPECT_EQ(r[0].status, 500);
    EXPECT_NE(r[0].error.find("Code generation"), std::string::npos) << r[0].error;
    EXPECT_NE(r[0].error.find("license"), std::string::npos) << r[0].error;
  }
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "0");
}

TEST_F(PermanentErrors, TableMemoryFullIsRetriedOnlyBrieflyThenFailsWithTheReason) {
  refuseEveryWrite(1720,
                   "Memory usage by SingleStore for tables (9800 MB) has reached the value of "
                   "maximum_table_memory global variable (9800 MB). This query cannot be "
                   "executed.");
  std::vector<kit::EventResult> r;
  double took = write(r, singlestore::WritePath::Auto);
  EXPECT_GE(took, 4.0) << "not retried at all";
  EXPECT_LT(took, 10.0) << "retried like a passing fault (the budget is 2 minutes)";
  EXPECT_EQ(sstest::countOutcomes(r), "failed=20 ");
  EXPECT_EQ(r[0].status, 503);
  EXPECT_NE(r[0].error.find("maximum_table_memory"), std::string::npos) << r[0].error;
  EXPECT_NE(r[0].error.find("raise the limit"), std::string::npos) << r[0].error;
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), "0");
}
