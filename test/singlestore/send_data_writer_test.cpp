// The data path end to end against the fixture's MariaDB: payloads in, rows and outcomes out.
#include "singlestore/send_data_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

#include "writer_support.h"

using namespace actions;
using kit::Outcome;
using sstest::Payloads;

namespace {

class SendData : public ::testing::Test {
 protected:
  void SetUp() override {
    settings_ = sstest::settingsWithOwnTable("send");
    admin_ = std::make_unique<db::Connection>(settings_.connectOptions());
  }
  void TearDown() override { admin_->execute("DROP TABLE IF EXISTS " + table()); }
  std::string table() const {
    return singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
  }
  std::vector<kit::EventResult> write(singlestore::SendDataWriter& w, const Payloads& p) {
    std::vector<kit::EventResult> results(p.size());
    auto ptrs = p.pointers();
    w.write(ptrs, results);
    return results;
  }
  std::string count() { return sstest::scalar(*admin_, "SELECT COUNT(*) FROM " + table()); }

  singlestore::Settings settings_;
  std::unique_ptr<db::Connection> admin_;
};

}  // namespace

TEST_F(SendData, AllValidRowsAreStoredOnceAndASecondRunAddsNothing) {
  Payloads p;
  for (int i = 0; i < 1200; ++i) p.track("all-" + std::to_string(i));
  singlestore::WriterOptions o;
  o.batchSize = 250;
  singlestore::SendDataWriter writer(settings_, o);
  auto first = write(writer, p);
  for (auto& r : first) ASSERT_EQ(r.outcome, Outcome::Inserted) << r.error;
  EXPECT_EQ(count(), "1200");
  EXPECT_EQ(first[0].status, 200);

  // Another writer (another run) with the same events: every one is a duplicate.
  singlestore::SendDataWriter again(settings_, o);
  auto second = write(again, p);
  EXPECT_EQ(sstest::countOutcomes(second), "duplicate=1200 ");
  EXPECT_EQ(second[7].status, 200);
  EXPECT_EQ(count(), "1200");
}

TEST_F(SendData, FirstCopyWinsWithinACallAndAcrossCalls) {
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.track("dup-a", "2026-01-01T00:00:00Z", "First");
  p.track("dup-b");
  p.track("dup-a", "2026-01-02T00:00:00Z", "Second");
  p.track("dup-a", "2026-01-03T00:00:00Z", "Third");
  auto r = write(writer, p);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].outcome, Outcome::Inserted);
  EXPECT_EQ(r[2].outcome, Outcome::Duplicate);
  EXPECT_EQ(r[3].outcome, Outcome::Duplicate);

  Payloads later;
  later.track("dup-a", "2026-01-04T00:00:00Z", "Fourth");
  EXPECT_EQ(write(writer, later)[0].outcome, Outcome::Duplicate);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT event FROM " + table() + " WHERE messageId = 'dup-a'"),
            "First");
  EXPECT_EQ(count(), "2");
}

TEST_F(SendData, MessageIdsThatDifferOnlyInCaseAreDifferentEvents) {
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.track("CaseId");
  p.track("caseid");
  auto r = write(writer, p);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=2 ");
  EXPECT_EQ(count(), "2");
}

TEST_F(SendData, ARefusedRowDoesNotCostItsBatch) {
  singlestore::WriterOptions o;
  o.batchSize = 1000;
  singlestore::SendDataWriter writer(settings_, o);
  Payloads p;
  for (int i = 0; i < 60; ++i) {
    std::string id = "refuse-" + std::to_string(i);
    if (i == 10) {
      // JSON nested deeper than MariaDB's JSON_VALID accepts: the server refuses the row.
      std::string deep(40, '[');
      deep += std::string(40, ']');
      p.add(
          R"({"messageId":")" + id +
          R"(","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"Deep","message":{"x":)" +
          deep + "}}");
    } else if (i == 20) {
      p.track(id, "2026-01-01T00:00:00Z", std::string(256, 'e'));  // over VARCHAR(255)
    } else if (i == 30) {
      p.track(id, "2026-02-30T00:00:00Z");  // impossible date
    } else if (i == 40) {
      p.add(
          R"({"messageId":")" + id +
          R"(","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"Deeper","message":{"y":)" +
          std::string(35, '[') + std::string(35, ']') + "}}");
    } else {
      p.track(id);
    }
  }
  auto r = write(writer, p);
  for (int i : {10, 40}) {
    EXPECT_EQ(r[i].outcome, Outcome::Rejected) << i;
    EXPECT_EQ(r[i].status, 400);
    EXPECT_EQ(r[i].errorType, "BAD_REQUEST");
    EXPECT_NE(r[i].error.find("the server refused the row"), std::string::npos) << r[i].error;
    EXPECT_NE(r[i].error.find("CONSTRAINT"), std::string::npos) << r[i].error;
  }
  EXPECT_EQ(r[20].outcome, Outcome::Rejected);
  EXPECT_NE(r[20].error.find("event has 256 characters"), std::string::npos) << r[20].error;
  EXPECT_EQ(r[20].errorType, "PAYLOAD_VALIDATION_FAILED");
  EXPECT_EQ(r[30].outcome, Outcome::Rejected);
  EXPECT_NE(r[30].error.find("impossible date"), std::string::npos) << r[30].error;
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=56 rejected=4 ");
  EXPECT_EQ(count(), "56");
}

