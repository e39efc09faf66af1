// SingleStore's transient errors, raised for real by the fixture's MariaDB: a trigger on the
// table answers every write with the error (SIGNAL ... SET MYSQL_ERRNO = N) while a window of
// about two seconds is open, then lets writes through. `send` must wait it out on every write
// path — array binding (MariaDB's default), LOAD DATA in a transaction, LOAD DATA settled in
// autocommit (SingleStore's way), multi-row INSERT — and end with every event stored once and
// exit status 0. The trigger counts its refusals in a non-transactional table, so each test
// also proves the error was met, not dodged.
#include <gtest/gtest.h>

#include <cstdlib>
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

const char* const kPaths[] = {"auto", "load-data", "load-data-settled", "insert"};

struct Case {
  TransientError error;
  const char* path;
};

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const auto& e : kErrors)
    for (const char* p : kPaths) cases.push_back({e, p});
  return cases;
}

void PrintTo(const Case& c, std::ostream* os) {
  *os << c.error.code << " (" << c.error.sqlstate << ") on " << c.path;
}

std::string caseName(const ::testing::TestParamInfo<Case>& info) {
  std::string path;
  for (const char* c = info.param.path; *c; ++c)
    if (*c != '-') path += *c;
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
    ::unsetenv("ACTIONS_SINGLESTORE_WRITE_PATH");
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

  std::string settingsFile(const testenv::TempDir& dir) {
    std::string s = testenv::readText(testenv::settingsPath());
    s.insert(s.rfind('}'), ",\"tableName\":\"" + settings_.tableName + "\"");
    std::string path = dir.file("settings.json");
    testenv::writeText(path, s);
    return path;
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
  testenv::TempDir dir;
  std::string input;
  constexpr int kEvents = 200;
  for (int i = 0; i < kEvents; ++i)
    input += R"({"type":"track","event":"Transient","messageId":")" + settings_.tableName + "-" +
             std::to_string(i) + R"(","timestamp":"2026-01-01T00:00:00.000Z","properties":{"i":)" +
             std::to_string(i) + "}}\n";
  ::setenv("ACTIONS_SINGLESTORE_WRITE_PATH", c.path, 1);
  long long loadsBefore = globalCounter("COM_LOAD");
  failWritesFor(c.error, 2.0);

  auto r = testenv::runCli(
      "send --settings " + settingsFile(dir) + " --report " + dir.file("report.ndjson"), input);

  EXPECT_EQ(r.exitCode, 0) << r.err;
  auto lines = testenv::nonEmptyLines(testenv::readText(dir.file("report.ndjson")));
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kEvents)) << r.err;
  for (const auto& line : lines)
    ASSERT_NE(line.find("\"outcome\":\"inserted\""), std::string::npos) << line;
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM " + table_), std::to_string(kEvents));
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(DISTINCT messageId) FROM " + table_),
            std::to_string(kEvents));
  EXPECT_GE(std::stoi(sstest::scalar(admin_, "SELECT refusals FROM " + control_)), 1)
      << "the writes never met the error";
  std::string path = c.path;
  if (path == "load-data" || path == "load-data-settled") {
    EXPECT_GE(globalCounter("COM_LOAD") - loadsBefore, 1) << "LOAD DATA was never used";
  }
}

INSTANTIATE_TEST_SUITE_P(SingleStore, TransientErrors, ::testing::ValuesIn(allCases()), caseName);

}  // namespace
