// TLS against a server of its own started with a generated CA (fixture "db_tls").
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <stdexcept>
#include <thread>
#include <vector>

#include "singlestore/authentication.h"
#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;

namespace {

std::string tlsDir() {
  const char* d = std::getenv("ACTIONS_TEST_DB_TLS_DIR");
  return d ? d : "";
}

singlestore::Settings tlsSettings() {
  return sstest::settingsFrom(tlsDir() + "/settings.json");
}

}  // namespace

TEST(Tls, VerifyIdentityWithTheServersCaConnectsEncrypted) {
  auto s = tlsSettings();
  ASSERT_EQ(s.sslMode, db::SslMode::VerifyIdentity);
  db::Connection c(s.connectOptions());
  EXPECT_FALSE(c.tlsCipher().empty());
  auto rows = c.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_NE(rows[0][1]->find("TLS"), std::string::npos);
}

TEST(Tls, EveryModeThatShouldConnectDoes) {
  for (auto mode : {db::SslMode::Preferred, db::SslMode::Required, db::SslMode::VerifyCa,
                    db::SslMode::VerifyIdentity}) {
    auto s = tlsSettings();
    s.sslMode = mode;
    db::Connection c(s.connectOptions());
    EXPECT_FALSE(c.tlsCipher().empty()) << db::toString(mode);
  }
  auto s = tlsSettings();
  s.sslMode = db::SslMode::Disabled;
  db::Connection plain(s.connectOptions());
  EXPECT_TRUE(plain.tlsCipher().empty());
}

TEST(Tls, AWrongCaIsRefusedClearly) {
  for (auto mode : {db::SslMode::VerifyCa, db::SslMode::VerifyIdentity}) {
    auto s = tlsSettings();
    s.sslMode = mode;
    s.sslCa = tlsDir() + "/tls/other-ca.pem";
    try {
      db::Connection c(s.connectOptions());
      FAIL() << "connected with an unrelated CA in " << db::toString(mode);
    } catch (const db::Error& e) {
      EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal) << e.what();
      std::string what = e.what();
      EXPECT_NE(what.find("TLS"), std::string::npos) << what;
      EXPECT_NE(what.find("other-ca.pem"), std::string::npos) << what;
      EXPECT_EQ(what.find(s.password), std::string::npos);
    }
  }
}

TEST(Tls, TestAuthAndDeliveryOverVerifiedTls) {
  auto s = tlsSettings();
  s.tableName = sstest::uniqueTable("tls");
  auto report = singlestore::testAuthentication(s);
  EXPECT_FALSE(report.tlsCipher.empty());
  singlestore::SendDataWriter writer(s);
  sstest::Payloads p;
  for (int i = 0; i < 20; ++i) p.track("tls-" + std::to_string(i));
  std::vector<kit::EventResult> r(p.size());
  auto ptrs = p.pointers();
  writer.write(ptrs, r);
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=20 ");

  auto cli = testenv::runCli("test-auth --settings " + tlsDir() + "/settings.json");
  EXPECT_EQ(cli.exitCode, 0) << cli.err;
  EXPECT_NE(cli.out.find("encrypted with TLS"), std::string::npos) << cli.out;
}

