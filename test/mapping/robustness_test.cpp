// Hostile input never crashes the mapping kit: each case gets a clear error instead.
#include <gtest/gtest.h>

#include <thread>

#include "json/json.h"
#include "mapping/mapping.h"
#include "mapping_test_util.h"

using actions::json::Document;
using actions::json::Value;
using actions::mapping::ApplyError;
using actions::mapping::CompiledMapping;
using actions::mapping::MappingError;
using mappingtest::run;

TEST(MappingRobustness, EventsThatAreNotObjectsOrNotJson) {
  EXPECT_EQ(run(R"({"a":1})", "123"), "ERROR: data must be an object, got number");
  EXPECT_EQ(run(R"({"a":1})", "[]"), "ERROR: data must be an object, got array");
  EXPECT_EQ(run(R"({"a":1})", "null"), "ERROR: data must be an object, got null");
  EXPECT_EQ(run(R"({"a":1})", R"({"n":1e400})"),
            "ERROR: invalid JSON at line 1, column 6: Number too big to be stored in double");
  EXPECT_EQ(run(R"({"a":1})", "{\"s\":\"\xff\"}"),
            "ERROR: invalid JSON at line 1, column 7: Invalid encoding in string");
}

TEST(MappingRobustness, EventNestedAHundredThousandLevels) {
  std::string deep(100000, '[');
  deep += std::string(100000, ']');
  std::string event = R"({"d":)" + deep + "}";
  EXPECT_NE(run(R"({"a":{"@path":"$."}})", event).find("nesting deeper than"), std::string::npos);

  // Built in memory, past the parser's limit: the walk refuses it instead of overflowing.
  Document doc;
  auto& alloc = doc.GetAllocator();
  Value v(rapidjson::kArrayType);
  for (int i = 0; i < 100000; ++i) {
    Value outer(rapidjson::kArrayType);
    outer.PushBack(v, alloc);
    v = outer;
  }
  Value event2(rapidjson::kObjectType);
  event2.AddMember("d", v, alloc);
  Document m;
  ASSERT_FALSE(actions::json::parse(R"({"a":{"@path":"$.d"}})", m));
  auto compiled = CompiledMapping::compile(m);
  Document out;
  EXPECT_THROW(compiled.apply(event2, out, out.GetAllocator()), ApplyError);
}

TEST(MappingRobustness, MappingBuiltDeeperThanTheLimit) {
  Document doc;
  auto& alloc = doc.GetAllocator();
  Value v(1);
  for (int i = 0; i < 100000; ++i) {
    Value outer(rapidjson::kObjectType);
    outer.AddMember("a", v, alloc);
    v = outer;
  }
  try {
    CompiledMapping::compile(v);
    FAIL() << "a 100,000-level mapping was accepted";
  } catch (const MappingError& e) {
    EXPECT_NE(std::string(e.what()).find("nested deeper than"), std::string::npos);
  }
}

TEST(MappingRobustness, FiftyMegabyteStrings) {
  std::string big(50 * 1000 * 1000, 'x');
  std::string out = run(
      R"({"t":{"@template":"{{s}}!"},"c":{"@case":{"operator":"upper","value":{"@path":"$.s"}}}})",
      R"({"s":")" + big + "\"}");
  ASSERT_EQ(out.size(), 2 * big.size() + 16);
  EXPECT_EQ(out.substr(0, 10), R"({"t":"xxxx)");
  EXPECT_EQ(out.substr(big.size() + 6, 9), R"(!","c":"X)");
}

TEST(MappingRobustness, InvalidUtf8InsideAValueIsKeptByteForByte) {
  // Values built in memory (not parsed) may carry malformed bytes: case mapping keeps them.
  Document m;
  ASSERT_FALSE(
      actions::json::parse(R"({"@case":{"operator":"upper","value":{"@path":"$.s"}}})", m));
  auto compiled = CompiledMapping::compile(m);
  Document event(rapidjson::kObjectType);
  event.AddMember("s", Value("a\xff\xc3", event.GetAllocator()), event.GetAllocator());
  Document out;
  ASSERT_TRUE(compiled.apply(event, out, out.GetAllocator()));
  EXPECT_EQ(std::string(out.GetString(), out.GetStringLength()), "A\xff\xc3");
}

TEST(MappingRobustness, ConcurrentAppliesOfOneCompiledMapping) {
  auto m = actions::mapping::Mapping::fromJson(
      R"({"id":{"@path":"$.i"},"t":{"@template":"n={{i}}"},"l":{"@arrayPath":["$.l",{"v":{"@path":"$.v"}}]},)"
      R"("m":{"@merge":{"direction":"left","objects":[{"@path":"$.o"},{"k":{"@path":"$.i"}}]}}})");
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        int n = t * 10000 + i;
        std::string event =
            R"({"i":)" + std::to_string(n) + R"(,"l":[{"v":1},{"v":2}],"o":{"k":0,"z":1}})";
        std::string expected = R"({"id":)" + std::to_string(n) + R"(,"t":"n=)" + std::to_string(n) +
                               R"(","l":[{"v":1},{"v":2}],"m":{"k":0,"z":1}})";
        auto r = m.apply(event);
        if (!r.ok || r.output != expected) ++failures[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < 4; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
}
