// The writer through the kit's hook signatures, as the destination definition calls it.
#include "singlestore/send_data_action.h"

#include <gtest/gtest.h>

#include "kit/errors.h"
#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;

namespace {

// The validated settings object the kit hands over, with some fields replaced.
json::Document validatedSettings(const std::string& tableName, const std::string& password = "") {
  auto r = singlestore::loadSettingsFile(testenv::settingsPath());
  EXPECT_TRUE(r.validated);
  json::Document d;
  d.CopyFrom(*r.validated, d.GetAllocator());
  d["tableName"].SetString(tableName.c_str(), d.GetAllocator());
  if (!password.empty()) d["password"].SetString(password.c_str(), d.GetAllocator());
  return d;
}

}  // namespace

TEST(SendDataAction, DeliversThroughOneWriterPerRun) {
  std::string table = sstest::uniqueTable("action");
  json::Document settings = validatedSettings(table);
  kit::RunState state;
  sstest::Payloads p;
  p.track("action-1");
  p.track("action-2");
  p.track("action-1");
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(3);
  singlestore::deliverSendData(kit::BatchRequest{settings, ptrs, state}, results);
  EXPECT_EQ(sstest::countOutcomes(results), "duplicate=1 inserted=2 ");
  ASSERT_TRUE(std::any_cast<std::shared_ptr<singlestore::SendDataWriter>>(&state));
  auto writer = std::any_cast<std::shared_ptr<singlestore::SendDataWriter>>(state);

  std::vector<kit::EventResult> again(3);
  singlestore::deliverSendData(kit::BatchRequest{settings, ptrs, state}, again);
  EXPECT_EQ(sstest::countOutcomes(again), "duplicate=3 ");
  EXPECT_EQ(std::any_cast<std::shared_ptr<singlestore::SendDataWriter>>(state), writer);

  db::Connection c(sstest::fixtureSettings().connectOptions());
  c.execute("DROP TABLE `actions_test`.`" + table + "`");
}

TEST(SendDataAction, BadCredentialsFailEveryPayloadAt401WithoutRetrying) {
  json::Document settings =
      validatedSettings(sstest::uniqueTable("action_auth"), "not-the-password");
  kit::RunState state;
  sstest::Payloads p;
  p.track("auth-x");
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(1);
  auto start = std::chrono::steady_clock::now();
  singlestore::deliverSendData(kit::BatchRequest{settings, ptrs, state}, results);
  EXPECT_EQ(results[0].outcome, kit::Outcome::Failed);
  EXPECT_EQ(results[0].status, 401);
  EXPECT_NE(results[0].error.find("authentication failed"), std::string::npos) << results[0].error;
  // Refused credentials are not a transient fault: no retries.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  // The run keeps its writer, and the next delivery asks the server again (the credentials may
  // have been granted meanwhile).
  EXPECT_TRUE(std::any_cast<std::shared_ptr<singlestore::SendDataWriter>>(&state));
  singlestore::deliverSendData(kit::BatchRequest{settings, ptrs, state}, results);
  EXPECT_EQ(results[0].status, 401);
  EXPECT_THROW(singlestore::checkAuthentication(kit::AuthRequest{settings}),
               kit::InvalidAuthenticationError);
  auto choices =
      singlestore::listDatabaseChoices(kit::DynamicRequest{settings, "database", nullptr, ""});
  EXPECT_TRUE(choices.choices.empty());
  EXPECT_EQ(choices.errorCode, "INVALID_AUTHENTICATION");
}

TEST(SendDataAction, AnUnreachableServerIsRetriedWithinTheRunsBudgetThenFails503) {
  json::Document settings = validatedSettings(sstest::uniqueTable("action_down"));
  settings["port"].SetInt(1);
  kit::RunState state;
  sstest::Payloads p;
  p.track("down-x");
  auto ptrs = p.pointers();
  std::vector<kit::EventResult> results(1);
  kit::DeliveryOptions delivery;
  delivery.retryFor = std::chrono::milliseconds(1200);
  auto start = std::chrono::steady_clock::now();
  singlestore::deliverSendData(kit::BatchRequest{settings, ptrs, state, &delivery}, results);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(results[0].outcome, kit::Outcome::Failed);
  EXPECT_EQ(results[0].status, 503);
  EXPECT_NE(results[0].error.find("cannot connect to 127.0.0.1:1"), std::string::npos)
      << results[0].error;
  EXPECT_GE(took, std::chrono::milliseconds(1000));  // a server restarting gets its chance
  EXPECT_LT(took, std::chrono::seconds(6));
}

TEST(SendDataAction, TestAuthenticationAndDatabaseChoices) {
  std::string table = sstest::uniqueTable("action_check");
  json::Document settings = validatedSettings(table);
  EXPECT_NO_THROW(singlestore::checkAuthentication(kit::AuthRequest{settings}));
  auto choices =
      singlestore::listDatabaseChoices(kit::DynamicRequest{settings, "database", nullptr, ""});
  EXPECT_TRUE(choices.errorMessage.empty());
  bool found = false;
  for (auto& c : choices.choices)
    found = found || (c.value == "actions_test" && c.label == "actions_test");
  EXPECT_TRUE(found);
  db::Connection c(sstest::fixtureSettings().connectOptions());
  c.execute("DROP TABLE `actions_test`.`" + table + "`");
}