TEST(Tls, TestAuthWithAWrongCaExits2) {
  testenv::TempDir dir;
  std::string settings = testenv::readText(tlsDir() + "/settings.json");
  auto pos = settings.find("/tls/ca.pem");
  ASSERT_NE(pos, std::string::npos);
  settings.replace(pos, 11, "/tls/other-ca.pem");
  testenv::writeText(dir.file("s.json"), settings);
  auto r = testenv::runCli("test-auth --settings " + dir.file("s.json"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("certificate"), std::string::npos) << r.err;
}

namespace {

// A loopback TCP forwarder: listens on 127.0.0.2 and relays each connection to 127.0.0.1:port,
// so that a client reaches the TLS server under an address its certificate does not name.
class Forwarder {
 public:
  explicit Forwarder(unsigned targetPort) : target_(targetPort) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(0x7f000002);  // 127.0.0.2
    a.sin_port = 0;
    if (::bind(listener_, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(listener_, 8) != 0)
      throw std::runtime_error("cannot listen on 127.0.0.2");
    socklen_t len = sizeof a;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    thread_ = std::thread([this] { run(); });
  }
  ~Forwarder() {
    stop_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
    for (auto& t : relays_) t.join();
  }
  unsigned port() const { return port_; }

 private:
  void run() {
    while (!stop_) {
      int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) return;
      int server = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(0x7f000001);
      a.sin_port = htons(static_cast<uint16_t>(target_));
      if (::connect(server, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(client);
        ::close(server);
        continue;
      }
      relays_.emplace_back([client, server] {
        pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
        char buffer[16384];
        for (;;) {
          if (::poll(fds, 2, 30000) <= 0) break;
          int from = (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ? 0 : 1;
          ssize_t n = ::read(fds[from].fd, buffer, sizeof buffer);
          if (n <= 0 || ::write(fds[1 - from].fd, buffer, static_cast<size_t>(n)) != n) break;
        }
        ::close(client);
        ::close(server);
      });
    }
  }

  unsigned target_;
  unsigned port_ = 0;
  int listener_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::vector<std::thread> relays_;
};

}  // namespace

TEST(Tls, VerifyCaChecksTheChainButNotTheNameVerifyIdentityBoth) {
  auto s = tlsSettings();
  Forwarder forwarder(s.port);
  s.host = "127.0.0.2";  // the certificate names 127.0.0.1 and localhost only
  s.port = forwarder.port();

  s.sslMode = db::SslMode::VerifyCa;
  db::Connection c(s.connectOptions());
  EXPECT_FALSE(c.tlsCipher().empty());

  s.sslMode = db::SslMode::VerifyIdentity;
  try {
    db::Connection refused(s.connectOptions());
    FAIL() << "verify_identity accepted a certificate that does not name 127.0.0.2";
  } catch (const db::Error& e) {
    std::string what = e.what();
    EXPECT_EQ(e.errorClass(), db::ErrorClass::Fatal) << what;
    EXPECT_NE(what.find("names 127.0.0.2"), std::string::npos) << what;
    EXPECT_EQ(what.find(s.password), std::string::npos);
  }

  // With the wrong CA neither mode connects, whatever the name.
  s.sslCa = tlsDir() + "/tls/other-ca.pem";
  for (auto mode : {db::SslMode::VerifyCa, db::SslMode::VerifyIdentity}) {
    s.sslMode = mode;
    EXPECT_THROW(db::Connection(s.connectOptions()), db::Error) << db::toString(mode);
  }
}

TEST(Tls, AnInlineCaIsUsedAndLeavesNoFileBehind) {
  testenv::TempDir tmp;
  ::setenv("TMPDIR", tmp.path().c_str(), 1);
  auto s = tlsSettings();
  std::string pem = testenv::readText(tlsDir() + "/tls/ca.pem");
  s.sslCa = pem;
  for (auto mode : {db::SslMode::VerifyCa, db::SslMode::VerifyIdentity}) {
    s.sslMode = mode;
    db::Connection c(s.connectOptions());
    EXPECT_FALSE(c.tlsCipher().empty());
  }
  s.sslCa = testenv::readText(tlsDir() + "/tls/other-ca.pem");
  try {
    db::Connection refused(s.connectOptions());
    FAIL() << "connected with an unrelated inline CA";
  } catch (const db::Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find("the CA given inline in sslCa"), std::string::npos) << what;
    EXPECT_EQ(what.find("BEGIN CERTIFICATE"), std::string::npos) << what;
  }
  ::unsetenv("TMPDIR");
  EXPECT_TRUE(std::filesystem::is_empty(tmp.path())) << "a temporary CA file was left behind";

  // The same through a settings file and the command line.
  json::Document doc;
  ASSERT_FALSE(json::parse(testenv::readText(tlsDir() + "/settings.json"), doc));
  doc["sslCa"].SetString(pem.c_str(), static_cast<rapidjson::SizeType>(pem.size()),
                         doc.GetAllocator());
  testenv::writeText(tmp.file("s.json"), json::stringify(doc));
  auto r = testenv::runCli("test-auth --settings " + tmp.file("s.json"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("encrypted with TLS"), std::string::npos) << r.out;
}
