// `match --subscription EXPR [INPUT...]`: evaluates a Segment subscription (FQL) over each event,
// one line per event in input order (CONTRACTS.md).
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "io/event_reader.h"
#include "json/json.h"
#include "subscription/subscription.h"

namespace cli {

namespace {

struct MatchOptions {
  std::string expression;
  std::vector<std::string> inputs;
};

void appendError(std::string_view message, std::string& out) {
  out += R"({"ok":false,"error":)";
  actions::json::appendQuoted(message, out);
  out += "}\n";
}

int runMatch(const MatchOptions& options) {
  using actions::subscription::Subscription;
  using actions::subscription::SubscriptionError;
  std::optional<Subscription> subscription;
  try {
    subscription.emplace(Subscription::parse(options.expression));
  } catch (const SubscriptionError& e) {
    printError(std::string("invalid subscription: ") + e.what());
    return kExitFatal;
  }

  actions::io::EventReader reader(options.inputs);
  actions::io::RawEvent raw;
  actions::json::Document doc;
  std::string out, error;
  bool allOk = true;
  while (reader.next(raw)) {
    if (!raw.error.empty()) {
      appendError(raw.error, out);
      allOk = false;
    } else if (auto parseError = actions::json::parse(raw.text, doc)) {
      appendError(parseError->describe(), out);
      allOk = false;
    } else if (auto matched = subscription->evaluate(doc, &error)) {
      out += *matched ? R"({"ok":true,"match":true})"
                        "\n"
                      : R"({"ok":true,"match":false})"
                        "\n";
    } else {
      appendError(error, out);
      allOk = false;
    }
    if (out.size() >= (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return allOk ? kExitOk : kExitSomeFailed;
}

}  // namespace

Command addMatch(CLI::App& parent) {
  auto options = std::make_shared<MatchOptions>();
  auto* app =
      parent.add_subcommand("match", "Evaluate a Segment subscription (FQL) over each event");
  app->add_option("--subscription", options->expression,
                  "The subscription, e.g. 'type = \"track\" and event = \"Order Completed\"'")
      ->required();
  app->add_option("INPUT", options->inputs,
                  "NDJSON or JSON-array files of events; '-' or none for standard input");
  app->footer(
      "Prints one line per event: {\"ok\":true,\"match\":true|false}, or "
      "{\"ok\":false,\"error\":...}\n"
      "for an event that is not valid JSON. Exit status: 0 every event evaluated, 1 some could "
      "not\n"
      "be, 2 the subscription is invalid (the reason on stderr, nothing on stdout).\n\n"
      "Example:\n"
      "  actions-singlestore match --subscription 'type = \"track\" and properties.revenue > 10' "
      "events.ndjson");
  return {app, [options] { return runMatch(*options); }};
}

}  // namespace cli
