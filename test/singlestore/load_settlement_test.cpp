// What a LOAD DATA did, decided row by row without a server: notices judged by their code; the
// verdicts of a load with ERRORS HANDLE from the lines LOAD_DATA_ERRORS lists (SingleStore); the
// settlement of a load run in autocommit — which sent rows are inserted, another writer's
// duplicates, ours stored altered (to delete and retry), or not stored at all. The writer's use
// of it against MariaDB: bulk_load_test.cpp.
#include "singlestore/load_settlement.h"

#include <gtest/gtest.h>

using namespace actions::singlestore;
using Stored = SentRow::Stored;
using S = Settlement;

namespace {
SentRow row(Stored stored, bool warned = false) {
  return SentRow{stored, warned};
}
}  // namespace

TEST(LoadSettlement, EveryRowStoredExactlyIsInserted) {
  auto r = settleLoadedRows({row(Stored::Exactly), row(Stored::Exactly)}, 2);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted, S::Inserted}));
}

TEST(LoadSettlement, ARowNotStoredGoesToTheInsertPath) {
  // Skipped as a duplicate that has since gone, or refused by a constraint: INSERT will tell.
  auto r = settleLoadedRows({row(Stored::Exactly), row(Stored::No)}, 1);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted, S::NotStored}));
}

TEST(LoadSettlement, AStoredDifferentRowIsAnotherWritersWhenTheLoadStoredNoneOfItsOwnAltered) {
  // The load stored 2 rows, both found exactly as sent: the differing one was skipped, another
  // writer's copy having won the race between the lookup and the load.
  auto r =
      settleLoadedRows({row(Stored::Exactly), row(Stored::Otherwise), row(Stored::Exactly)}, 2);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted, S::Duplicate, S::Inserted}));
}

TEST(LoadSettlement, AStoredDifferentRowIsOursWhenTheLoadStoredMoreThanMatches) {
  // 3 stored by the load, 2 exact: the differing one is the load's own, altered on the way in.
  auto r =
      settleLoadedRows({row(Stored::Exactly), row(Stored::Otherwise), row(Stored::Exactly)}, 3);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted, S::OursAltered, S::Inserted}));
}

TEST(LoadSettlement, WhenBothHappenTheWarningsLineNumbersDecide) {
  // 2 stored by the load, 1 exact: one of the two differing rows is ours — the warned one.
  auto r = settleLoadedRows(
      {row(Stored::Exactly), row(Stored::Otherwise), row(Stored::Otherwise, true)}, 2);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted, S::Duplicate, S::OursAltered}));
  // A warning never makes a row ours when the load stored nothing altered.
  auto none = settleLoadedRows({row(Stored::Otherwise, true), row(Stored::Exactly)}, 1);
  EXPECT_EQ(none, (std::vector<S>{S::Duplicate, S::Inserted}));
}

TEST(LoadSettlement, AnIdenticalCopyStoredByAnotherWriterCountsAsOurs) {
  // The documented blind spot: the load stored 0 rows, yet the row reads back exactly as sent.
  // The table is the same either way; the row is reported inserted.
  auto r = settleLoadedRows({row(Stored::Exactly)}, 0);
  EXPECT_EQ(r, (std::vector<S>{S::Inserted}));
}

TEST(LoadSettlement, WarningLineNumbers) {
  EXPECT_EQ(warnedLine("Data truncated for column 'event' at row 3"), 3u);
  EXPECT_EQ(warnedLine("Incorrect datetime value: '10000-01-02' for column `d`.`t`.`timestamp` "
                       "at row 12"),
            12u);
  EXPECT_EQ(warnedLine("Duplicate entry 'x' for key 'PRIMARY'"), 0u);
  EXPECT_EQ(warnedLine("row "), 0u);
  EXPECT_EQ(warnedLine("the row 'a' at row x"), 0u);
  EXPECT_EQ(warnedLine(""), 0u);
}

TEST(LoadNotices, AnIgnoredClauseIsJudgedByItsCodeWhateverItsLevel) {
  // SingleStore warns (level Warning) for unsupported clauses it ignores: not a row's fault.
  for (unsigned code : {1235u, 1706u, 1287u}) EXPECT_TRUE(ignoredClause(code)) << code;
  // A value changed on the way in is about a row, at any level — a Note included.
  for (unsigned code : {1265u, 1264u, 1366u, 1292u, 1062u, 3140u})
    EXPECT_FALSE(ignoredClause(code));
  auto notices = noticesFrom({{std::string("Warning"), std::string("1706"),
                               std::string("Feature 'CHARACTER SET' is not supported")},
                              {std::string("Note"), std::string("1265"),
                               std::string("Data truncated for column 'event' at row 2")}});
  ASSERT_EQ(notices.size(), 2u);
  EXPECT_EQ(notices[0].code, 1706u);
  EXPECT_EQ(notices[1].level, "Note");
  // The first alone leaves a load clean; the second makes it unclean although it is a Note.
  EXPECT_TRUE(judgeLoad(3, 3, {}, {notices[0]}));
  EXPECT_FALSE(judgeLoad(3, 3, {}, {notices[1]}));
  EXPECT_FALSE(judgeLoad(3, 3, {}, notices));
}

TEST(LoadWithErrorsHandle, EveryRowStoredIsInsertedEverySkippedDuplicateIsADuplicate) {
  std::vector<SkippedLine> skipped = {{2, 1062, "Duplicate entry 'b' for key 'messageId'"},
                                      {4, 1062, "Duplicate entry 'd' for key 'messageId'"}};
  auto v = judgeLoad(4, 2, skipped, {});
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, (std::vector<LoadVerdict>{LoadVerdict::Inserted, LoadVerdict::Duplicate,
                                          LoadVerdict::Inserted, LoadVerdict::Duplicate}));
  // A server number unknown here whose text says duplicate counts too (the code SingleStore
  // logs for a skipped key is one of the open claims of docs/singlestore.md).
  EXPECT_TRUE(judgeLoad(2, 1, {{1, 1999, "Leaf Error: duplicate key value"}}, {}));
  // The warnings a skipped duplicate raises are accounted for by the same lines.
  EXPECT_TRUE(judgeLoad(2, 1, {{1, 1062, "Duplicate entry"}},
                        {{"Warning", 1062, "Duplicate entry 'a' for key 'messageId'"}}));
}

TEST(LoadWithErrorsHandle, AnythingElseRollsTheLoadBack) {
  // A line skipped for another reason: the INSERT path must tell that row's fate.
  EXPECT_FALSE(judgeLoad(3, 2, {{2, 3140, "Invalid JSON value for column 'message'"}}, {}));
  // Counts that do not add up: a row neither stored nor listed.
  EXPECT_FALSE(judgeLoad(3, 1, {{2, 1062, "Duplicate entry"}}, {}));
  // A line the data does not have.
  EXPECT_FALSE(judgeLoad(3, 2, {{7, 1062, "Duplicate entry"}}, {}));
  // The same line listed twice is one row.
  EXPECT_FALSE(judgeLoad(3, 1, {{2, 1062, "Duplicate entry"}, {2, 1062, "Duplicate entry"}}, {}));
  EXPECT_TRUE(judgeLoad(3, 2, {{2, 1062, "Duplicate entry"}, {2, 1062, "Duplicate entry"}}, {}));
}
