// A table dropped while the destination runs is made again on the next write, as the contract
// says the table is created when missing — not answered 500 (or 503) forever because the writer
// remembered it as ready. On every write path.
#include <gtest/gtest.h>

#include "singlestore/send_data_writer.h"
#include "writer_support.h"

using namespace actions;

namespace {

class DroppedTable : public ::testing::TestWithParam<singlestore::WritePath> {};

std::string pathName(const ::testing::TestParamInfo<singlestore::WritePath>& info) {
  std::string name;
  for (char c : singlestore::toString(info.param))
    if (c != '-') name += c;
  return name;
}

}  // namespace

TEST_P(DroppedTable, IsMadeAgainByTheNextWrite) {
  auto settings = sstest::settingsWithOwnTable("dropped");
  std::string table = singlestore::makeTableRef(settings.dbName, settings.tableName).qualified();
  db::Connection admin(settings.connectOptions());
  singlestore::WriterOptions o;
  o.writePath = GetParam();
  singlestore::SendDataWriter writer(settings, o);

  auto round = [&](const std::string& prefix) {
    sstest::Payloads p;
    for (int i = 0; i < 30; ++i) p.track(prefix + std::to_string(i));
    auto ptrs = p.pointers();
    std::vector<kit::EventResult> r(p.size());
    writer.write(ptrs, r);
    return r;
  };
  auto first = round("first-");
  EXPECT_EQ(sstest::countOutcomes(first), "inserted=30 ");
  admin.execute("DROP TABLE " + table);
  auto second = round("second-");
  EXPECT_EQ(sstest::countOutcomes(second), "inserted=30 ") << second[0].error;
  EXPECT_EQ(sstest::scalar(admin, "SELECT COUNT(*) FROM " + table), "30");
  // Made as the destination makes it: the unique key on messageId is there.
  EXPECT_EQ(sstest::countOutcomes(round("second-")), "duplicate=30 ");
  admin.execute("DROP TABLE " + table);
}

INSTANTIATE_TEST_SUITE_P(Paths, DroppedTable,
                         ::testing::Values(singlestore::WritePath::Auto,
                                           singlestore::WritePath::LoadData,
                                           singlestore::WritePath::LoadDataSettled,
                                           singlestore::WritePath::Insert),
                         pathName);
