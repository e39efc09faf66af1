// The C++ public API against the throwaway server, through the shared library only:
// testAuthentication, the database field's choices and real deliveries with Sender.
#include <gtest/gtest.h>

#include <actions/destination.h>
#include <actions/sender.h>
#include <actions/settings.h>

#include <chrono>
#include <string>
#include <vector>

#include <unistd.h>

#include "support/test_env.h"

namespace {

actions::Settings serverSettings() {
  auto r = actions::loadSettingsFile(testenv::settingsPath());
  if (!r.ok()) throw std::runtime_error("the test server's settings are invalid");
  return *r.settings;
}

// A messageId no earlier run has stored.
std::string uniqueId(const std::string& name) {
  static const std::string run =
      std::to_string(getpid()) + "-" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  return "api-" + run + "-" + name;
}

std::string event(const std::string& id, const std::string& type = "track") {
  return R"({"messageId":")" + id + R"(","type":")" + type +
         R"(","event":"Order Completed","timestamp":"2024-05-01T10:00:00.123456Z"})";
}

struct Record {
  std::size_t index;
  actions::Outcome outcome;
  int status;
  std::string messageId, error;
};

std::vector<Record> send(const actions::Settings& settings, const actions::SendOptions& options,
                         const std::vector<std::string>& events, bool* stopped = nullptr) {
  std::vector<Record> got;
  actions::Sender sender(&settings, options, [&](const actions::EventRecord& r) {
    got.push_back({r.index, r.outcome, r.status, r.messageId ? std::string(*r.messageId) : "",
                   std::string(r.error)});
  });
  for (std::size_t i = 0; i < events.size(); ++i) sender.add(i, events[i]);
  sender.finish();
  if (stopped) *stopped = sender.stopped();
  return got;
}

TEST(PublicApiDb, TestAuthenticationReportsTheServerAndTable) {
  auto settings = serverSettings();
  auto report = actions::testAuthentication(settings);
  ASSERT_TRUE(report.ok) << report.error;
  EXPECT_EQ(report.dialect, "MySQL/MariaDB");
  EXPECT_FALSE(report.serverVersion.empty());
  EXPECT_EQ(report.table, "`" + settings.database() + "`.`" + settings.table() + "`");
}

TEST(PublicApiDb, DatabaseChoicesListTheUserDatabases) {
  auto settings = serverSettings();
  auto choices = actions::dynamicFieldChoices("database", settings);
  ASSERT_TRUE(choices.ok()) << choices.error;
  bool found = false;
  for (const auto& c : choices.choices) {
    EXPECT_EQ(c.label, c.value);
    EXPECT_NE(c.value, "information_schema");
    found = found || c.value == settings.database();
  }
  EXPECT_TRUE(found) << settings.database() << " is not among the choices";
}

TEST(PublicApiDb, SenderDeliversOnceAndReportsDuplicatesAndRejections) {
  auto settings = serverSettings();
  const std::string a = uniqueId("a"), b = uniqueId("b");
  std::vector<std::string> events = {event(a), event(b), event(a),
                                     R"({"messageId":"x","type":"track"})"};
  actions::SendOptions options;
  options.batchSize = 2;
  options.parallel = 3;
  options.retryFor = std::chrono::seconds(5);
  bool stopped = true;
  auto got = send(settings, options, events, &stopped);
  EXPECT_FALSE(stopped);
  ASSERT_EQ(got.size(), 4u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].index, i);
  EXPECT_EQ(got[0].outcome, actions::Outcome::Inserted) << got[0].error;
  EXPECT_EQ(got[0].messageId, a);
  EXPECT_EQ(got[1].outcome, actions::Outcome::Inserted) << got[1].error;
  EXPECT_EQ(got[2].outcome, actions::Outcome::Duplicate) << got[2].error;
  EXPECT_EQ(got[3].outcome, actions::Outcome::Rejected);
  EXPECT_EQ(got[3].status, 400);

  // A second run stores nothing new.
  auto again = send(settings, {}, {event(a), event(b)});
  ASSERT_EQ(again.size(), 2u);
  EXPECT_EQ(again[0].outcome, actions::Outcome::Duplicate);
  EXPECT_EQ(again[1].outcome, actions::Outcome::Duplicate);
}

TEST(PublicApiDb, WrongPasswordIsAnAuthenticationFailure) {
  std::string text = testenv::readText(testenv::settingsPath());
  auto pos = text.find("\"password\":\"");
  ASSERT_NE(pos, std::string::npos);
  auto end = text.find('"', pos + 12);
  text.replace(pos + 12, end - pos - 12, "NotThePassword123");
  auto r = actions::validateSettings(text);
  ASSERT_TRUE(r.ok());
  auto report = actions::testAuthentication(*r.settings);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.status, 401);
  EXPECT_EQ(report.errorType, "INVALID_AUTHENTICATION");
  EXPECT_EQ(report.error.find("NotThePassword123"), std::string::npos);

  // Sending with them fails every event, none silently dropped.
  bool stopped = false;
  auto got = send(*r.settings, {}, {event(uniqueId("c")), event(uniqueId("d"))}, &stopped);
  EXPECT_TRUE(stopped);
  ASSERT_EQ(got.size(), 2u);
  for (const auto& g : got) {
    EXPECT_EQ(g.outcome, actions::Outcome::Failed);
    EXPECT_EQ(g.status, 401);
  }
}

}  // namespace