TEST_F(SendData, TextThatIsNotUtf8IsRefusedByTheServerAlone) {
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.track("utf-ok-1");
  p.track("utf-bad");
  p.track("utf-ok-2");
  // RapidJSON keeps the bytes it is given: put a lone 0xFF into the message, as a careless
  // host might.
  auto& bad = p.at(1);
  bad["message"].AddMember("raw", json::Value("caf\xff", bad.GetAllocator()), bad.GetAllocator());
  auto docs = p.pointers();
  std::vector<kit::EventResult> r(3);
  writer.write(docs, r);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].outcome, Outcome::Rejected);
  EXPECT_NE(r[1].error.find("Incorrect string value"), std::string::npos) << r[1].error;
  EXPECT_EQ(r[2].outcome, Outcome::Inserted);
}

TEST_F(SendData, ARefusedFirstCopyLetsTheNextCopyIn) {
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.add(
      R"({"messageId":"copy","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"Deep","message":{"x":)" +
      std::string(40, '[') + std::string(40, ']') + "}}");
  p.track("copy", "2026-01-01T00:00:00Z", "Good");
  p.track("copy", "2026-01-01T00:00:00Z", "Late");
  auto r = write(writer, p);
  EXPECT_EQ(r[0].outcome, Outcome::Rejected);
  EXPECT_EQ(r[1].outcome, Outcome::Inserted);
  EXPECT_EQ(r[2].outcome, Outcome::Duplicate);
  EXPECT_EQ(sstest::scalar(*admin_, "SELECT event FROM " + table()), "Good");
}

TEST_F(SendData, TimezoneOffsetsAndMicrosecondsAreStoredRight) {
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.track("tz-1", "2026-03-01T10:15:30.123456+02:00");
  p.track("tz-2", "2026-03-01T01:00:00.000001-05:30");
  p.track("tz-3", "2026-01-01T00:00:00.999999999Z");
  p.add(
      R"({"messageId":"tz-4","timestamp":1767225600123,"type":"identify","message":{"traits":{"name":"Zoë"}}})");
  p.add(R"({"messageId":"tz-5","timestamp":"2026-02-28 23:59:59","type":"page","message":{}})");
  p.add(R"({"messageId":"tz-6","timestamp":"2026-03-02","type":"group","message":{}})");
  auto r = write(writer, p);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=6 ");
  auto rows = admin_->query("SELECT messageId, timestamp, event, type, message FROM " + table() +
                            " ORDER BY messageId");
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows[0][1], "2026-03-01 08:15:30.123456");
  EXPECT_EQ(rows[1][1], "2026-03-01 06:30:00.000001");
  EXPECT_EQ(rows[2][1], "2026-01-01 00:00:00.999999");
  EXPECT_EQ(rows[3][1], "2026-01-01 00:00:00.123000");
  EXPECT_FALSE(rows[3][2].has_value());  // no event: NULL
  EXPECT_EQ(rows[3][3], "identify");
  EXPECT_EQ(rows[3][4], R"({"traits":{"name":"Zoë"}})");
  EXPECT_EQ(rows[4][1], "2026-02-28 23:59:59.000000");
  EXPECT_EQ(rows[5][1], "2026-03-02 00:00:00.000000");
}

