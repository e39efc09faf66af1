// A refusal that belongs to one target database fails that database's rows, not the run: a user
// with rights on one database only, events for it and for another interleaved (issue 19.3).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;
using kit::Outcome;

namespace {

class Forbidden : public ::testing::Test {
 protected:
  void SetUp() override {
    allowed_ = sstest::uniqueTable("actions_fa");
    denied_ = sstest::uniqueTable("actions_fb");
    user_ = sstest::uniqueTable("fu");
    admin_.execute("CREATE DATABASE `" + allowed_ + "`");
    admin_.execute("CREATE DATABASE `" + denied_ + "`");
    admin_.execute("CREATE USER '" + user_ + "'@'127.0.0.1' IDENTIFIED BY 'Forbidden-pw-1'");
    admin_.execute("GRANT ALL PRIVILEGES ON `" + allowed_ + "`.* TO '" + user_ + "'@'127.0.0.1'");
    settings_ = sstest::fixtureSettings();
    settings_.username = user_;
    settings_.password = "Forbidden-pw-1";
    settings_.dbName = allowed_;
  }
  void TearDown() override {
    admin_.execute("DROP USER IF EXISTS '" + user_ + "'@'127.0.0.1'");
    admin_.execute("DROP DATABASE IF EXISTS `" + allowed_ + "`");
    admin_.execute("DROP DATABASE IF EXISTS `" + denied_ + "`");
  }

  std::string allowed_, denied_, user_;
  singlestore::Settings settings_;
  db::Connection admin_{sstest::fixtureSettings().connectOptions()};
};

}  // namespace

TEST_F(Forbidden, TheWriterFailsOnlyTheRowsOfTheDatabaseItMayNotWrite) {
  singlestore::SendDataWriter writer(settings_);
  writer.prepare();
  sstest::Payloads p;
  for (int i = 0; i < 40; ++i) {
    p.track("fb-" + std::to_string(i));
    if (i % 2)
      p.at(p.size() - 1)
          .AddMember("database", json::Value(denied_.c_str(), p.at(p.size() - 1).GetAllocator()),
                     p.at(p.size() - 1).GetAllocator());
  }
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> r(p.size());
  writer.write(ptrs, r);
  for (int i = 0; i < 40; ++i) {
    if (i % 2) {
      EXPECT_EQ(r[i].outcome, Outcome::Failed) << i;
      EXPECT_EQ(r[i].status, 403) << i << " " << r[i].error;
      EXPECT_EQ(r[i].errorType, "FORBIDDEN") << i;
      EXPECT_NE(r[i].error.find(denied_), std::string::npos) << r[i].error;
      EXPECT_EQ(r[i].error.find("Forbidden-pw-1"), std::string::npos);
    } else {
      EXPECT_EQ(r[i].outcome, Outcome::Inserted) << i << " " << r[i].error;
    }
  }
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM `" + allowed_ + "`.segment_raw_data"),
            "20");

  // A table the user may read but not write fails the same way, at the INSERT.
  admin_.execute(singlestore::createTableSql(
      singlestore::Dialect::MySql, singlestore::makeTableRef(denied_, "segment_raw_data")));
  admin_.execute("GRANT SELECT ON `" + denied_ + "`.* TO '" + user_ + "'@'127.0.0.1'");
  singlestore::SendDataWriter again(settings_);
  sstest::Payloads q;
  q.track("fb-x");
  q.at(0).AddMember("database", json::Value(denied_.c_str(), q.at(0).GetAllocator()),
                    q.at(0).GetAllocator());
  q.track("fb-y");
  auto qp = q.pointers();
  std::vector<kit::EventResult> r2(q.size());
  again.write(qp, r2);
  EXPECT_EQ(r2[0].status, 403) << r2[0].error;
  EXPECT_NE(r2[0].error.find("INSERT command denied"), std::string::npos) << r2[0].error;
  EXPECT_EQ(r2[1].outcome, Outcome::Inserted) << r2[1].error;
}

TEST_F(Forbidden, SendStoresEveryAllowedRowAndExits3) {
  testenv::TempDir dir;
  json::Document s;
  ASSERT_FALSE(json::parse(testenv::readText(testenv::settingsPath()), s));
  s["username"].SetString(user_.c_str(), s.GetAllocator());
  s["password"].SetString("Forbidden-pw-1", s.GetAllocator());
  s["dbName"].SetString(allowed_.c_str(), s.GetAllocator());
  testenv::writeText(dir.file("s.json"), json::stringify(s));
  testenv::writeText(
      dir.file("m.json"),
      R"({"database":{"@path":"$.properties.db"},"messageId":{"@path":"$.messageId"},)"
      R"("timestamp":{"@path":"$.timestamp"},"type":{"@path":"$.type"},)"
      R"("event":{"@path":"$.event"},"message":{"@path":"$."},"max_batch_size":1000})");
  std::string events;
  const int n = 3000;
  for (int i = 0; i < n; ++i)
    events += R"({"type":"track","event":"E","messageId":"m)" + std::to_string(i) +
              R"(","timestamp":"2024-01-01T00:00:00Z","properties":{"db":")" +
              (i % 3 == 1 ? denied_ : allowed_) + "\"}}\n";
  testenv::writeText(dir.file("e.ndjson"), events);
  auto r =
      testenv::runCli("send --settings " + dir.file("s.json") + " --mapping " + dir.file("m.json") +
                      " --report " + dir.file("r.ndjson") + " " + dir.file("e.ndjson"));
  EXPECT_EQ(r.exitCode, 3) << r.err;
  EXPECT_EQ(r.err.find("Forbidden-pw-1"), std::string::npos);
  std::string report = testenv::readText(dir.file("r.ndjson"));
  int inserted = 0, forbidden = 0, lines = 0;
  for (std::size_t pos = 0, end; (end = report.find('\n', pos)) != std::string::npos;
       pos = end + 1) {
    std::string line = report.substr(pos, end - pos);
    ++lines;
    if (line.find("\"outcome\":\"inserted\"") != std::string::npos) ++inserted;
    if (line.find("\"status\":403") != std::string::npos && line.find(denied_) != std::string::npos)
      ++forbidden;
  }
  EXPECT_EQ(lines, n);
  EXPECT_EQ(inserted, n - n / 3);
  EXPECT_EQ(forbidden, n / 3);
  EXPECT_EQ(sstest::scalar(admin_, "SELECT COUNT(*) FROM `" + allowed_ + "`.segment_raw_data"),
            std::to_string(n - n / 3));
}
