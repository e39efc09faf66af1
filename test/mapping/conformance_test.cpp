// Every recorded upstream case (test/conformance/mapping-kit) through the compiled mapping:
// the same output, or an error where upstream threw. Mappings that are not objects are
// outside the contract and skipped, as the project's checker skips them.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "json/json.h"
#include "mapping/mapping.h"

namespace {

using actions::json::Document;
using actions::json::Value;
using actions::mapping::ApplyError;
using actions::mapping::CompiledMapping;
using actions::mapping::MappingError;

// Equality as the project's checker sees it: numbers by their double value, objects by members.
bool sameJson(const Value& a, const Value& b) {
  if (a.IsNumber() && b.IsNumber()) return actions::json::toDouble(a) == actions::json::toDouble(b);
  if (a.GetType() != b.GetType()) return false;
  if (a.IsObject()) {
    if (a.MemberCount() != b.MemberCount()) return false;
    for (const auto& m : a.GetObject()) {
      auto it = b.FindMember(m.name);
      if (it == b.MemberEnd() || !sameJson(m.value, it->value)) return false;
    }
    return true;
  }
  if (a.IsArray()) {
    if (a.Size() != b.Size()) return false;
    for (rapidjson::SizeType i = 0; i < a.Size(); ++i)
      if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  return a == b;
}

struct Tally {
  int agreed = 0, total = 0;
  std::vector<std::string> disagreements;
};

void runCase(const std::string& line, Tally& tally) {
  Document c;
  ASSERT_FALSE(actions::json::parse(line, c)) << line;
  const Value& mapping = c["mapping"];
  if (!mapping.IsObject()) return;
  ++tally.total;
  bool expectOk = c["ok"].GetBool();
  std::string got;
  bool ok = false;
  try {
    CompiledMapping compiled = CompiledMapping::compile(mapping);
    Document out;
    if (compiled.apply(c["input"], out, out.GetAllocator()))
      got = actions::json::stringify(out);
    else
      got = "null";  // the recorder writes an undefined output as null
    ok = true;
    if (expectOk) {
      // Compared as the JSON text the CLI writes (Infinity becomes null there, as in upstream).
      Document written;
      if (!actions::json::parse(got, written) && sameJson(written, c["output"])) {
        ++tally.agreed;
        return;
      }
    }
  } catch (const MappingError& e) {
    got = std::string("mapping error: ") + e.what();
  } catch (const ApplyError& e) {
    got = std::string("apply error: ") + e.what();
  }
  if (!expectOk && !ok) {
    ++tally.agreed;
    return;
  }
  tally.disagreements.push_back(line.substr(0, 600) + "\n    got: " + got.substr(0, 400));
}

Tally runFile(const std::string& name) {
  std::ifstream in(std::string(ACTIONS_TEST_DATA_DIR) + "/conformance/mapping-kit/" + name);
  EXPECT_TRUE(in) << name;
  Tally tally;
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) runCase(line, tally);
  return tally;
}

void expectFullAgreement(const std::string& name, int minimumCases) {
  Tally t = runFile(name);
  EXPECT_GE(t.total, minimumCases);
  for (const auto& d : t.disagreements) ADD_FAILURE() << d;
  std::printf("%s: %d/%d cases agree with upstream\n", name.c_str(), t.agreed, t.total);
  EXPECT_EQ(t.agreed, t.total) << name << ": " << t.agreed << "/" << t.total << " agree";
}

TEST(MappingConformance, UpstreamCoreSuite) {
  expectFullAgreement("upstream-core.jsonl", 100);
}

TEST(MappingConformance, RandomMappings) {
  expectFullAgreement("random.jsonl", 600);
}

// Hand-picked edge cases of every directive, recorded with upstream (tools/record_edge_cases.js).
TEST(MappingConformance, EdgeCases) {
  expectFullAgreement("edge-cases.jsonl", 400);
}

// Strings with lone surrogates (a string cut inside an emoji) through every directive and liquid
// filter that measures, indexes, slices, joins or compares them
// (tools/record_lone_surrogate_cases.js).
TEST(MappingConformance, LoneSurrogates) {
  expectFullAgreement("lone-surrogates.jsonl", 75);
}

TEST(MappingConformance, LiquidSuite) {
  expectFullAgreement("upstream-liquid.jsonl", 30);
}

}  // namespace
