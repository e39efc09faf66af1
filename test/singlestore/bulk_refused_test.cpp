// A server with local_infile off refuses LOAD DATA LOCAL: the writer remembers it and uses
// INSERT for this and later chunks. On the server of its own (fixture "db_own"): the test turns a
// global setting off that no other test should see.
#include <gtest/gtest.h>

#include <atomic>

#include "db/pool.h"
#include "singlestore/batch_writer.h"
#include "singlestore/table.h"
#include "writer_support.h"

using namespace actions;

namespace {

TEST(BulkRefused, AServerThatRefusesLocalFilesGetsInserts) {
  const char* dir = std::getenv("ACTIONS_TEST_DB_OWN_DIR");
  ASSERT_TRUE(dir);
  auto settings = sstest::settingsFrom(std::string(dir) + "/settings.json");
  settings.tableName = sstest::uniqueTable("refused");
  db::Connection admin(settings.connectOptions());
  admin.execute("SET GLOBAL local_infile = 0");
  auto options = settings.connectOptions();
  options.localInfile = true;
  options.readTimeoutSec = 58;  // a pool of its own, opened after the change
  auto pool = db::ConnectionPool::shared(options);
  auto ref = singlestore::makeTableRef(settings.dbName, settings.tableName);
  {
    auto lease = pool->acquire();
    singlestore::ensureTable(*lease, singlestore::detectDialect(*lease), ref);
  }
  std::vector<singlestore::Row> rows(20);
  std::vector<const singlestore::Row*> ptrs;
  for (int i = 0; i < 20; ++i) {
    rows[i].messageId = "refuse-" + std::to_string(i);
    rows[i].type = "page";
    rows[i].message = "{\"i\":" + std::to_string(i) + "}";
    rows[i].timestampMicros = 1'700'000'000'000'000LL;
    ptrs.push_back(&rows[i]);
  }
  singlestore::BulkFlags flags;
  singlestore::BatchWriter writer(
      pool, ref, {}, singlestore::BulkLoad{singlestore::Dialect::MySql, &flags, /*arrays=*/false});
  auto r = writer.write(ptrs, 5);
  admin.execute("SET GLOBAL local_infile = 1");
  EXPECT_EQ(sstest::countOutcomes(r), "inserted=20 ");
  EXPECT_TRUE(flags.loadRefused.load());
  std::string table = ref.qualified();
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "20");
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(DISTINCT messageId) FROM " + table), "20");
  admin.execute("DROP TABLE " + table);
}

}  // namespace
