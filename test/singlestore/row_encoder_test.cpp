#include "singlestore/row_encoder.h"

#include <gtest/gtest.h>

#include "kit/timestamp.h"

using namespace actions;
using singlestore::encodeRow;
using singlestore::Row;

namespace {
std::string encode(const std::string& jsonText, Row& row) {
  json::Document d;
  EXPECT_FALSE(json::parse(jsonText, d)) << jsonText;
  return encodeRow(d, row);
}
std::string jsonQuoted(const std::string& s) {
  std::string out;
  json::appendQuoted(s, out);
  return out;
}
}  // namespace

TEST(RowEncoder, ValidPayloadBecomesARow) {
  Row row;
  EXPECT_EQ(
      encode(
          R"({"messageId":"m1","timestamp":"2026-03-01T10:15:30.5+02:00","type":"track","event":"Signed Up",
                      "message":{"b":1,"a":[1.5,"x"],"u":"Zoë"},"max_batch_size":1000,"enable_batching":true})",
          row),
      "");
  EXPECT_EQ(row.messageId, "m1");
  EXPECT_EQ(row.type, "track");
  ASSERT_TRUE(row.event);
  EXPECT_EQ(*row.event, "Signed Up");
  EXPECT_EQ(kit::formatDatetime6(row.timestampMicros), "2026-03-01 08:15:30.500000");
  EXPECT_EQ(row.message, R"({"b":1,"a":[1.5,"x"],"u":"Zoë"})");
  EXPECT_TRUE(row.database.empty());
}

TEST(RowEncoder, EventIsOptionalAndDatabaseIsKept) {
  Row row;
  EXPECT_EQ(
      encode(
          R"({"messageId":"m","timestamp":"2026-03-02","type":"identify","message":{},"database":"other_db"})",
          row),
      "");
  EXPECT_FALSE(row.event);
  EXPECT_EQ(row.database, "other_db");
  EXPECT_EQ(
      encode(
          R"({"messageId":"m","timestamp":"2026-03-02","type":"identify","message":{},"database":""})",
          row),
      "");
  EXPECT_TRUE(row.database.empty());
}

TEST(RowEncoder, ValuesOverTheColumnsAreRefusedNotTruncated) {
  Row row;
  std::string longEvent(256, 'e');
  auto why = encode(R"({"messageId":"m","timestamp":"2026-03-02","type":"track","event":)" +
                        jsonQuoted(longEvent) + R"(,"message":{}})",
                    row);
  EXPECT_NE(why.find("event has 256 characters"), std::string::npos) << why;
  // 255 characters of four bytes each fit: the column counts characters.
  std::string emoji;
  for (int i = 0; i < 255; ++i) emoji += "😀";
  EXPECT_EQ(encode(R"({"messageId":)" + jsonQuoted(emoji) +
                       R"(,"timestamp":"2026-03-02","type":"track","message":{}})",
                   row),
            "");
  EXPECT_EQ(row.messageId, emoji);
  std::string longId(300, 'i');
  why = encode(R"({"messageId":)" + jsonQuoted(longId) +
                   R"(,"timestamp":"2026-03-02","type":"track","message":{}})",
               row);
  EXPECT_NE(why.find("messageId has 300 characters"), std::string::npos) << why;
}

TEST(RowEncoder, MissingAndMistypedFields) {
  Row row;
  EXPECT_EQ(encode(R"({"timestamp":"2026-03-02","type":"track","message":{}})", row),
            "messageId is required");
  EXPECT_EQ(encode(R"({"messageId":"","timestamp":"2026-03-02","type":"track","message":{}})", row),
            "messageId must not be empty");
  EXPECT_EQ(encode(R"({"messageId":7,"timestamp":"2026-03-02","type":"track","message":{}})", row),
            "messageId must be a string");
  EXPECT_EQ(encode(R"({"messageId":"m","type":"track","message":{}})", row),
            "timestamp is required");
  EXPECT_EQ(encode(R"({"messageId":"m","timestamp":"2026-03-02","type":"track"})", row),
            "message is required");
  EXPECT_NE(encode(R"({"messageId":"m","timestamp":"2026-02-30","type":"track","message":{}})", row)
                .find("impossible date"),
            std::string::npos);
  EXPECT_NE(
      encode(
          R"({"messageId":"m","timestamp":"2026-02-03","type":"track","message":{},"database":"bad "})",
          row)
          .find("database must not end with a space"),
      std::string::npos);
  json::Document notObject;
  ASSERT_FALSE(json::parse("[1]", notObject));
  EXPECT_EQ(encodeRow(notObject, row), "the payload must be an object");
}

TEST(RowEncoder, Utf8Length) {
  EXPECT_EQ(singlestore::utf8Length("abc"), 3u);
  EXPECT_EQ(singlestore::utf8Length("Zoë 😀"), 5u);
  EXPECT_FALSE(singlestore::utf8Length("\xff"));
  EXPECT_FALSE(singlestore::utf8Length("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(singlestore::utf8Length("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(singlestore::utf8Length("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(singlestore::utf8Length("\xe2\x82"));          // cut short
}

TEST(RowEncoder, MaxBatchSize) {
  json::Document d;
  ASSERT_FALSE(json::parse(R"({"max_batch_size":250})", d));
  EXPECT_EQ(singlestore::maxBatchSizeOf(d), 250u);
  ASSERT_FALSE(json::parse(R"({"max_batch_size":"x"})", d));
  EXPECT_FALSE(singlestore::maxBatchSizeOf(d));
}
