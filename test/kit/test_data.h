// Reading the kit tests' data files (under test/, never ../shared).
#pragma once

#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "json/json.h"
#include "kit/definition.h"
#include "kit/result.h"

namespace kittest {

inline std::string dataPath(const std::string& relative) {
  return std::string(ACTIONS_TEST_DATA_DIR) + "/" + relative;
}

// The non-empty lines of a file under test/.
inline std::vector<std::string> readLines(const std::string& relative) {
  std::ifstream in(dataPath(relative), std::ios::binary);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines.push_back(line);
  return lines;
}

inline std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline actions::json::Document parseOrDie(const std::string& text) {
  actions::json::Document d;
  if (auto err = actions::json::parse(text, d)) throw std::runtime_error(err->describe());
  return d;
}

inline actions::kit::InputField field(std::string label, actions::kit::FieldType type,
                                      std::string description = "") {
  actions::kit::InputField f;
  f.label = std::move(label);
  f.description = std::move(description);
  f.type = type;
  return f;
}

// A stored event's answer, for test actions that store everything.
inline actions::kit::EventResult inserted() {
  return {200, actions::kit::Outcome::Inserted, {}, {}};
}

inline std::string str(const actions::json::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

}  // namespace kittest
