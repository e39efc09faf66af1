// A server that cannot be reached when `send` starts: exit 2 at once with a message naming the
// address — whatever --retry-for says, since nothing was ever delivered — and every event
// reported failed, none dropped. Also a peer that accepts the TCP connection but never speaks:
// exit 2 within the connect timeout (10 s), not after the read timeout.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "reliability_support.h"

using namespace std::chrono_literals;

namespace {

std::string settingsForPort(const testenv::TempDir& dir, int port) {
  std::string path = dir.file("settings.json");
  testenv::writeText(path, R"({"host":"127.0.0.1","port":)" + std::to_string(port) +
                               R"(,"username":"u","password":"NotThePassword42","dbName":"d"})");
  return path;
}

struct Outcome {
  std::optional<int> exit;
  double seconds = 0;
  std::string err;
  std::vector<rel::ReportLine> report;
};

Outcome sendTo(int port, std::chrono::seconds limit, const std::vector<std::string>& extra = {}) {
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("in.ndjson"), rel::eventLines("un-", 0, 50));
  auto start = rel::Clock::now();
  std::vector<std::string> args = {"send",
                                   "--settings",
                                   settingsForPort(tmp, port),
                                   "--report",
                                   tmp.file("report.ndjson"),
                                   "--retry-for",
                                   "60"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(tmp.file("in.ndjson"));
  rel::CliProcess send(args, tmp);
  send.closeInput();
  Outcome o;
  o.exit = send.wait(limit);
  o.seconds = rel::secondsSince(start);
  o.err = send.err();
  o.report = rel::readReport(tmp.file("report.ndjson"));
  return o;
}

void expectEveryEventFailed(const Outcome& o) {
  ASSERT_EQ(o.report.size(), 50u);
  for (std::size_t i = 0; i < o.report.size(); ++i) {
    EXPECT_EQ(o.report[i].i, static_cast<long long>(i));
    EXPECT_EQ(o.report[i].outcome, "failed") << i;
    EXPECT_NE(o.report[i].error.find("cannot connect"), std::string::npos) << o.report[i].error;
  }
  EXPECT_EQ(o.err.find("NotThePassword42"), std::string::npos);
}

// A listening socket that never accepts: the kernel completes the TCP handshake, then no server
// greeting ever comes. Returns the socket and its port.
std::pair<int, int> mutePeer() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(fd, 64) != 0 || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0)
    return {-1, 0};
  return {fd, ntohs(addr.sin_port)};
}

void expectExit2WithinTheConnectTimeout(const std::vector<std::string>& extra) {
  auto [fd, port] = mutePeer();
  ASSERT_GE(fd, 0);
  auto o = sendTo(port, 60s, extra);
  ::close(fd);
  ASSERT_TRUE(o.exit) << "send still running after 60 s";
  EXPECT_EQ(*o.exit, 2) << o.err;
  EXPECT_LT(o.seconds, 10.0 + 4.0) << "longer than the 10 s connect timeout";
  EXPECT_NE(o.err.find("cannot connect to 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << o.err;
  expectEveryEventFailed(o);
}

}  // namespace

TEST(Unreachable, NothingListeningExits2AtOnceDespiteALongRetryDeadline) {
  // Port 1 on the loopback: connection refused.
  auto o = sendTo(1, 30s);
  ASSERT_TRUE(o.exit) << "send still running after 30 s";
  EXPECT_EQ(*o.exit, 2) << o.err;
  EXPECT_LT(o.seconds, 5.0);
  EXPECT_NE(o.err.find("cannot connect to 127.0.0.1:1"), std::string::npos) << o.err;
  expectEveryEventFailed(o);
}

TEST(Unreachable, APeerThatNeverAnswersExits2WithinTheConnectTimeoutOnOneLane) {
  expectExit2WithinTheConnectTimeout({"--parallel", "1"});
}

// Every lane waits on the same first connection attempt and shares its failure: a mute server
// costs one connect timeout, not one per lane.
TEST(Unreachable, APeerThatNeverAnswersExits2WithinTheConnectTimeoutOnFourLanes) {
  expectExit2WithinTheConnectTimeout({"--parallel", "4"});
}
