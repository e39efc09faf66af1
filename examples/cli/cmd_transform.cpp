// `transform --mapping M [INPUT...]`: runs a mapping over each event, one result line per event
// (docs/contracts.md).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actions/event_reader.h"
#include "actions/json_text.h"
#include "actions/mapping/mapping.h"
#include "commands.h"

namespace cli {
namespace {

int runTransform(const std::string& mappingArg, const std::vector<std::string>& inputs) {
  std::string text = mappingText(mappingArg);
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

  actions::EventReader reader(inputs);
  noteTerminalInput(inputs);
  actions::RawEvent raw;
  actions::mapping::Transformed result;
  std::string out;
  bool anyFailed = false;
  auto flush = [&] {
    bool ok = std::fwrite(out.data(), 1, out.size(), stdout) == out.size();
    out.clear();
    return ok;
  };
  while (reader.next(raw)) {
    if (raw.error.empty()) {
      mapping->apply(raw.text, result);
    } else {
      result.ok = false;
      result.error = raw.error;
    }
    out += "{\"i\":";
    out += std::to_string(raw.index);
    if (result.ok) {
      out += ",\"ok\":true,\"output\":";
      out += result.output;
      out += "}\n";
    } else {
      anyFailed = true;
      out += ",\"ok\":false,\"error\":";
      actions::appendJsonString(result.error, out);
      out += "}\n";
    }
    if (out.size() > (1 << 16) && !flush()) return writeFailed();
  }
  if (!flush() || std::fflush(stdout) != 0) return writeFailed();
  return anyFailed ? kExitSomeFailed : kExitOk;
}

}  // namespace

Command addTransform(CLI::App& parent) {
  auto* app = parent.add_subcommand("transform", "Run a mapping over each event");
  auto mapping = std::make_shared<std::string>();
  auto inputs = std::make_shared<std::vector<std::string>>();
  app->add_option("--mapping,-m", *mapping,
                  "Mapping in Segment's mapping-kit language: a JSON file, or the JSON itself "
                  "when it starts with '{'")
      ->type_name("FILE|JSON")
      ->required();
  addInputOption(*app, *inputs);
  setHelp(*app, {"Runs a Segment mapping-kit mapping over each event, as Segment's transform() "
                 "does, and prints one line per event, in input order (i: the event's number, "
                 "from 0):\n"
                 "  {\"i\":N,\"ok\":true,\"output\":...}     the mapped value\n"
                 "  {\"i\":N,\"ok\":false,\"error\":\"...\"}  the event is not JSON, or a "
                 "directive failed",
                 {"0  every event mapped", "1  some events failed",
                  "2  the mapping is invalid (the reason on standard error, nothing on standard "
                  "output)"},
                 {"actions-singlestore transform --mapping mappings/send_data.json events.ndjson",
                  "actions-singlestore transform -m '{\"id\":{\"@path\":\"$.userId\"}}' < "
                  "events.ndjson"}});
  return {app, [mapping, inputs] { return runTransform(*mapping, *inputs); }};
}

}  // namespace cli
