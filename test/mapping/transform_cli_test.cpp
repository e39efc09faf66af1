// `transform` as docs/contracts.md describes it: one envelope per event, exit 0 / 1 / 2.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/test_env.h"

using testenv::runCli;

namespace {
std::string mappingFile(testenv::TempDir& dir, const std::string& json) {
  testenv::writeText(dir.file("m.json"), json);
  return dir.file("m.json");
}
}  // namespace

TEST(TransformCli, OneEnvelopePerEventAndExit0WhenAllMap) {
  testenv::TempDir dir;
  auto m = mappingFile(dir, R"({"id":{"@path":"$.messageId"},"n":{"@path":"$.missing"}})");
  auto r = runCli("transform --mapping " + m, "{\"messageId\":\"a\"}\n\n{\"messageId\":2}\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"i\":0,\"ok\":true,\"output\":{\"id\":\"a\"}}\n"
            "{\"i\":1,\"ok\":true,\"output\":{\"id\":2}}\n");
}

TEST(TransformCli, MalformedAndFailingEventsGetTheirOwnLineAndExit1) {
  testenv::TempDir dir;
  auto m = mappingFile(dir, R"({"x":{"@path":"$.a"}})");
  auto r = runCli("transform --mapping " + m, "{\"a\":1}\nnot json\n[1]\n{\"a\":2}\n");
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out,
            "{\"i\":0,\"ok\":true,\"output\":{\"x\":1}}\n"
            "{\"i\":1,\"ok\":false,\"error\":\"invalid JSON at line 1, column 2: Invalid value\"}\n"
            "{\"i\":2,\"ok\":false,\"error\":\"data must be an object, got array\"}\n"
            "{\"i\":3,\"ok\":true,\"output\":{\"x\":2}}\n");
}

TEST(TransformCli, UndefinedOutputIsWrittenAsNull) {
  testenv::TempDir dir;
  auto m = mappingFile(dir, R"({"@path":"$.missing"})");
  auto r = runCli("transform --mapping " + m, "{}\n");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "{\"i\":0,\"ok\":true,\"output\":null}\n");
}

TEST(TransformCli, JsonArrayInputFromAFile) {
  testenv::TempDir dir;
  auto m = mappingFile(dir, R"({"x":{"@template":"{{a}}!"}})");
  testenv::writeText(dir.file("in.json"), R"([{"a":1},{"a":"b"}])");
  auto r = runCli("transform --mapping " + m + " " + dir.file("in.json"));
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"i\":0,\"ok\":true,\"output\":{\"x\":\"1!\"}}\n"
            "{\"i\":1,\"ok\":true,\"output\":{\"x\":\"b!\"}}\n");
}

TEST(TransformCli, InvalidMappingExits2WithNothingOnStdout) {
  testenv::TempDir dir;
  auto m =
      mappingFile(dir, R"({"a":{"@merge":{"direction":"left","objects":{}}},"b":{"@nope":1}})");
  auto r = runCli("transform --mapping " + m, "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("/a/@merge/objects should be an array but it is an object."),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("/b has an invalid directive: @nope."), std::string::npos) << r.err;

  auto notObject = mappingFile(dir, "[1]");
  r = runCli("transform --mapping " + notObject, "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.out, "");
  r = runCli("transform --mapping " + dir.file("absent.json"), "{}\n");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.out, "");
}

TEST(TransformCli, HostileInputGetsErrorsNotCrashes) {
  testenv::TempDir dir;
  auto m = mappingFile(dir, R"({"all":{"@path":"$."}})");
  std::string input = "{\"d\":" + std::string(100000, '[') + std::string(100000, ']') + "}\n";
  input += "{\"n\":1e400}\n{\"s\":\"\xff\xfe\"}\n\"just a string\"\n";
  input += "{\"big\":\"" + std::string(50 * 1000 * 1000, 'x') + "\"}\n";
  auto r = runCli("transform --mapping " + m, input);
  EXPECT_EQ(r.exitCode, 1);
  auto lines = std::count(r.out.begin(), r.out.end(), '\n');
  EXPECT_EQ(lines, 5);
  EXPECT_NE(r.out.find("nesting deeper than"), std::string::npos);
  EXPECT_NE(r.out.find("Number too big"), std::string::npos);
  EXPECT_NE(r.out.find("Invalid encoding"), std::string::npos);
  EXPECT_NE(r.out.find("data must be an object, got string"), std::string::npos);
  EXPECT_NE(r.out.find("\"ok\":true,\"output\":{\"all\":{\"big\":\"xxx"), std::string::npos);
}
