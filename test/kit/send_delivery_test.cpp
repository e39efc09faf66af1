// `send` delivering into a real MariaDB (the "db" fixture): report lines, outcomes and exit
// codes of docs/contracts.md, duplicates within a run and across runs, and a refused login.
#include <gtest/gtest.h>

#include <random>

#include "support/test_env.h"
#include "test_data.h"

namespace {

using namespace actions;
using testenv::runCli;
const auto lines = testenv::nonEmptyLines;

// The fixture's settings with a table of this test's own.
std::string settingsWithTable(testenv::TempDir& tmp, const std::string& table,
                              const char* password = nullptr) {
  json::Document s = kittest::parseOrDie(testenv::readText(testenv::settingsPath()));
  auto& a = s.GetAllocator();
  s.RemoveMember("tableName");
  s.AddMember("tableName", json::Value(table.c_str(), a), a);
  if (password) s["password"].SetString(password, a);
  std::string path = tmp.file("settings-" + table + ".json");
  testenv::writeText(path, json::stringify(s));
  return path;
}

std::string uniqueTable() {
  std::random_device rd;
  return "kit_send_" + std::to_string(rd() % 1000000000);
}

const char* kEvents =
    R"({"messageId":"a","type":"track","event":"E","timestamp":"2024-05-01T10:00:00.123456789+02:00"})"
    "\n"
    R"({"messageId":"b","type":"identify","timestamp":1714557600})"
    "\n"
    R"({"messageId":"a","type":"track","event":"E again","timestamp":"2024-05-01T10:00:00Z"})"
    "\n"
    R"({"messageId":"c","type":"track","timestamp":"2024-05-01T10:00:00Z"})"
    "\n"
    R"({"messageId":"d","type":"page","timestamp":"2021-02-30"})"
    "\n"
    R"({"messageId":"e","type":"custom","timestamp":"2024-05-01"})"
    "\n";

TEST(SendDelivery, ReportsEveryEventAndStoresEachMessageIdOnce) {
  testenv::TempDir tmp;
  std::string settings = settingsWithTable(tmp, uniqueTable());
  testenv::writeText(tmp.file("events.ndjson"), kEvents);
  std::string report = tmp.file("report.ndjson");
  auto r = runCli("send --settings " + settings + " --report " + report + " " +
                  tmp.file("events.ndjson"));
  EXPECT_EQ(r.exitCode, 1) << r.err;  // some rejected, every valid one stored
  EXPECT_EQ(r.out, "");
  auto rep = lines(testenv::readText(report));
  ASSERT_EQ(rep.size(), 6u) << testenv::readText(report);
  const std::string events = tmp.file("events.ndjson");
  EXPECT_EQ(rep[0], R"({"i":0,"source":")" + events +
                        R"(:1","messageId":"a","status":200,"outcome":"inserted"})");
  EXPECT_EQ(rep[1], R"({"i":1,"source":")" + events +
                        R"(:2","messageId":"b","status":200,"outcome":"inserted"})");
  EXPECT_EQ(kittest::parseOrDie(rep[2])["outcome"], "duplicate");  // the first copy wins
  EXPECT_EQ(kittest::parseOrDie(rep[3])["outcome"], "rejected");
  json::Document impossible = kittest::parseOrDie(rep[4]);
  EXPECT_EQ(impossible["outcome"], "rejected");
  std::string impossibleError = kittest::str(impossible["error"]);
  EXPECT_NE(impossibleError.find(": Timestamp \"2021-02-30\" is an impossible date."),
            std::string::npos)
      << impossibleError;
  EXPECT_EQ(impossibleError.rfind(events + ":", 0), 0u) << impossibleError;
  EXPECT_EQ(kittest::parseOrDie(rep[5])["outcome"], "skipped");
  EXPECT_NE(r.err.find("2 inserted, 1 duplicate, 1 skipped, 2 rejected, 0 failed"),
            std::string::npos)
      << r.err;

  // A second run stores nothing new: the valid events are duplicates now.
  testenv::writeText(
      tmp.file("valid.ndjson"),
      R"({"messageId":"a","type":"track","event":"E","timestamp":"2024-05-01T10:00:00Z"})"
      "\n"
      R"({"messageId":"f","type":"group","timestamp":"2024-05-01T10:00:00Z"})"
      "\n");
  auto again = runCli("send --settings " + settings + " --batch-size 1 --report " + report + " " +
                      tmp.file("valid.ndjson"));
  EXPECT_EQ(again.exitCode, 0) << again.err;
  rep = lines(testenv::readText(report));
  ASSERT_EQ(rep.size(), 2u);
  EXPECT_EQ(kittest::parseOrDie(rep[0])["outcome"], "duplicate");
  EXPECT_EQ(kittest::parseOrDie(rep[1])["outcome"], "inserted");
}

TEST(SendDelivery, RefusedLoginSendsNothingAndKeepsThePasswordSecret) {
  testenv::TempDir tmp;
  std::string settings = settingsWithTable(tmp, uniqueTable(), "NotThePassword123");
  testenv::writeText(tmp.file("events.ndjson"), kEvents);
  std::string report = tmp.file("report.ndjson");
  auto r = runCli("send --settings " + settings + " --report " + report + " " +
                  tmp.file("events.ndjson"));
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.err.find("NotThePassword123"), std::string::npos);
  auto rep = lines(testenv::readText(report));
  ASSERT_EQ(rep.size(), 6u);
  json::Document first = kittest::parseOrDie(rep[0]);
  EXPECT_EQ(first["outcome"], "failed");
  EXPECT_EQ(first["status"].GetInt(), 401);
  EXPECT_EQ(testenv::readText(report).find("NotThePassword123"), std::string::npos);
}

}  // namespace
