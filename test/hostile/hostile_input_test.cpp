// Hostile input through `send` against the real server: every bad event gets its own clear
// error, every good event around it is delivered, nothing crashes.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <string>
#include <vector>

#include "support/test_env.h"

namespace {

std::string good(const std::string& id) {
  return R"({"type":"track","event":"Good","messageId":")" + id +
         R"(","timestamp":"2026-01-01T00:00:00Z","properties":{"n":1}})";
}

// A settings file for the fixture's server writing into its own table.
// The table name carries the process id so a rerun against the same server starts empty.
std::string settingsFor(const testenv::TempDir& dir, const std::string& table) {
  std::string s = testenv::readText(testenv::settingsPath());
  auto brace = s.rfind('}');
  s.insert(brace, ",\"tableName\":\"" + table + "_" + std::to_string(getpid()) + "\"");
  std::string path = dir.file("settings.json");
  testenv::writeText(path, s);
  return path;
}

struct ReportLine {
  std::string outcome;
  std::string error;
  std::string messageId;
};

std::map<int, ReportLine> readReport(const std::string& path) {
  std::map<int, ReportLine> out;
  std::string text = testenv::readText(path);
  std::regex iRe(R"re("i":(\d+))re"), outcomeRe(R"re("outcome":"([a-z]+)")re"),
      errRe(R"re("error":"((?:[^"\\]|\\.)*)")re"), idRe(R"re("messageId":"((?:[^"\\]|\\.)*)")re");
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    std::string line = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() : nl + 1;
    std::smatch m;
    if (!std::regex_search(line, m, iRe)) continue;
    int i = std::stoi(m[1]);
    ReportLine r;
    if (std::regex_search(line, m, outcomeRe)) r.outcome = m[1];
    if (std::regex_search(line, m, errRe)) r.error = m[1];
    if (std::regex_search(line, m, idRe)) r.messageId = m[1];
    out[i] = r;
  }
  return out;
}

// Sends `input` (written to a file as is) and returns the report by event number.
std::map<int, ReportLine> send(const std::string& table, const std::string& input, int expectExit) {
  testenv::TempDir dir;
  std::string settings = settingsFor(dir, table);
  testenv::writeText(dir.file("in.ndjson"), input);
  auto r = testenv::runCli("send --settings " + settings + " --report " +
                           dir.file("report.ndjson") + " " + dir.file("in.ndjson"));
  EXPECT_EQ(r.exitCode, expectExit) << r.err;
  return readReport(dir.file("report.ndjson"));
}

void expectRejected(const std::map<int, ReportLine>& rep, int i, const std::string& needle) {
  auto it = rep.find(i);
  ASSERT_NE(it, rep.end()) << "no report line for event " << i;
  EXPECT_EQ(it->second.outcome, "rejected") << "event " << i;
  EXPECT_NE(it->second.error.find(needle), std::string::npos)
      << "event " << i << ": error '" << it->second.error << "' lacks '" << needle << "'";
}

void expectInserted(const std::map<int, ReportLine>& rep, int i) {
  auto it = rep.find(i);
  ASSERT_NE(it, rep.end()) << "no report line for event " << i;
  EXPECT_EQ(it->second.outcome, "inserted") << "event " << i << ": " << it->second.error;
}

}  // namespace

TEST(HostileInput, MalformedLinesBetweenGoodOnes) {
  std::string in =
      good("m1") + "\n{\"type\":\"track\",\n" + good("m2") + "\n[1,2\n" + good("m3") + "\n";
  auto rep = send("hostile_malformed", in, 1);
  expectInserted(rep, 0);
  expectRejected(rep, 1, "invalid JSON");
  expectInserted(rep, 2);
  expectRejected(rep, 3, "");
  expectInserted(rep, 4);
  EXPECT_EQ(rep.size(), 5u);
}

TEST(HostileInput, ByteOrderMarkAndCrlf) {
  std::string in =
      "\xEF\xBB\xBF" + good("bom1") + "\r\n" + good("bom2") + "\r\n\r\n" + good("bom3") + "\r\n";
  auto rep = send("hostile_bom", in, 0);
  ASSERT_EQ(rep.size(), 3u);
  for (int i = 0; i < 3; ++i) expectInserted(rep, i);
}

TEST(HostileInput, InvalidUtf8AndNulBytes) {
  std::string badUtf8 = R"({"type":"track","event":"Bad )" + std::string("\xC3\x28\xFF") +
                        R"(","messageId":"u1","timestamp":"2026-01-01T00:00:00Z"})";
  std::string nul = R"({"type":"track","event":"N)" + std::string(1, '\0') +
                    R"(","messageId":"u2","timestamp":"2026-01-01T00:00:00Z"})";
  std::string in = good("u0") + "\n" + badUtf8 + "\n" + nul + "\n" + good("u3") + "\n";
  auto rep = send("hostile_utf8", in, 1);
  expectInserted(rep, 0);
  expectRejected(rep, 1, "invalid JSON");
  expectRejected(rep, 2, "invalid JSON");
  expectInserted(rep, 3);
}

