// TLS against a server of its own started with a generated CA (fixture "db_tls").
#include <gtest/gtest.h>

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
