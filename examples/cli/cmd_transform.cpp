// transform --mapping M [INPUT...]: runs a mapping over each event, one result line per event.
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actions/mapping/mapping.h"
#include "commands.h"
#include "io/event_reader.h"
#include "json/json.h"

namespace cli {
namespace {

// A mapping given inline instead of as a file, for quick experiments.
bool looksLikeInlineJson(const std::string& m) {
  auto first = m.find_first_not_of(" \t\r\n");
  return first != std::string::npos && m[first] == '{';
}

int runTransform(const std::string& mappingArg, const std::vector<std::string>& inputs) {
  std::string text = looksLikeInlineJson(mappingArg) ? mappingArg : readFile(mappingArg);
  auto first = text.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && text[first] != '{') {
    printError("invalid mapping: a mapping must be a JSON object");
    return kExitFatal;
  }
  std::optional<actions::mapping::Mapping> mapping;
  try {
    mapping.emplace(actions::mapping::Mapping::fromJson(text));
  } catch (const actions::mapping::InvalidMapping& e) {
    printError(std::string("invalid mapping: ") + e.what());
    return kExitFatal;
  }

  actions::io::EventReader reader(inputs);
  actions::io::RawEvent raw;
  actions::mapping::Transformed result;
  std::string out;
  bool anyFailed = false;
  auto flush = [&] {
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  };
  while (reader.next(raw)) {
    if (raw.error.empty()) {
      mapping->apply(raw.text, result);
    } else {
      result.ok = false;
      result.error = raw.error;
    }
    if (result.ok) {
      out += "{\"ok\":true,\"output\":";
      out += result.output;
      out += "}\n";
    } else {
      anyFailed = true;
      out += "{\"ok\":false,\"error\":";
      actions::json::appendQuoted(result.error, out);
      out += "}\n";
    }
    if (out.size() > (1 << 16)) flush();
  }
  flush();
  std::fflush(stdout);
  return anyFailed ? kExitSomeFailed : kExitOk;
}

}  // namespace

Command addTransform(CLI::App& parent) {
  auto* app = parent.add_subcommand("transform", "Run a mapping over each event");
  app->description(
      "Runs a Segment mapping-kit mapping over each event and prints one line per event:\n"
      "  {\"ok\":true,\"output\":...} or {\"ok\":false,\"error\":\"...\"}\n"
      "Events are NDJSON or one JSON array, from files or standard input.\n"
      "Exit status: 0 all events mapped, 1 some failed, 2 the mapping is invalid.");
  auto mapping = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  app->add_option("--mapping,-m", *mapping,
                  "Mapping file (JSON object in Segment's mapping-kit language)")
      ->required();
  app->add_option("INPUT", *inputs,
                  "Event files (NDJSON or a JSON array); '-' or none for standard input");
  app->footer(
      "Example:\n"
      "  actions-singlestore transform --mapping mappings/send_data.json events.ndjson");
  return {app, [mapping, inputs] { return runTransform(*mapping, *inputs); }};
}

}  // namespace cli
