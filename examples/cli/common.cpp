#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>
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
                  "Settings JSON file (fields: see 'describe'); the SINGLESTORE_* environment "
                  "variables fill what it leaves out, or replace it (see 'actions-singlestore "
                  "--help')")
      ->type_name("FILE");
}

void addDeliveryMappingOption(CLI::App& app, std::string& mapping) {
  app.add_option("--mapping,-m", mapping,
                 "Mapping in Segment's mapping-kit language: a JSON file, or the JSON itself "
                 "when it starts with '{' (default: the Send Data action's default mapping)")
      ->type_name("FILE|JSON")
      ->group(kGroupEvents);
}

void addDeliverySubscriptionOption(CLI::App& app, std::optional<std::string>& subscription) {
  app.add_option("--subscription", subscription,
                 "Segment subscription (FQL); events that do not match are skipped "
                 "(default: the action's defaultSubscription; '' lets every event through)")
      ->type_name("EXPR")
      ->group(kGroupEvents);
}

CLI::Validator rangeCheck(double min, double max, const std::string& unit) {
  auto number = [](double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  std::string range = number(min) + " and " + number(max) + (unit.empty() ? "" : " " + unit);
  return CLI::Validator(
      [min, max, range](std::string& input) -> std::string {
        char* end = nullptr;
        double v = std::strtod(input.c_str(), &end);
        if (input.empty() || *end != '\0' || !(v >= min && v <= max))
          return "must be between " + range + " (it was " + input + ")";
        return "";
      },
      "", "range");
}

void printError(const std::string& message) {
  std::cerr << "actions-singlestore: " << message << '\n';
}

void noteTerminalInput(const std::vector<std::string>& inputs) {
  bool stdinRead = inputs.empty();
  for (const auto& p : inputs) stdinRead = stdinRead || p == "-";
  if (stdinRead && ::isatty(STDIN_FILENO))
    printError(
        "reading events from the terminal: one JSON event per line, then Ctrl-D (Ctrl-C "
        "stops); give a file to read events from it");
}

int writeFailed() {
  printError(std::string("cannot write standard output: ") + std::strerror(errno));
  return kExitFatal;
}

std::string readFile(const std::string& path) {
  // POSIX reads: a directory or a read error gives the system's reason, not an empty text.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot read " + path + ": " + std::strerror(errno));
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n > 0) {
      text.append(buf, static_cast<std::size_t>(n));
    } else if (n == 0) {
      break;
    } else if (errno != EINTR) {
      int why = errno;
      ::close(fd);
      throw std::runtime_error("cannot read " + path + ": " + std::strerror(why));
    }
  }
  ::close(fd);
  return text;
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
