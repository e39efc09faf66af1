// Runs recorded upstream behaviour straight against the engine: every case whose mapping is only
// {"field": {"@liquid": "..."}} fields, with the output (or the exact error message) that
// Segment's transform gave. The full mapping-kit pipeline runs the same files elsewhere.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "json/json.h"
#include "liquid/liquid.h"

namespace {

struct Tally {
  int total = 0;
  int agreed = 0;
  int skipped = 0;  // not a plain @liquid mapping (validation is the mapping kit's)
  std::vector<std::string> disagreements;
};

std::string brief(const std::string& s) {
  return s.size() > 300 ? s.substr(0, 300) + "..." : s;
}

// The template of a {"@liquid": "..."} directive, or null.
const actions::json::Value* liquidTemplate(const actions::json::Value& v) {
  if (!v.IsObject() || v.MemberCount() != 1) return nullptr;
  auto it = v.FindMember("@liquid");
  if (it == v.MemberEnd() || !it->value.IsString()) return nullptr;
  return &it->value;
}

void runCase(const actions::json::Value& c, Tally& t) {
  const auto& mapping = c["mapping"];
  std::vector<std::pair<std::string, const actions::json::Value*>> fields;
  for (const auto& m : mapping.GetObject()) {
    const actions::json::Value* tpl = liquidTemplate(m.value);
    if (!tpl) {
      ++t.skipped;
      return;
    }
    fields.emplace_back(m.name.GetString(), tpl);
  }
  ++t.total;
  const bool ok = c["ok"].GetBool();
  std::string name = c.HasMember("name") ? c["name"].GetString() : "";
  std::string failure;
  for (const auto& [field, tpl] : fields) {
    std::string source(tpl->GetString(), tpl->GetStringLength());
    try {
      std::string got = actions::liquid::Template::compile(source).render(c["input"]);
      if (!ok) {
        failure = "expected an error, got " + got;
        continue;
      }
      const auto& want = c["output"][field.c_str()];
      std::string expected(want.GetString(), want.GetStringLength());
      if (got != expected)
        failure = "field " + field + ": got '" + got + "', want '" + expected + "'";
    } catch (const actions::liquid::LiquidError& e) {
      std::string expected = ok ? "" : c["error"].GetString();
      if (ok)
        failure = std::string("unexpected error: ") + e.what();
      else if (fields.size() == 1 && expected != e.what())
        failure = std::string("error '") + e.what() + "', want '" + expected + "'";
      else
        failure.clear();
      if (!ok) break;
    }
  }
  if (failure.empty())
    ++t.agreed;
  else
    t.disagreements.push_back(
        brief(name + " [" + fields.front().second->GetString() + "]: " + failure));
}

Tally runFile(const std::string& path) {
  Tally t;
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    actions::json::Document c;
    if (auto error = actions::json::parse(line, c)) {
      ADD_FAILURE() << path << ": " << error->describe();
      continue;
    }
    runCase(c, t);
  }
  return t;
}

void expectFullAgreement(const std::string& path, int minimumCases) {
  Tally t = runFile(path);
  EXPECT_GE(t.total, minimumCases);
  for (const auto& d : t.disagreements) ADD_FAILURE() << d;
  std::printf("%s: %d/%d cases agree (%d left to the mapping kit)\n", path.c_str(), t.agreed,
              t.total, t.skipped);
  EXPECT_EQ(t.agreed, t.total);
}

TEST(LiquidConformance, UpstreamLiquidSuite) {
  expectFullAgreement(ACTIONS_TEST_DATA_DIR "/conformance/mapping-kit/upstream-liquid.jsonl", 30);
}

// Templates over every tag, filter and value kind, and random differential cases (date strings,
// strftime formats, arithmetic, comparisons, string filters over Unicode), recorded from
// @segment/actions-core 3.170.0 with test/liquid/tools/record_cases.js.
TEST(LiquidConformance, RecordedCorpus) {
  expectFullAgreement(ACTIONS_TEST_DATA_DIR "/liquid/recorded-cases.jsonl", 5000);
}

}  // namespace
