// `match --subscription EXPR [INPUT...]`: evaluates a Segment subscription (FQL) over each event,
// one line per event in input order (docs/contracts.md).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "actions/event_reader.h"
#include "actions/json_text.h"
#include "actions/subscription.h"
#include "commands.h"

namespace cli {

namespace {

struct MatchOptions {
  std::string expression;
  std::vector<std::string> inputs;
};

void appendError(std::string_view message, std::string& out) {
  out += R"("ok":false,"error":)";
  actions::appendJsonString(message, out);
  out += "}\n";
}

int runMatch(const MatchOptions& options) {
  std::optional<actions::Subscription> subscription;
  try {
    subscription.emplace(actions::Subscription::parse(options.expression));
  } catch (const actions::InvalidSubscription& e) {
    printError(std::string("invalid subscription: ") + e.what());
    return kExitFatal;
  }

  actions::EventReader reader(options.inputs);
  noteTerminalInput(options.inputs);
  actions::RawEvent raw;
  actions::MatchResult result;
  std::string out;
  bool allOk = true;
  while (reader.next(raw)) {
    out += "{\"i\":";
    out += std::to_string(raw.index);
    out += ',';
    if (!raw.error.empty()) {
      appendError(raw.error, out);
      allOk = false;
    } else if (subscription->evaluate(raw.text, result); result.ok) {
      out += result.match ? R"("ok":true,"match":true})"
                            "\n"
                          : R"("ok":true,"match":false})"
                            "\n";
    } else {
      appendError(result.error, out);
      allOk = false;
    }
    if (out.size() >= (1 << 16)) {
      if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) return writeFailed();
      out.clear();
    }
  }
  if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0)
    return writeFailed();
  return allOk ? kExitOk : kExitSomeFailed;
}

}  // namespace

Command addMatch(CLI::App& parent) {
  auto options = std::make_shared<MatchOptions>();
  auto* app =
      parent.add_subcommand("match", "Evaluate a Segment subscription (FQL) over each event");
  app->add_option("--subscription", options->expression,
                  "The subscription, e.g. 'type = \"track\" and event = \"Order Completed\"'")
      ->type_name("EXPR")
      ->required();
  addInputOption(*app, options->inputs);
  setHelp(*app, {"Evaluates the subscription as Segment's destination-subscriptions does "
                 "(its quirks included) and prints one line per event, in input order (i: the "
                 "event's number, from 0):\n"
                 "  {\"i\":N,\"ok\":true,\"match\":true|false}\n"
                 "  {\"i\":N,\"ok\":false,\"error\":\"...\"}\n"
                 "      the event is not JSON, or cannot be evaluated",
                 {"0  every event evaluated", "1  some could not be",
                  "2  the subscription is invalid (the reason on standard error, nothing on "
                  "standard output)"},
                 {"actions-singlestore match --subscription \\\n"
                  "      'type = \"track\" and properties.revenue > 10' events.ndjson",
                  "actions-singlestore match --subscription 'match(event, \"Order*\")' "
                  "events.json"}});
  return {app, [options] { return runMatch(*options); }};
}

}  // namespace cli
