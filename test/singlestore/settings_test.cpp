// What settings validation refuses, and how it says so (issues 19.9 and 20): every message names
// the field, never a credential's value.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json/json.h"
#include "kit/requests.h"
#include "singlestore/definition.h"
#include "singlestore/row_encoder.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

using namespace actions;
namespace ss = actions::singlestore;

namespace {

const std::string kBase = R"("host":"h","username":"u","password":"Pa55-word-7","dbName":"d")";

std::vector<std::string> problems(const std::string& extra) {
  return ss::parseSettings("{" + kBase + (extra.empty() ? "" : "," + extra) + "}", nullptr)
      .problems;
}

std::string only(const std::string& extra) {
  auto p = problems(extra);
  EXPECT_EQ(p.size(), 1u) << extra;
  return p.empty() ? "" : p[0];
}

}  // namespace

TEST(SettingsRules, UnknownKeysAreRefusedWithTheSettingMeant) {
  EXPECT_EQ(only(R"("tablename":"x")"),
            "unknown setting \"tablename\": did you mean \"tableName\"?");
  EXPECT_EQ(only(R"("ssl_mode":"required")"),
            "unknown setting \"ssl_mode\": did you mean \"sslMode\"?");
  EXPECT_EQ(only(R"("hots":"x")"), "unknown setting \"hots\": did you mean \"host\"?");
  EXPECT_EQ(only(R"("db_name":"x")"), "unknown setting \"db_name\": did you mean \"dbName\"?");
  EXPECT_EQ(only(R"("colour":1)"),
            "unknown setting \"colour\" (the settings are host, port, username, password, dbName, "
            "tableName, sslMode, sslCa)");
  EXPECT_TRUE(problems("").empty());
}

TEST(SettingsRules, NulInACredentialOrHostIsRefusedNamingTheFieldOnly) {
  EXPECT_EQ(only(R"("password":"Pa55\u0000secret-tail")"),
            "password must not contain a NUL character");
  EXPECT_EQ(only(R"("username":"u\u0000admin")"), "username must not contain a NUL character");
  EXPECT_EQ(only(R"("host":"h\u0000evil")"), "host must not contain a NUL character");
  for (auto& p : problems(R"("password":"Pa55\u0000secret-tail")"))
    EXPECT_EQ(p.find("secret-tail"), std::string::npos) << p;
}

TEST(SettingsRules, HostsWithSpacesOrASchemeAreRefused) {
  EXPECT_NE(only(R"("host":"mysql://db.example.com")").find("without a scheme"), std::string::npos);
  EXPECT_NE(only(R"("host":"db example")").find("without spaces"), std::string::npos);
  EXPECT_NE(only(R"("host":"db.example.com/x")").find("contains '/'"), std::string::npos);
  EXPECT_TRUE(problems(R"("host":"db-1.example.com")").empty());
  EXPECT_TRUE(problems(R"("host":"::1")").empty());
}

TEST(SettingsRules, SslCaMustBeAFileOfPemCertificatesOrThePemItself) {
  testenv::TempDir dir;
  EXPECT_NE(only(R"("sslCa":")" + dir.path() + "\"").find("is a directory"), std::string::npos);
  EXPECT_NE(only(R"("sslCa":"/dev/null")").find("not a regular file"), std::string::npos);
  testenv::writeText(dir.file("empty.pem"), "");
  EXPECT_NE(only(R"("sslCa":")" + dir.file("empty.pem") + "\"").find("is empty"),
            std::string::npos);
  testenv::writeText(dir.file("junk.pem"), "not a certificate");
  EXPECT_NE(only(R"("sslCa":")" + dir.file("junk.pem") + "\"").find("no -----BEGIN"),
            std::string::npos);
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  testenv::writeText(dir.file("ca.pem"), pem);
  EXPECT_TRUE(problems(R"("sslCa":")" + dir.file("ca.pem") + R"(","sslMode":"verify_ca")").empty());
  // Inline PEM text is accepted, and never repeated in a message.
  auto inlineOk = ss::parseSettings("{" + kBase +
                                        R"(,"sslMode":"verify_identity","sslCa":"-----BEGIN )"
                                        R"(CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"})",
                                    nullptr);
  ASSERT_TRUE(inlineOk.settings) << inlineOk.problems[0];
  EXPECT_EQ(inlineOk.settings->sslCa, pem);
  EXPECT_EQ(inlineOk.settings->connectOptions().sslCa, pem);
  auto cut = only(R"("sslCa":"-----BEGIN CERTIFICATE-----\nMIIB")");
  EXPECT_NE(cut.find("without a whole certificate"), std::string::npos) << cut;
  EXPECT_EQ(cut.find("MIIB"), std::string::npos) << cut;
}

TEST(SettingsRules, SystemSchemasAreRefused) {
  for (const char* db : {"mysql", "sys", "information_schema", "PERFORMANCE_SCHEMA", "memsql"}) {
    std::string p = ss::parseSettings(R"({"host":"h","username":"u","password":"p","dbName":")" +
                                          std::string(db) + "\"}",
                                      nullptr)
                        .problems.at(0);
    EXPECT_EQ(p, "dbName must not be " + std::string(db) +
                     ": it is a system schema of the server, not a place for event rows");
  }
  EXPECT_EQ(ss::databaseProblem("mysql_events"), "");
  EXPECT_NE(ss::databaseProblem("sys"), "");
}

TEST(SettingsRules, TableNamesTheServerCannotStoreAreRefused) {
  EXPECT_EQ(only(R"("tableName":")" + std::string(65, 'a') + "\""),
            "tableName must be at most 64 characters but it has 65");
  // 64 characters of three bytes each are fine: the limit counts characters.
  std::string wide;
  for (int i = 0; i < 64; ++i) wide += "\xe8\xa1\xa8";
  EXPECT_TRUE(problems(R"("tableName":")" + wide + "\"").empty());
  EXPECT_EQ(only(R"("tableName":"t ")"), "tableName must not end with a space");
  EXPECT_EQ(only(R"("tableName":"t\u0001")"), "tableName must not contain control characters");
  EXPECT_EQ(only(R"("tableName":"t\ud83d\ude00")"),
            "tableName must not contain characters beyond U+FFFF (such as emoji)");
  EXPECT_EQ(ss::identifierProblem("a\xff"), "must be valid UTF-8 text");
  EXPECT_TRUE(problems(R"("tableName":"events-2024 `x`.y")").empty());
}

TEST(SettingsRules, APayloadsDatabaseMayNotBeASystemSchema) {
  // The dynamic `database` field reaches the writer through encodeRow, which refuses it too.
  json::Document payload;
  ASSERT_FALSE(json::parse(
      R"({"messageId":"m","timestamp":"2024-01-01T00:00:00Z","type":"track","event":"E",)"
      R"("message":{},"database":"performance_schema"})",
      payload));
  // The action's payload check (what the kit runs before any delivery) rejects the event.
  const kit::ActionDefinition* action = ss::destination().findAction(ss::kSendDataAction);
  ASSERT_TRUE(action && action->checkPayload);
  json::Document settings;
  settings.SetObject();
  kit::RunState state;
  EXPECT_EQ(action->checkPayload(kit::PerformRequest{settings, payload, state}),
            "Database must not be performance_schema: it is a system schema of the server, not a "
            "place for event rows.");
  ss::Row row;
  EXPECT_EQ(ss::encodeRow(payload, row),
            "database must not be performance_schema: it is a system schema of the server, not a "
            "place for event rows");
  payload["database"].SetString("analytics");
  EXPECT_EQ(ss::encodeRow(payload, row), "");
}
