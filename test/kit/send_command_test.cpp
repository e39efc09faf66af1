// The describe, validate-settings and send commands as users run them (docs/contracts.md): output
// lines, report lines, exit codes. None of these needs a database.
#include <gtest/gtest.h>

#include <cstdlib>

#include "support/test_env.h"
#include "test_data.h"

namespace {

using namespace actions;
using testenv::runCli;
const auto lines = testenv::nonEmptyLines;

const char* kSettings =
    R"({"host":"127.0.0.1","port":1,"username":"u","password":"secretpw","dbName":"d"})";

const char* kEvents =
    R"({"messageId":"m1","type":"track","event":"E","timestamp":"2024-01-01T00:00:00Z","properties":{"n":1}})"
    "\n"
    "\n"
    R"({"messageId":"m2","type":"page","timestamp":"2024-01-01T00:00:01Z"})"
    "\n"
    R"({"messageId":"m3","type":"track","timestamp":"2024-01-01T00:00:02Z"})"
    "\n"
    R"({"messageId":"m4","type":"other","timestamp":"2024-01-01T00:00:03Z"})"
    "\n"
    R"({"messageId": "broken",)"
    "\n"
    "[1,2]\n";

struct Fixture {
  testenv::TempDir tmp;
  std::string settings = tmp.file("settings.json");
  std::string events = tmp.file("events.ndjson");
  Fixture() {
    testenv::writeText(settings, kSettings);
    testenv::writeText(events, kEvents);
  }
};

TEST(DescribeCommand, PrintsTheDefinition) {
  auto r = runCli("describe");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  json::Document d = kittest::parseOrDie(r.out);
  EXPECT_EQ(d["slug"], "actions-singlestore");
  EXPECT_TRUE(d["actions"]["send"]["hasPerformBatch"].GetBool());
  EXPECT_EQ(runCli("describe --help").exitCode, 0);
}

TEST(ValidateSettingsCommand, ValidAndInvalid) {
  Fixture f;
  auto ok = runCli("validate-settings --settings " + f.settings);
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
  testenv::writeText(f.tmp.file("bad.json"),
                     R"({"host":"h","username":"u","password":"p","dbName":"d","port":0})");
  auto bad = runCli("validate-settings --settings " + f.tmp.file("bad.json"));
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("port must be a number between 1 and 65535 but it was 0"),
            std::string::npos)
      << bad.err;
  EXPECT_EQ(runCli("validate-settings --settings " + f.tmp.file("missing.json")).exitCode, 2);
  // SINGLESTORE_PASSWORD supplies a password the file does not have.
  testenv::writeText(f.tmp.file("nopw.json"), R"({"host":"h","username":"u","dbName":"d"})");
  auto without = runCli("validate-settings --settings " + f.tmp.file("nopw.json"));
  EXPECT_EQ(without.exitCode, 2);
  EXPECT_NE(without.err.find("password is required"), std::string::npos);
  setenv("SINGLESTORE_PASSWORD", "from-env", 1);
  auto with = runCli("validate-settings --settings " + f.tmp.file("nopw.json"));
  unsetenv("SINGLESTORE_PASSWORD");
  EXPECT_EQ(with.exitCode, 0) << with.err;
}

TEST(SendCommand, DryRunPrintsOneLinePerEventInOrder) {
  Fixture f;
  auto r = runCli("send --dry-run --settings " + f.settings + " " + f.events);
  EXPECT_EQ(r.exitCode, 1) << r.err;  // some events rejected
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 6u) << r.out;
  json::Document l0 = kittest::parseOrDie(out[0]);
  EXPECT_EQ(l0["i"].GetDouble(), 0);
  EXPECT_TRUE(l0["ok"].GetBool());
  EXPECT_EQ(l0["payload"]["messageId"], "m1");
  EXPECT_EQ(l0["payload"]["max_batch_size"].GetDouble(), 1000);
  EXPECT_EQ(l0["payload"]["message"]["properties"]["n"].GetDouble(), 1);
  EXPECT_TRUE(kittest::parseOrDie(out[1])["ok"].GetBool());
  // An event read from a file says where it came from, and so does its error.
  const std::string at4 = f.events + ":4";
  EXPECT_EQ(
      out[2],
      R"({"i":2,"source":")" + at4 + R"(","ok":false,"error":")" + at4 +
          R"(: The root value is missing the required field 'event'. The root value must match \"then\" schema."})");
  json::Document skipped = kittest::parseOrDie(out[3]);
  EXPECT_FALSE(skipped["ok"].GetBool());
  EXPECT_TRUE(skipped["skipped"].GetBool());
  EXPECT_NE(kittest::str(skipped["error"]).find("type = \"track\""), std::string::npos);
  json::Document malformed = kittest::parseOrDie(out[4]);
  EXPECT_EQ(malformed["i"].GetDouble(), 4);
  EXPECT_NE(kittest::str(malformed["error"]).find("invalid JSON"), std::string::npos);
  std::string arrayError = kittest::str(kittest::parseOrDie(out[5])["error"]);
  EXPECT_NE(arrayError.find("The event must be a JSON object but it was an array."),
            std::string::npos)
      << arrayError;
  EXPECT_NE(r.err.find("6 events"), std::string::npos) << r.err;
}