TEST(HostileInput, DeepNestingHugeNumbersDuplicateKeys) {
  std::string deep =
      R"({"type":"track","event":"Deep","messageId":"d1","timestamp":"2026-01-01T00:00:00Z","properties":)" +
      std::string(100000, '[') + std::string(100000, ']') + "}";
  std::string huge =
      R"({"type":"track","event":"Huge","messageId":"d2","timestamp":"2026-01-01T00:00:00Z","properties":{"n":1e400}})";
  std::string dupKeys =
      R"({"type":"track","event":"First","event":"Second","messageId":"d3","timestamp":"2026-01-01T00:00:00Z"})";
  std::string in =
      good("d0") + "\n" + deep + "\n" + huge + "\n" + dupKeys + "\n" + good("d4") + "\n";
  auto rep = send("hostile_deep", in, 1);
  expectInserted(rep, 0);
  expectRejected(rep, 1, "nesting");
  expectRejected(rep, 2, "too big");
  expectInserted(rep, 3);  // JSON.parse keeps the last value of a repeated key
  expectInserted(rep, 4);
}

TEST(HostileInput, EmptyFileSendsNothingAndSucceeds) {
  auto rep = send("hostile_empty", "", 0);
  EXPECT_TRUE(rep.empty());
}

TEST(HostileInput, JsonArrayWithOneBadElement) {
  std::string in = "[" + good("a0") + ",\"not an event\"," + good("a2") + ",{\"type\":\"track\"}]";
  auto rep = send("hostile_array", in, 1);
  ASSERT_EQ(rep.size(), 4u);
  expectInserted(rep, 0);
  expectRejected(rep, 1, "object");
  expectInserted(rep, 2);
  expectRejected(rep, 3, "");
}

TEST(HostileInput, WrongTypesInEverySendDataField) {
  std::vector<std::string> bad = {
      R"({"type":"track","event":"E","messageId":{"a":1},"timestamp":"2026-01-01T00:00:00Z"})",
      R"({"type":"track","event":"E","messageId":"w2","timestamp":{"t":1}})",
      R"({"type":"track","event":"E","messageId":null,"timestamp":"2026-01-01T00:00:00Z"})",
      R"({"type":"track","event":{"name":"E"},"messageId":"w4","timestamp":"2026-01-01T00:00:00Z","extra":1})",
      R"({"type":"track","event":"E","messageId":"w5","timestamp":"2026-02-30T00:00:00Z"})",
      R"({"type":"track","event":")" + std::string(300, 'x') +
          R"(","messageId":"w6","timestamp":"2026-01-01T00:00:00Z"})",
      R"({"type":"track","event":"E","messageId":")" + std::string(300, 'y') +
          R"(","timestamp":"2026-01-01T00:00:00Z"})",
  };
  std::string in = good("w0") + "\n";
  for (const auto& b : bad) in += b + "\n";
  in += good("w8") + "\n";
  auto rep = send("hostile_types", in, 1);
  expectInserted(rep, 0);
  for (int i = 1; i <= static_cast<int>(bad.size()); ++i) {
    auto it = rep.find(i);
    ASSERT_NE(it, rep.end());
    EXPECT_EQ(it->second.outcome, "rejected") << "event " << i;
    EXPECT_FALSE(it->second.error.empty()) << "event " << i;
  }
  expectInserted(rep, static_cast<int>(bad.size()) + 1);
}

TEST(HostileInput, UnknownTypeIsSkippedNotRejected) {
  // The default subscription lists the six Segment types; anything else is not for this action.
  std::string in =
      good("s0") + "\n" +
      R"({"type":"launch","event":"E","messageId":"s1","timestamp":"2026-01-01T00:00:00Z"})" + "\n";
  auto rep = send("hostile_skip", in, 0);
  expectInserted(rep, 0);
  ASSERT_TRUE(rep.count(1));
  EXPECT_EQ(rep[1].outcome, "skipped");
}

TEST(HostileInput, EventLargerThanMaxAllowedPacketIsRejectedAlone) {
  // The test server's max_allowed_packet is 64 MiB.
  std::string big =
      R"({"type":"track","event":"Big","messageId":"p1","timestamp":"2026-01-01T00:00:00Z","properties":{"blob":")" +
      std::string(70u << 20, 'z') + "\"}}";
  std::string in = good("p0") + "\n" + big + "\n" + good("p2") + "\n";
  auto rep = send("hostile_packet", in, 1);
  expectInserted(rep, 0);
  expectRejected(rep, 1, "");
  expectInserted(rep, 2);
}
