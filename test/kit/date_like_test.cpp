// The "date-like" format of datetime fields against recorded dayjs / V8 behaviour, and V8's
// Date.parse itself (record_date_like_cases.js, run with TZ=UTC).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "kit/date_like.h"
#include "test_data.h"

namespace {

using namespace actions;

TEST(DateLike, AgreesWithDayjsOnRecordedStrings) {
  auto lines = kittest::readLines("kit/date_like_cases.jsonl");
  ASSERT_GE(lines.size(), 1000u);
  int mismatches = 0;
  for (const auto& line : lines) {
    json::Document c = kittest::parseOrDie(line);
    std::string s = kittest::str(c["s"]);
    bool expected = c["ok"].GetBool();
    if (kit::isDateLike(s) != expected) {
      ++mismatches;
      ADD_FAILURE() << "date-like " << line;
    }
  }
  EXPECT_EQ(mismatches, 0);
}

TEST(DateLike, DateParseAgreesWithV8OnRecordedStrings) {
  for (const auto& line : kittest::readLines("kit/date_like_cases.jsonl")) {
    json::Document c = kittest::parseOrDie(line);
    std::optional<double> ms = kit::jsDateParse(kittest::str(c["s"]));
    if (c["ms"].IsNull()) {
      EXPECT_FALSE(ms.has_value()) << line << " gave " << *ms;
    } else {
      ASSERT_TRUE(ms.has_value()) << line;
      EXPECT_EQ(*ms, json::toDouble(c["ms"])) << line;
    }
  }
}

TEST(DateLike, CanonicalNumericStringsAreEpochSeconds) {
  EXPECT_TRUE(kit::isDateLike("1700000000"));
  EXPECT_TRUE(kit::isDateLike("8640000000000"));   // the last second a Date can hold
  EXPECT_FALSE(kit::isDateLike("8640000000001"));  // past it
  EXPECT_FALSE(kit::isDateLike("NaN"));
  EXPECT_FALSE(kit::isDateLike("Infinity"));
}

TEST(DateLike, DayjsPatternAcceptsLooseDatesBeforeTheDateParser) {
  EXPECT_TRUE(kit::isDateLike("2021-13-45"));  // rolled over by new Date(y, m, d)
  EXPECT_TRUE(kit::isDateLike("20200101"));
  EXPECT_FALSE(kit::isDateLike("not-a-date"));
  EXPECT_FALSE(kit::isDateLike("2020-01-01T25:00:00Z"));  // ends in Z: the Date parser decides
}

}  // namespace

// Plain ISO timestamps take a shortcut; it must agree with V8's reader, which decided them
// before, and leave everything near them to that reader.
TEST(DateLike, PlainIsoTimestampsAgreeWithTheDateParser) {
  for (const char* year : {"0000", "1969", "2026", "9999"})
    for (int month : {1, 2, 9, 12})
      for (int day : {1, 15, 28})
        for (const char* time : {"00:00:00", "23:59:59", "12:34:56"})
          for (const char* fraction : {"", ".000", ".172"}) {
            char s[40];
            std::snprintf(s, sizeof s, "%s-%02d-%02dT%s%sZ", year, month, day, time, fraction);
            EXPECT_TRUE(kit::isDateLike(s)) << s;
            EXPECT_TRUE(kit::jsDateParse(s).has_value()) << s;
          }
  // Near misses are still read by the full parser, with its answers.
  EXPECT_TRUE(kit::isDateLike("2026-02-30T00:00:00.000Z"));  // V8 rolls the day over
  EXPECT_FALSE(kit::isDateLike("2026-13-01T00:00:00.000Z"));
  EXPECT_FALSE(kit::isDateLike("2026-01-01T25:00:00.000Z"));
  EXPECT_TRUE(kit::isDateLike("2026-01-01T00:00:00.1234Z"));
  EXPECT_EQ(kit::isDateLike("2026-01-01T00:00:60.000Z"),
            kit::jsDateParse("2026-01-01T00:00:60.000Z").has_value());
}
