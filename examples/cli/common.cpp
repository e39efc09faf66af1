#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>

#include "commands.h"
#include "help_format.h"

namespace cli {

void setHelp(CLI::App& app, const Help& help) {
  std::string text;
  if (!help.details.empty()) text += wrapText(help.details) + "\n";
  if (!help.exitStatus.empty()) {
    text += "\nExit status:\n";
    // "N  meaning", continued under the meaning.
    for (const auto& line : help.exitStatus) {
      auto gap = line.find("  ");
      std::string code = gap == std::string::npos ? "" : line.substr(0, gap + 2);
      text +=
          "  " + code + wrapText(line.substr(code.size()), 2 + code.size(), 2 + code.size()) + "\n";
    }
  }
  if (!help.examples.empty()) {
    text += help.examples.size() == 1 ? "\nExample:\n" : "\nExamples:\n";
    for (const auto& line : help.examples) text += "  " + line + "\n";
  }
  if (!text.empty() && text.back() == '\n') text.pop_back();
  app.footer(text);
}

void addInputOption(CLI::App& app, std::vector<std::string>& inputs) {
  app.add_option("INPUT", inputs,
                 "Event files: NDJSON (one event per line) or one JSON array; '-' or none reads "
                 "standard input")
      ->type_name("FILE");
}

CLI::Option* addSettingsOption(CLI::App& app, std::string& path) {
  return app
      .add_option("--settings", path,
                  "Settings JSON file (fields: see 'describe'); SINGLESTORE_PASSWORD supplies a "
                  "password the file leaves out")
      ->type_name("FILE");
}

void printError(const std::string& message) {
  std::cerr << "actions-singlestore: " << message << '\n';
}

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string mappingText(const std::string& argument) {
  auto first = argument.find_first_not_of(" \t\r\n");
  bool inline_ = first != std::string::npos && argument[first] == '{';
  return inline_ ? argument : readFile(argument);
}

const char* passwordFromEnvironment() {
  return std::getenv("SINGLESTORE_PASSWORD");
}

}  // namespace cli