TEST_F(SendData, TheDatabaseFieldIsHonoured) {
  std::string other = sstest::uniqueTable("other_db");
  admin_->execute("CREATE DATABASE `" + other + "`");
  singlestore::SendDataWriter writer(settings_);
  Payloads p;
  p.track("db-default");
  p.add(
      R"({"messageId":"db-other","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"E","message":{},"database":")" +
      other + R"("})");
  p.add(
      R"({"messageId":"db-missing","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"E","message":{},"database":"no_such_db_here"})");
  p.add(
      R"({"messageId":"db-bad","timestamp":"2026-01-01T00:00:00Z","type":"track","event":"E","message":{},"database":")" +
      std::string(70, 'd') + R"("})");
  auto r = write(writer, p);
  EXPECT_EQ(r[0].outcome, Outcome::Inserted);
  EXPECT_EQ(r[1].outcome, Outcome::Inserted);
  EXPECT_EQ(r[2].outcome, Outcome::Rejected);
  EXPECT_NE(r[2].error.find("does not exist"), std::string::npos) << r[2].error;
  EXPECT_EQ(r[3].outcome, Outcome::Rejected);
  EXPECT_NE(r[3].error.find("database must be at most 64 characters"), std::string::npos)
      << r[3].error;
  EXPECT_EQ(sstest::scalar(*admin_,
                           "SELECT messageId FROM `" + other + "`.`" + settings_.tableName + "`"),
            "db-other");
  EXPECT_EQ(count(), "1");
  admin_->execute("DROP DATABASE `" + other + "`");
}

TEST_F(SendData, ConcurrentWritersStoreEachMessageIdOnce) {
  // Four threads write overlapping halves of the same events through one writer.
  singlestore::WriterOptions o;
  o.batchSize = 50;
  singlestore::SendDataWriter writer(settings_, o);
  std::vector<Payloads> inputs(4);
  for (int t = 0; t < 4; ++t)
    for (int i = 0; i < 400; ++i) inputs[t].track("race-" + std::to_string((i + t * 100) % 600));
  std::vector<std::vector<kit::EventResult>> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] { results[t] = write(writer, inputs[t]); });
  for (auto& th : threads) th.join();
  std::map<std::string, int> insertedPerId;
  for (int t = 0; t < 4; ++t) {
    auto ptrs = inputs[t].pointers();
    for (std::size_t i = 0; i < results[t].size(); ++i) {
      ASSERT_TRUE(results[t][i].outcome == Outcome::Inserted ||
                  results[t][i].outcome == Outcome::Duplicate)
          << results[t][i].error;
      if (results[t][i].outcome == Outcome::Inserted)
        insertedPerId[(*ptrs[i])["messageId"].GetString()]++;
    }
  }
  EXPECT_EQ(insertedPerId.size(), 600u);
  for (auto& [id, n] : insertedPerId) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(count(), "600");
}

TEST_F(SendData, WrongPasswordFailsEveryEventAsAuthentication) {
  settings_.password = "definitely-wrong";
  singlestore::SendDataWriter writer(settings_);
  EXPECT_THROW(writer.prepare(), db::Error);
  Payloads p;
  p.track("auth-1");
  p.track("auth-2");
  auto r = write(writer, p);
  for (auto& one : r) {
    EXPECT_EQ(one.outcome, Outcome::Failed);
    EXPECT_EQ(one.status, 401);
    EXPECT_EQ(one.errorType, "INVALID_AUTHENTICATION");
    EXPECT_EQ(one.error.find("definitely-wrong"), std::string::npos);
  }
}

TEST_F(SendData, AnUnreachableServerFailsAfterTheRetryDeadline) {
  settings_.port = 1;
  singlestore::WriterOptions o;
  o.retry.retryFor = std::chrono::milliseconds(1500);
  o.retry.firstDelay = std::chrono::milliseconds(50);
  singlestore::SendDataWriter writer(settings_, o);
  Payloads p;
  p.track("down-1");
  auto start = std::chrono::steady_clock::now();
  auto r = write(writer, p);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r[0].outcome, Outcome::Failed);
  EXPECT_EQ(r[0].status, 503);
  EXPECT_EQ(r[0].errorType, "RETRYABLE_ERROR");
  EXPECT_NE(r[0].error.find("cannot connect to 127.0.0.1:1"), std::string::npos) << r[0].error;
  EXPECT_GE(took, std::chrono::milliseconds(1400));
  EXPECT_LT(took, std::chrono::seconds(10));
}
