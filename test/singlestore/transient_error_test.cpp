// SingleStore's transient errors, raised for real by the fixture's MariaDB: a trigger on the
// table answers every write with the error (SIGNAL ... SET MYSQL_ERRNO = N) while a window of
// about two seconds is open, then lets writes through. The writer must wait it out on every
// write path — array binding (MariaDB's default), LOAD DATA in a transaction (SingleStore's
// way), LOAD DATA settled in autocommit (its fallback), multi-row INSERT, each chosen with
// WriterOptions::writePath — and end with every event stored once. The trigger counts its
// refusals in a non-transactional table, so each test also proves the error was met, not dodged.
// The errors that must not be waited out: permanent_error_test.cpp.
#include <gtest/gtest.h>

#include <ostream>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;

namespace {

struct TransientError {
  const char* name;
  unsigned code;
  const char* sqlstate;
  const char* message;
};

// One per class of transient error the destination retries because SingleStore documents it
// (docs/singlestore.md, "Error classes").
const TransientError kErrors[] = {
    {"NotEnoughMemory", 1712, "HY000",
     "Not enough memory available to complete the current request. The request was not "
     "processed."},
    {"TableMemoryFull", 1720, "HY000",
     "Memory usage by SingleStore for tables has reached the value of maximum_table_memory"},
    {"ChildAggregatorCannotReachMaster", 1218, "HY000",
     "Error connecting to master: master aggregator is being elected"},
    {"OldMasterShuttingDown", 1053, "08S01", "Server shutdown in progress"},
    // A failover state the documentation does not number (leaf failover, MA election): any
    // general server error with a number the destination does not know is waited out.
    {"UnnumberedFailoverError", 1999, "HY000",
     "Leaf Error (10.0.0.7:3307): partition is being promoted during failover"},
};

const singlestore::WritePath kPaths[] = {
    singlestore::WritePath::Auto, singlestore::WritePath::LoadData,
    singlestore::WritePath::LoadDataSettled, singlestore::WritePath::Insert};

struct Case {
  TransientError error;
  singlestore::WritePath path;
};

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const auto& e : kErrors)
    for (singlestore::WritePath p : kPaths) cases.push_back({e, p});
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.error.code << " (" << c.error.sqlstate << ") on " << singlestore::toString(c.path);
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  std::string path;
  for (char c : singlestore::toString(info.param.path))
    if (c != '-') path += c;
  return std::string(info.param.error.name) + "_" + path;
}

class TransientErrors : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("transient");
    table_ = singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
    control_ =
        singlestore::makeTableRef(settings_.dbName, settings_.tableName + "_window").qualified();
    singlestore::SendDataWriter(settings_).prepare();  // the table, before its trigger
  }
  void TearDown() override {
    admin_.execute("DROP TABLE IF EXISTS " + table_);
    admin_.execute("DROP TABLE IF EXISTS " + control_);
  }

  // Every write into the table fails with `e` until `seconds` from now.
  void failWritesFor(const TransientError& e, double seconds) {
    // Aria: the refusal count survives the failed statement that made it.
    admin_.execute("CREATE TABLE " + control_ + " (until_at DATETIME(6) NOT NULL, refusals INT " +
                   "NOT NULL) ENGINE=Aria");
    admin_.execute("INSERT INTO " + control_ + " VALUES (NOW(6) + INTERVAL " +
                   std::to_string(static_cast<int>(seconds * 1000)) + "000 MICROSECOND, 0)");
    admin_.execute("CREATE TRIGGER " + settings_.tableName + "_transient BEFORE INSERT ON " +
                   table_ + " FOR EACH ROW BEGIN IF NOW(6) < (SELECT until_at FROM " + control_ +
                   ") THEN UPDATE " + control_ + " SET refusals = refusals + 1; SIGNAL SQLSTATE '" +
                   e.sqlstate + "' SET MYSQL_ERRNO = " + std::to_string(e.code) +
                   ", MESSAGE_TEXT = '" + e.message + "'; END IF; END");
  }

  long long globalCounter(const std::string& name) {
    return std::stoll(sstest::scalar(admin_,
                                     "SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS "
                                     "WHERE VARIABLE_NAME = '" +
                                         name + "'"));
  }

  singlestore::Settings settings_;
  std::string table_, control_;
  db::Connection admin_{sstest::fixtureSettings().connectOptions()};
};

TEST_P(TransientErrors, AreRetriedUntilTheyClearWithEveryEventStoredOnce) {
  const Case& c = GetParam();
  constexpr int kEvents = 200;
  sstest::Payloads p;
  for (int i = 0; i < kEvents; ++i) p.track(settings_.tableName + "-" + std::to_string(i));
  singlestore::WriterOptions o;
  o.writePath = c.path;
  singlestore::SendDataWriter writer(settings_, o);
  long long loadsBefore = globalCounter("COM_LOAD");
  failWritesFor(c.error, 2.0);

  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(p.size());
  writer.write(ptrs, results);

  EXPECT_EQ(sstest::countOutcomes(results), "inserted=" + std::to_string(kEvents) + " ")
      << results[0].error;
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), std::to_string(kEvents));
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(DISTINCT messageId) FROM " + table_),
            std::to_string(kEvents));
  EXPECT_GE(std::stoi(sstest::scalar(admin_, "SELECT refusals FROM " + control_)), 1)
      << "the writes never met the error";
  EXPECT_GE(writer.retries(), 1u);
  if (c.path == singlestore::WritePath::LoadData ||
      c.path == singlestore::WritePath::LoadDataSettled) {
    EXPECT_GE(globalCounter("COM_LOAD") - loadsBefore, 1) << "LOAD DATA was never used";
  }
}

INSTANTIATE_TEST_SUITE_P(SingleStore, TransientErrors, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
