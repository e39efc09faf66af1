// The messageId of an event too large to parse, found by a scan that builds nothing.
#include "kit/message_id_scan.h"

#include <gtest/gtest.h>

namespace {

using actions::kit::scanMessageId;

TEST(MessageIdScan, FindsTheTopLevelMemberWhereverItIs) {
  EXPECT_EQ(scanMessageId(R"({"messageId":"m1","type":"track"})"), "m1");
  EXPECT_EQ(scanMessageId(R"( { "type" : "track" , "messageId" : "m2" } )"), "m2");
  // Nested members of the same name, and strings that look like JSON, are not it.
  EXPECT_EQ(
      scanMessageId(
          R"({"properties":{"messageId":"inner","s":"}\"{"},"list":[{"messageId":1}],"messageId":"outer"})"),
      "outer");
  EXPECT_EQ(scanMessageId(R"({"messageId":"a\"b\u00e9"})"), "a\"b\u00e9");
  EXPECT_EQ(scanMessageId(R"({"messageId":12.50})"), "12.5");  // as String() writes it
  EXPECT_EQ(scanMessageId(R"({"messageId":"first","messageId":"last"})"), "last");
}

TEST(MessageIdScan, NothingWhenThereIsNoneToTrust) {
  EXPECT_FALSE(scanMessageId(R"({"type":"track"})"));
  EXPECT_FALSE(scanMessageId(R"({"messageId":null})"));
  EXPECT_FALSE(scanMessageId(R"({"messageId":["m"]})"));
  EXPECT_FALSE(scanMessageId(R"([{"messageId":"m"}])"));
  EXPECT_FALSE(scanMessageId(R"({"messageId":"unterminated)"));
  EXPECT_FALSE(scanMessageId(""));
}

}  // namespace
