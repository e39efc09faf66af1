// The harness as users run it: exit codes and messages of docs/contracts.md.
#include <gtest/gtest.h>

#include "support/test_env.h"

using testenv::runCli;

TEST(Cli, VersionAndHelp) {
  auto v = runCli("--version");
  EXPECT_EQ(v.exitCode, 0);
  EXPECT_NE(v.out.find("actions-singlestore 0."), std::string::npos) << v.out;
  auto h = runCli("--help");
  EXPECT_EQ(h.exitCode, 0);
  for (const char* cmd : {"describe", "validate-settings", "test-auth", "databases", "transform",
                          "match", "send", "print-ddl"})
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
}

TEST(Cli, UnknownCommandIsAUsageError) {
  auto r = runCli("frobnicate");
  EXPECT_EQ(r.exitCode, 2);
}

TEST(Cli, TestAuthConnects) {
  auto r = runCli("test-auth --settings " + testenv::settingsPath());
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("MariaDB"), std::string::npos) << r.out;
}

TEST(Cli, TestAuthWrongPasswordExits2WithoutEchoingIt) {
  testenv::TempDir tmp;
  std::string settings = testenv::readText(testenv::settingsPath());
  auto pos = settings.find("\"password\":\"");
  ASSERT_NE(pos, std::string::npos);
  auto end = settings.find('"', pos + 12);
  settings.replace(pos + 12, end - pos - 12, "NotThePassword123");
  testenv::writeText(tmp.file("s.json"), settings);
  auto r = runCli("test-auth --settings " + tmp.file("s.json"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("authentication failed"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("NotThePassword123"), std::string::npos);
  EXPECT_EQ(r.out.find("NotThePassword123"), std::string::npos);
}

TEST(Cli, TestAuthUnreachablePortExits2Quickly) {
  testenv::TempDir tmp;
  testenv::writeText(
      tmp.file("s.json"),
      R"({"host":"127.0.0.1","port":1,"username":"u","password":"secretpw","dbName":"d"})");
  auto r = runCli("test-auth --settings " + tmp.file("s.json"));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("cannot connect to 127.0.0.1:1"), std::string::npos) << r.err;
}

TEST(Cli, ValidateSettingsListsEveryProblem) {
  testenv::TempDir tmp;
  testenv::writeText(tmp.file("s.json"), R"({"port":"abc","sslMode":"sometimes"})");
  auto r = runCli("validate-settings --settings " + tmp.file("s.json"));
  EXPECT_EQ(r.exitCode, 2);
  for (const char* p :
       {"host is required", "username is required", "password is required", "dbName is required",
        "port must be a number between 1 and 65535 but it was \"abc\"", "sslMode must be one of"})
    EXPECT_NE(r.err.find(p), std::string::npos) << p << "\n" << r.err;
  EXPECT_EQ(r.out, "") << "problems go to standard error only";
  // Success is a line of output, as the quickstart shows it; standard error stays empty.
  auto ok = runCli("validate-settings --settings " + testenv::settingsPath());
  EXPECT_EQ(ok.exitCode, 0) << ok.err;
  EXPECT_EQ(ok.out, "settings are valid\n");
  EXPECT_EQ(ok.err, "");
}
