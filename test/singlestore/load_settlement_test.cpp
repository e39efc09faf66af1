// The settlement of a LOAD DATA run in autocommit, row by row, without a server: which sent rows
// are inserted, another writer's duplicates, ours stored altered (to delete and retry), or not
// stored at all. The writer's use of it against MariaDB: bulk_load_test.cpp (LoadDataSettled).
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
