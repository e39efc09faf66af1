// Event times as the table stores them (docs/contracts.md "The table"): what is accepted, how it is
// normalised to UTC microseconds, and what is refused.
#include <gtest/gtest.h>

#include <random>

#include "kit/timestamp.h"
#include "test_data.h"

namespace {

using namespace actions;

std::string utc(std::string_view text) {
  auto r = kit::parseTimestamp(text);
  return r.micros ? kit::formatDatetime6(*r.micros) : "refused: " + r.error;
}

TEST(Timestamp, Rfc3339WithZoneOrOffset) {
  EXPECT_EQ(utc("2024-05-01T10:00:00Z"), "2024-05-01 10:00:00.000000");
  EXPECT_EQ(utc("2024-05-01t10:00:00z"), "2024-05-01 10:00:00.000000");
  EXPECT_EQ(utc("2024-05-01T10:00:00+02:00"), "2024-05-01 08:00:00.000000");
  EXPECT_EQ(utc("2024-05-01T01:00:00-05:30"), "2024-05-01 06:30:00.000000");
  EXPECT_EQ(utc("2024-05-01T00:30:00+0100"), "2024-04-30 23:30:00.000000");
  EXPECT_EQ(utc("2024-01-01T00:00:00+01"), "2023-12-31 23:00:00.000000");
}

TEST(Timestamp, FractionsToNanosecondsKeptToMicroseconds) {
  EXPECT_EQ(utc("2024-05-01T10:00:00.1Z"), "2024-05-01 10:00:00.100000");
  EXPECT_EQ(utc("2024-05-01T10:00:00.123456789Z"), "2024-05-01 10:00:00.123456");
  EXPECT_EQ(utc("2024-05-01T23:59:59.9999999Z"),
            "2024-05-01 23:59:59.999999");  // cut, not rounded up
  EXPECT_EQ(utc("2024-05-01T10:00:00,5Z"), "2024-05-01 10:00:00.500000");
  EXPECT_NE(utc("2024-05-01T10:00:00.1234567890Z").find("refused"), std::string::npos);
}

TEST(Timestamp, BareDateAndSqlStyleAreUtc) {
  EXPECT_EQ(utc("2024-05-01"), "2024-05-01 00:00:00.000000");
  EXPECT_EQ(utc("2024-05-01 10:11:12"), "2024-05-01 10:11:12.000000");
  EXPECT_EQ(utc("2024-05-01T10:11"), "2024-05-01 10:11:00.000000");
}

TEST(Timestamp, EpochSecondsAndMilliseconds) {
  EXPECT_EQ(utc("1714557600"), "2024-05-01 10:00:00.000000");
  EXPECT_EQ(utc("1714557600123"), "2024-05-01 10:00:00.123000");
  EXPECT_EQ(utc("1714557600.5"), "2024-05-01 10:00:00.500000");
  auto n = kit::parseTimestamp(kittest::parseOrDie("1714557600123"));
  ASSERT_TRUE(n.micros);
  EXPECT_EQ(kit::formatDatetime6(*n.micros), "2024-05-01 10:00:00.123000");
  auto s = kit::parseTimestamp(kittest::parseOrDie("1714557600.25"));
  ASSERT_TRUE(s.micros);
  EXPECT_EQ(kit::formatDatetime6(*s.micros), "2024-05-01 10:00:00.250000");
}

TEST(Timestamp, ImpossibleDatesAreRefusedNotRolledOver) {
  for (const char* t :
       {"2021-02-29", "2021-02-30T10:00:00Z", "2021-04-31", "2021-13-01", "2021-00-10",
        "2020-01-01T24:00:00Z", "2020-01-01T23:60:00Z", "2020-01-01T23:59:60Z"})
    EXPECT_EQ(kit::parseTimestamp(t).error,
              std::string("Timestamp \"") + t + "\" is an impossible date.")
        << t;
  EXPECT_EQ(utc("2024-02-29"), "2024-02-29 00:00:00.000000");  // a leap year
  EXPECT_NE(kit::parseTimestamp("2020-01-01T10:00:00+24:00").error.find("impossible UTC offset"),
            std::string::npos);
}

TEST(Timestamp, OtherFormatsAreRefusedWithTheReason) {
  for (const char* t : {"", "Jan 5 2021", "2021/01/05", "2021-1-5", "10:00", "2021-01-05T10",
                        "2021-01-05 10:00:00 PST"})
    EXPECT_NE(kit::parseTimestamp(t).error.find("is not in a supported format"), std::string::npos)
        << t;
  EXPECT_NE(kit::parseTimestamp("12345").error.find("neither epoch seconds"), std::string::npos);
  EXPECT_NE(kit::parseTimestamp("20210105").error.find("neither epoch seconds"), std::string::npos);
  EXPECT_NE(kit::parseTimestamp(-1.0).error.find("neither epoch seconds"), std::string::npos);
  EXPECT_NE(kit::parseTimestamp(kittest::parseOrDie("true")).error.find("string or a number"),
            std::string::npos);
}

TEST(Timestamp, OutsideDatetimeRangeIsRefused) {
  EXPECT_NE(kit::parseTimestamp("0999-12-31T23:59:59Z").error.find("outside the range"),
            std::string::npos);
  EXPECT_EQ(utc("1000-01-01T00:00:00Z"), "1000-01-01 00:00:00.000000");
  EXPECT_EQ(utc("9999-12-31T23:59:59.999999Z"), "9999-12-31 23:59:59.999999");
  EXPECT_NE(kit::parseTimestamp("9999-12-31T23:00:00-02:00").error.find("outside the range"),
            std::string::npos);
}

TEST(Timestamp, LongValuesAreShortenedInMessages) {
  std::string longText(500, 'x');
  EXPECT_LT(kit::parseTimestamp(longText).error.size(), 250u);
}

TEST(Timestamp, Datetime6IsExactAcrossTheRange) {
  EXPECT_EQ(kit::formatDatetime6(0), "1970-01-01 00:00:00.000000");
  EXPECT_EQ(kit::formatDatetime6(-1), "1969-12-31 23:59:59.999999");
  EXPECT_EQ(kit::formatDatetime6(253'402'300'799'999'999LL), "9999-12-31 23:59:59.999999");
  EXPECT_EQ(kit::formatDatetime6(-62'135'596'800'000'000LL), "0001-01-01 00:00:00.000000");
  EXPECT_EQ(kit::formatDatetime6(951'825'600'000'007LL), "2000-02-29 12:00:00.000007");
  // Past DATETIME's range the text still says what the value is, for the server to refuse.
  EXPECT_EQ(kit::formatDatetime6(253'402'300'800'000'000LL), "10000-01-01 00:00:00.000000");
  // Every formatted value of the stored range (years 1000 to 9999) reads back as itself.
  std::mt19937_64 random(7);
  std::uniform_int_distribution<int64_t> within(-30'610'224'000'000'000LL,
                                                253'402'300'799'999'999LL);
  for (int i = 0; i < 20000; ++i) {
    int64_t micros = within(random);
    std::string text = kit::formatDatetime6(micros);
    auto back = kit::parseTimestamp(text + "Z");
    ASSERT_TRUE(back.micros) << text << ": " << back.error;
    EXPECT_EQ(*back.micros, micros) << text;
  }
}

}  // namespace
