// The "date-like" format of datetime fields against recorded dayjs / V8 behaviour, and V8's
// Date.parse itself (record_date_like_cases.js, run with TZ=UTC).
#include <gtest/gtest.h>

#include <cmath>

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
