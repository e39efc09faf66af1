// Helpers for the destination's integration tests: the fixture server's settings, a table of
// each test's own (tests run in parallel against one server), payloads, and queries.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "db/connection.h"
#include "json/json.h"
#include "kit/result.h"
#include "singlestore/settings.h"
#include "support/test_env.h"

namespace sstest {

using namespace actions;

inline singlestore::Settings settingsFrom(const std::string& path) {
  auto r = singlestore::loadSettingsFile(path);
  EXPECT_TRUE(r.settings) << path << ": " << (r.problems.empty() ? "" : r.problems[0]);
  return r.settings ? *r.settings : singlestore::Settings{};
}

inline singlestore::Settings fixtureSettings() {
  return settingsFrom(testenv::settingsPath());
}

// A table name no other test (or earlier run) uses.
inline std::string uniqueTable(const std::string& stem) {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  return stem + "_" + std::to_string(rd() % 1000000) + "_" + std::to_string(counter++);
}

// Fixture settings with a table of the test's own.
inline singlestore::Settings settingsWithOwnTable(const std::string& stem) {
  auto s = fixtureSettings();
  s.tableName = uniqueTable(stem);
  return s;
}

// Payloads as the kit hands them over, built from JSON text.
class Payloads {
 public:
  void add(const std::string& jsonText) {
    docs_.emplace_back();
    auto err = json::parse(jsonText, docs_.back());
    EXPECT_FALSE(err) << jsonText;
  }
  // A valid track payload.
  void track(const std::string& messageId,
             const std::string& timestamp = "2026-01-01T00:00:00.000Z",
             const std::string& event = "Order Completed", const std::string& extraMessage = "") {
    std::string idJson, tsJson, evJson;
    json::appendQuoted(messageId, idJson);
    json::appendQuoted(timestamp, tsJson);
    json::appendQuoted(event, evJson);
    add("{\"messageId\":" + idJson + ",\"timestamp\":" + tsJson +
        ",\"type\":\"track\",\"event\":" + evJson + ",\"message\":{\"messageId\":" + idJson +
        ",\"type\":\"track\",\"event\":" + evJson + ",\"properties\":{\"n\":1" + extraMessage +
        "}},\"max_batch_size\":1000}");
  }
  std::vector<const json::Value*> pointers() const {
    std::vector<const json::Value*> out;
    for (auto& d : docs_) out.push_back(&d);
    return out;
  }
  std::size_t size() const { return docs_.size(); }
  json::Document& at(std::size_t i) { return docs_[i]; }

 private:
  std::vector<json::Document> docs_;
};

inline std::string countOutcomes(const std::vector<kit::EventResult>& results) {
  std::map<std::string, int> n;
  for (auto& r : results) n[kit::toString(r.outcome)]++;
  std::string out;
  for (auto& [k, v] : n) out += k + "=" + std::to_string(v) + " ";
  return out;
}

inline std::string scalar(db::Connection& c, const std::string& sql) {
  auto rows = c.query(sql);
  if (rows.empty() || rows[0].empty() || !rows[0][0]) return "NULL";
  return *rows[0][0];
}

// Runs scripts/db with arguments; returns its exit status.
inline int scriptsDb(const std::string& args) {
  std::string cmd = std::string(ACTIONS_SOURCE_DIR) + "/scripts/db " + args + " >/dev/null 2>&1";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace sstest