TEST(SendCommand, DryRunExitsZeroWhenEveryEventIsValidOrSkipped) {
  Fixture f;
  auto r = runCli(
      "send --dry-run --settings " + f.settings,
      R"([{"messageId":"a","type":"identify","timestamp":"2024-01-01"},{"messageId":"b","type":"x"}])");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(lines(r.out).size(), 2u);
}

TEST(SendCommand, ReportHasOneLinePerEvent) {
  Fixture f;
  std::string report = f.tmp.file("report.ndjson");
  auto r =
      runCli("send --dry-run --settings " + f.settings + " --report " + report + " " + f.events);
  EXPECT_EQ(r.exitCode, 1);
  auto rep = lines(testenv::readText(report));
  ASSERT_EQ(rep.size(), 6u);
  EXPECT_EQ(rep[0], R"({"i":0,"source":")" + f.events +
                        R"(:1","messageId":"m1","status":200,"outcome":"validated"})");
  const std::string at4 = f.events + ":4";
  EXPECT_EQ(
      rep[2],
      R"({"i":2,"source":")" + at4 +
          R"(","messageId":"m3","status":400,"outcome":"rejected","error":")" + at4 +
          R"(: The root value is missing the required field 'event'. The root value must match \"then\" schema."})");
  json::Document skipped = kittest::parseOrDie(rep[3]);
  EXPECT_EQ(skipped["outcome"], "skipped");
  EXPECT_EQ(skipped["messageId"], "m4");
  EXPECT_TRUE(kittest::parseOrDie(rep[4])["messageId"].IsNull());
}

TEST(SendCommand, CustomMappingSubscriptionAndStdin) {
  Fixture f;
  testenv::writeText(
      f.tmp.file("m.json"),
      R"({"messageId":{"@path":"$.id"},"timestamp":{"@path":"$.at"},"type":"identify","message":{"@path":"$."},"max_batch_size":10})");
  auto r = runCli("send --dry-run --settings " + f.settings + " --mapping " + f.tmp.file("m.json") +
                      " --subscription 'properties.kind = \"x\"' -",
                  R"({"id":"a","at":"2024-01-01","properties":{"kind":"x"}})"
                  "\n"
                  R"({"id":"b","at":"2024-01-01","properties":{"kind":"y"}})"
                  "\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  auto out = lines(r.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(kittest::parseOrDie(out[0])["payload"]["type"], "identify");
  EXPECT_TRUE(kittest::parseOrDie(out[1])["skipped"].GetBool());
}

TEST(SendCommand, NothingIsDoneWithABadMappingSubscriptionOrSettings) {
  Fixture f;
  testenv::writeText(f.tmp.file("bad-mapping.json"), R"({"messageId":{"@path":5}})");
  auto m = runCli("send --dry-run --settings " + f.settings + " --mapping " +
                  f.tmp.file("bad-mapping.json") + " " + f.events);
  EXPECT_EQ(m.exitCode, 2);
  EXPECT_EQ(m.out, "");
  EXPECT_NE(m.err.find("invalid mapping"), std::string::npos) << m.err;
  testenv::writeText(f.tmp.file("not-json.json"), "{");
  EXPECT_EQ(
      runCli("send --dry-run --mapping " + f.tmp.file("not-json.json") + " " + f.events).exitCode,
      2);
  auto s = runCli("send --dry-run --settings " + f.settings + " --subscription 'type' " + f.events);
  EXPECT_EQ(s.exitCode, 2);
  EXPECT_EQ(s.out, "");
  testenv::writeText(f.tmp.file("bad-settings.json"), R"({"host":"h"})");
  EXPECT_EQ(runCli("send --dry-run --settings " + f.tmp.file("bad-settings.json") + " " + f.events)
                .exitCode,
            2);
  EXPECT_EQ(runCli("send --dry-run --settings " + f.settings + " " + f.tmp.file("missing.ndjson"))
                .exitCode,
            2);
  EXPECT_EQ(runCli("send --dry-run --batch-size 0 " + f.events).exitCode, 2);
  EXPECT_EQ(runCli("send " + f.events).exitCode, 2);  // a real send needs settings
}

TEST(SendCommand, BatchSizeOverridesMaxBatchSize) {
  Fixture f;
  auto r = runCli("send --dry-run --batch-size 7 " + f.events);
  auto out = lines(r.out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(kittest::parseOrDie(out[0])["payload"]["max_batch_size"].GetInt(), 7);
}

TEST(SendCommand, DryRunNeedsNoSettings) {
  Fixture f;
  auto r = runCli("send --dry-run " + f.events);
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_EQ(lines(r.out).size(), 6u);
}

TEST(SendCommand, RealSendWithoutAReachableDatabaseSendsNothing) {
  Fixture f;
  auto r = runCli("send --settings " + f.settings + " " + f.events);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.find("secretpw"), std::string::npos);
}

}  // namespace
