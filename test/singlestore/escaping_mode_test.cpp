// A server whose sql_mode has NO_BACKSLASH_ESCAPES (set globally, as a SingleStore or MySQL
// administrator may): every write path stores the exact text, and the lookups by messageId (which
// embed escaped values) still find what is stored. On the server of its own (fixture "db_own"):
// the test changes a global that no other test should see.
#include <gtest/gtest.h>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;

namespace {

class NoBackslashEscapes : public ::testing::TestWithParam<singlestore::WritePath> {
 protected:
  void SetUp() override {
    const char* dir = std::getenv("ACTIONS_TEST_DB_OWN_DIR");
    ASSERT_TRUE(dir);
    settings_ = sstest::settingsFrom(std::string(dir) + "/settings.json");
    settings_.tableName = sstest::uniqueTable("nbe");
    admin_ = std::make_unique<db::Connection>(settings_.connectOptions());
    admin_->execute("SET GLOBAL sql_mode = CONCAT(@@GLOBAL.sql_mode, ',NO_BACKSLASH_ESCAPES')");
  }
  void TearDown() override {
    if (!admin_) return;
    admin_->execute("SET GLOBAL sql_mode = REPLACE(@@GLOBAL.sql_mode, 'NO_BACKSLASH_ESCAPES', '')");
    admin_->execute("DROP TABLE IF EXISTS " +
                    singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified());
  }
  singlestore::Settings settings_;
  std::unique_ptr<db::Connection> admin_;
};

TEST_P(NoBackslashEscapes, EveryWritePathStoresTheExactTextAndFindsItAgain) {
  singlestore::WriterOptions o;
  o.writePath = GetParam();
  o.readTimeoutSec = 50 + static_cast<unsigned>(GetParam());  // a pool of its own, opened now
  const std::vector<std::string> ids = {"back\\slash", "it's", "both\\'", "\\", "tab\there"};
  sstest::Payloads p;
  for (const auto& id : ids) p.track(id, "2026-01-01T00:00:00.000Z", "ev \\ ' \" \t \n end");
  auto ptrs = p.pointers();
  {
    singlestore::SendDataWriter writer(settings_, o);
    std::vector<kit::EventResult> results(p.size());
    writer.write(ptrs, results);
    EXPECT_EQ(sstest::countOutcomes(results), "inserted=5 ");
    // The same again: every lookup must find its row (an escaping mistake would miss or fail).
    writer.write(ptrs, results);
    EXPECT_EQ(sstest::countOutcomes(results), "duplicate=5 ");
  }
  db::Connection reader(settings_.connectOptions());
  EXPECT_TRUE(reader.noBackslashEscapes());
  std::string table = singlestore::makeTableRef(settings_.dbName, settings_.tableName).qualified();
  EXPECT_EQ(sstest::scalar(reader, "SELECT COUNT(*) FROM " + table), "5");
  for (const auto& id : ids) {
    std::string sql = "SELECT event FROM " + table + " WHERE messageId = '";
    reader.appendEscaped(id, sql);
    EXPECT_EQ(sstest::scalar(reader, sql + "'"), "ev \\ ' \" \t \n end") << id;
  }
}

std::string pathName(const ::testing::TestParamInfo<singlestore::WritePath>& info) {
  static const char* const names[] = {"Arrays", "LoadData", "LoadDataSettled", "Insert"};
  return names[static_cast<int>(info.param)];
}

INSTANTIATE_TEST_SUITE_P(Paths, NoBackslashEscapes,
                         ::testing::Values(singlestore::WritePath::Auto,
                                           singlestore::WritePath::LoadData,
                                           singlestore::WritePath::LoadDataSettled,
                                           singlestore::WritePath::Insert),
                         pathName);

}  // namespace
