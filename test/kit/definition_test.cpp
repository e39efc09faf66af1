// The SingleStore destination as data (docs/contracts.md): describe's shape, the settings rules and
// their messages, the default mapping, and the destination rules the table adds on top of
// Segment's validation — each a recorded case where Segment accepts and this destination refuses.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "kit/describe.h"
#include "kit/executor.h"
#include "singlestore/definition.h"
#include "singlestore/settings.h"
#include "test_data.h"

namespace {

using namespace actions;
namespace ss = actions::singlestore;

std::vector<std::string> keys(const json::Value& obj) {
  std::vector<std::string> out;
  for (const auto& m : obj.GetObject())
    out.emplace_back(m.name.GetString(), m.name.GetStringLength());
  return out;
}

TEST(SingleStoreDefinition, DescribesItselfAsTheContractSays) {
  json::Document d = kittest::parseOrDie(kit::describe(ss::destination()));
  EXPECT_EQ(d["name"], "SingleStore");
  EXPECT_EQ(d["slug"], "actions-singlestore");
  EXPECT_EQ(d["mode"], "cloud");
  EXPECT_EQ(d["authentication"]["scheme"], "custom");
  const auto& s = d["authentication"]["fields"];
  EXPECT_EQ(keys(s), (std::vector<std::string>{"host", "port", "username", "password", "dbName",
                                               "tableName", "sslMode", "sslCa"}));
  EXPECT_EQ(s["port"]["type"], "number");
  EXPECT_EQ(s["port"]["default"].GetDouble(), 3306);
  EXPECT_EQ(s["password"]["type"], "password");
  EXPECT_EQ(s["tableName"]["default"], "segment_raw_data");
  EXPECT_EQ(s["sslMode"]["default"], "preferred");
  EXPECT_EQ(s["sslMode"]["choices"].Size(), 5u);
  for (const char* k : {"host", "username", "password", "dbName"})
    EXPECT_TRUE(s[k]["required"].GetBool()) << k;
  for (const char* k : {"port", "tableName", "sslMode", "sslCa"})
    EXPECT_FALSE(s[k]["required"].GetBool()) << k;
  for (const auto& m : s.GetObject())
    for (const char* attr : {"label", "description", "type", "required"})
      EXPECT_TRUE(m.value.HasMember(attr));

  const auto& send = d["actions"]["send"];
  EXPECT_EQ(send["title"], "Send Data");
  EXPECT_EQ(send["platform"], "cloud");
  EXPECT_TRUE(send["hasPerformBatch"].GetBool());
  EXPECT_EQ(send["defaultSubscription"],
            "type = \"track\" or type = \"identify\" or type = \"page\" or type = \"screen\" or "
            "type = \"group\" or type = \"alias\"");
  const auto& f = send["fields"];
  EXPECT_EQ(keys(f),
            (std::vector<std::string>{"database", "messageId", "timestamp", "type", "event",
                                      "message", "max_batch_size", "enable_batching"}));
  EXPECT_TRUE(f["database"]["dynamic"].GetBool());
  EXPECT_FALSE(f["database"].HasMember("default"));
  EXPECT_EQ(f["timestamp"]["type"], "datetime");
  EXPECT_EQ(json::stringify(f["messageId"]["default"]), R"({"@path":"$.messageId"})");
  EXPECT_EQ(json::stringify(f["message"]["default"]), R"({"@path":"$."})");
  EXPECT_EQ(f["type"]["choices"].Size(), 6u);
  EXPECT_EQ(json::stringify(f["event"]["required"]),
            R"({"conditions":[{"fieldKey":"type","operator":"is","value":"track"}]})");
  EXPECT_EQ(f["max_batch_size"]["type"], "integer");
  EXPECT_EQ(f["max_batch_size"]["minimum"].GetDouble(), 1);
  EXPECT_EQ(f["max_batch_size"]["maximum"].GetDouble(), 10000);
  EXPECT_EQ(f["max_batch_size"]["default"].GetDouble(), 1000);
  EXPECT_TRUE(f["enable_batching"]["default"].GetBool());
  EXPECT_FALSE(f["enable_batching"]["required"].GetBool());

  ASSERT_EQ(d["presets"].Size(), 1u);
  EXPECT_EQ(d["presets"][0]["partnerAction"], "send");
  EXPECT_EQ(d["presets"][0]["subscribe"], send["defaultSubscription"]);
  EXPECT_TRUE(d["presets"][0]["mapping"].IsObject());
}

TEST(SingleStoreDefinition, DefaultMappingIsTheShippedFile) {
  std::string path = std::string(ACTIONS_SOURCE_DIR) + "/mappings/send_data.json";
  ASSERT_TRUE(std::filesystem::exists(path)) << path;
  std::string embedded(ss::sendDataDefaultMapping());
  ASSERT_FALSE(embedded.empty()) << "the library was built without the file";
  json::Document file = kittest::parseOrDie(kittest::readFile(path));
  json::Document built = kittest::parseOrDie(embedded);
  EXPECT_EQ(json::stringify(built), json::stringify(file));
  // It maps what the fields' defaults map.
  for (const auto& [key, field] : ss::destination().findAction("send")->fields) {
    if (!field.defaultJson) continue;
    ASSERT_TRUE(file.HasMember(key.c_str())) << key;
    EXPECT_EQ(json::stringify(file[key.c_str()]),
              json::stringify(kittest::parseOrDie(*field.defaultJson)))
        << key;
  }
}

TEST(SingleStoreSettings, EveryProblemWithTheMessagesUsersKnow) {
  auto r = ss::parseSettings(R"({"port":"abc","sslMode":"sometimes","tableName":"a b "})", nullptr);
  std::vector<std::string> expected = {
      "host is required",
      "port must be a number between 1 and 65535 but it was \"abc\"",
      "username is required",
      "password is required (in the settings or SINGLESTORE_PASSWORD)",
      "dbName is required",
      "sslMode must be one of disabled, preferred, required, verify_ca, verify_identity but it was "
      "\"sometimes\""};
  EXPECT_EQ(r.problems, expected);
  EXPECT_FALSE(r.settings);
}

TEST(SingleStoreSettings, DefaultsAndEnvironmentPassword) {
  auto r = ss::parseSettings(R"({"host":"db","username":"u","dbName":"d"})", "from-env");
  ASSERT_TRUE(r.settings) << r.problems[0];
  EXPECT_EQ(r.settings->password, "from-env");
  EXPECT_EQ(r.settings->port, 3306u);
  EXPECT_EQ(r.settings->tableName, "segment_raw_data");
  EXPECT_EQ(r.settings->sslMode, db::SslMode::Preferred);
  ASSERT_TRUE(r.validated);
  EXPECT_EQ((*r.validated)["password"], "from-env");
  // The settings' own password wins over the environment's.
  auto own = ss::parseSettings(R"({"host":"db","username":"u","dbName":"d","password":"mine"})",
                               "from-env");
  EXPECT_EQ(own.settings->password, "mine");
}

TEST(SingleStoreSettings, DestinationRules) {
  auto r = ss::parseSettings(
      R"({"host":"h","username":"u","password":"p","dbName":"d","port":3306.5,"tableName":"t ","sslMode":"verify_ca"})",
      nullptr);
  std::vector<std::string> expected = {
      "port must be a number between 1 and 65535 but it was 3306.5",
      "tableName must not end with a space", "sslCa is required when sslMode is verify_ca"};
  EXPECT_EQ(r.problems, expected);
  auto ca = ss::parseSettings(
      R"({"host":"h","username":"u","password":"p","dbName":"d","sslCa":"/nonexistent/ca.pem"})",
      nullptr);
  ASSERT_EQ(ca.problems.size(), 1u);
  EXPECT_NE(ca.problems[0].find("cannot be read"), std::string::npos);
  auto secret =
      ss::parseSettings(R"({"host":"h","username":"u","password":12345678,"dbName":"d"})", nullptr);
  ASSERT_EQ(secret.problems.size(), 1u);
  EXPECT_EQ(secret.problems[0], "password must be a string");
}

// Each recorded event is accepted by Segment's pipeline; the table's rules decide here.
struct Rule {
  const char* reason;
  const char* error;  // nullptr: accepted here too
};
const Rule kRules[] = {
    {"messageId over 255 characters (VARCHAR(255))",
     "Message ID must be at most 255 characters (its VARCHAR(255) column) but it was 256 "
     "characters."},
    {"messageId of exactly 255 characters fits", nullptr},
    {"event over 255 characters (VARCHAR(255))",
     "Event must be at most 255 characters (its VARCHAR(255) column) but it was 300 characters."},
    {"empty messageId (the dedup key)",
     "Message ID must not be empty: it is the key that keeps events from being stored twice."},
    {"impossible date: February 30th", "Timestamp \"2021-02-30T10:00:00Z\" is an impossible date."},
    {"impossible date: February 29th of a common year",
     "Timestamp \"2021-02-29\" is an impossible date."},
    {"impossible time: 24:00", "Timestamp \"2020-01-01T24:00:00Z\" is an impossible date."},
    {"impossible month 13 (dayjs rolls it over)",
     "Timestamp \"2021-13-01 10:00:00\" is an impossible date."},
    {"timestamp format outside docs/contracts.md (a legacy JavaScript date)",
     "Timestamp \"Jan 5 2021\" is not in a supported format (RFC 3339, YYYY-MM-DD, YYYY-MM-DD "
     "HH:MM:SS, or epoch "
     "seconds or milliseconds)."},
    {"timestamp format outside docs/contracts.md (slashes)",
     "Timestamp \"2021/01/05\" is not in a supported format (RFC 3339, YYYY-MM-DD, YYYY-MM-DD "
     "HH:MM:SS, or epoch "
     "seconds or milliseconds)."},
    {"epoch number that is neither 10 nor 13 digits",
     "Timestamp 12345 is neither epoch seconds (10 digits) nor epoch milliseconds (13 digits)."},
    {"epoch string that is neither 10 nor 13 digits",
     "Timestamp \"12345\" is neither epoch seconds (10 digits) nor epoch milliseconds (13 "
     "digits)."},
    {"negative epoch",
     "Timestamp -1 is neither epoch seconds (10 digits) nor epoch milliseconds (13 digits)."},
    {"date before DATETIME's year 1000",
     "Timestamp \"0999-12-31T00:00:00Z\" is outside the range a DATETIME column stores (years 1000 "
     "to 9999)."},
    {"epoch seconds as a number are stored", nullptr},
    {"epoch milliseconds as a string are stored", nullptr},
    {"offset and nanoseconds are stored", nullptr},
    {"messageId cut inside an emoji (a lone surrogate)",
     "Message ID holds half of a character (the lone surrogate \\ud83d at UTF-16 position 2): its "
     "text column stores only whole characters."},
    {"event cut inside an emoji",
     "Event holds half of a character (the lone surrogate \\ud83d at UTF-16 position 4): its text "
     "column stores only whole characters."},
    {"a property cut inside an emoji, which neither server's JSON column keeps",
     "Message holds half of a character (the lone surrogate \\ud83d in properties.title): the "
     "table's JSON column cannot store it."},
    {"whole characters beyond U+FFFF and U+D7FF are stored", nullptr},
};

TEST(SingleStoreDestinationRules, DeviationsFromSegmentAreDeliberateAndExplained) {
  auto events = kittest::readLines("kit/destination_rules_events.ndjson");
  auto upstream = kittest::readLines("kit/destination_rules_upstream.jsonl");
  ASSERT_EQ(events.size(), std::size(kRules));
  ASSERT_EQ(upstream.size(), std::size(kRules));
  json::Document settings =
      kittest::parseOrDie(R"({"host":"h","username":"u","password":"p","dbName":"d"})");
  kit::ActionExecutor ex(*ss::destination().findAction("send"), settings, {});
  for (std::size_t i = 0; i < events.size(); ++i) {
    SCOPED_TRACE(kRules[i].reason);
    EXPECT_TRUE(kittest::parseOrDie(upstream[i])["ok"].GetBool()) << "Segment accepts it";
    json::Document event = kittest::parseOrDie(events[i]);
    json::Document holder;
    json::Value payload;
    kit::Resolution r = ex.resolve(event, payload, holder.GetAllocator());
    if (kRules[i].error) {
      EXPECT_FALSE(r.valid());
      EXPECT_EQ(r.error, kRules[i].error);
      EXPECT_EQ(r.result().status, 400);
    } else {
      EXPECT_TRUE(r.valid()) << r.error;
    }
  }
}

TEST(SingleStoreDestinationRules, DatabaseFieldMustBeAnIdentifier) {
  json::Document settings =
      kittest::parseOrDie(R"({"host":"h","username":"u","password":"p","dbName":"d"})");
  auto mapping = kittest::parseOrDie(
      R"({"database":{"@path":"$.db"},"messageId":{"@path":"$.messageId"},"timestamp":{"@path":"$.timestamp"},"type":{"@path":"$.type"},"message":{"@path":"$."},"max_batch_size":1000})");
  kit::ActionOptions options;
  options.mapping = &mapping;
  kit::ActionExecutor ex(*ss::destination().findAction("send"), settings, options);
  json::Document holder;
  json::Value payload;
  auto ok = kittest::parseOrDie(
      R"({"db":"analytics","messageId":"m","timestamp":"2024-01-01","type":"page"})");
  EXPECT_TRUE(ex.resolve(ok, payload, holder.GetAllocator()).valid());
  auto bad = kittest::parseOrDie(R"({"db":"x)" + std::string(70, 'y') +
                                 R"(","messageId":"m","timestamp":"2024-01-01","type":"page"})");
  EXPECT_EQ(ex.resolve(bad, payload, holder.GetAllocator()).error,
            "Database must be at most 64 characters but it has 71.");
}

}  // namespace
