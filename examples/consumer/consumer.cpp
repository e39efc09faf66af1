// Uses only the installed public headers, as a user's program would: prints the version of the
// library it was compiled against and of the one it loaded, the destination's name (from the C
// plugin table), checks a settings object and validates two events with a dry run of the Send
// Data action (the C++ API; no database needed).
//
// exit: 0 when the library answered as expected, 1 otherwise.
#include <actions/destination.h>
#include <actions/plugin.h>
#include <actions/sender.h>
#include <actions/settings.h>
#include <actions/version.h>

#include <cstdio>
#include <string>
#include <string_view>

namespace {

// The value of the top-level "name" key of describe()'s JSON. Enough for this example: the
// definition starts with {"name":"..." and the name holds no escaped quotes.
std::string_view destinationName(std::string_view definition) {
  constexpr std::string_view key = "\"name\":\"";
  const auto start = definition.find(key);
  if (start == std::string_view::npos) return {};
  const auto from = start + key.size();
  const auto end = definition.find('"', from);
  if (end == std::string_view::npos) return {};
  return definition.substr(from, end - from);
}

// The C plugin table, which a program may also call directly when it links the library.
bool printNameThroughPlugin() {
  const actions_plugin_v1* plugin = actions_plugin_entry(ACTIONS_PLUGIN_ABI_VERSION);
  if (!plugin) {
    std::fprintf(stderr, "the library does not speak plugin ABI %u\n", ACTIONS_PLUGIN_ABI_VERSION);
    return false;
  }
  char* definition = plugin->describe();
  if (!definition) return false;
  const std::string_view name = destinationName(definition);
  if (!name.empty())
    std::printf("destination: %.*s\n", static_cast<int>(name.size()), name.data());
  else
    std::fprintf(stderr, "describe() has no name: %s\n", definition);
  plugin->free_string(definition);
  return !name.empty();
}

// The C++ API: a settings check, then a dry run over two events.
bool dryRun() {
  actions::SettingsCheck check = actions::validateSettings(
      R"({"host":"127.0.0.1","username":"app","password":"secret","dbName":"analytics"})");
  if (!check.ok()) {
    for (const auto& problem : check.problems) std::fprintf(stderr, "%s\n", problem.c_str());
    return false;
  }
  std::printf("settings: %s\n", check.settings->toJson().c_str());

  actions::SendOptions options;
  options.dryRun = true;  // map and validate only
  std::string outcomes;
  actions::Sender sender(&*check.settings, options, [&](const actions::EventRecord& record) {
    outcomes += outcomes.empty() ? "" : ", ";
    outcomes += actions::toString(record.outcome);
  });
  sender.add(0, R"({"messageId":"m1","type":"identify","timestamp":"2024-05-01T10:00:00Z"})");
  sender.add(1, R"({"messageId":"m2","type":"track","timestamp":"2024-05-01T10:00:01Z"})");
  sender.finish();
  std::printf("dry run: %s\n", outcomes.c_str());
  return true;
}

}  // namespace

int main() {
  std::printf("compiled against %s, running %s\n", ACTIONS_SINGLESTORE_VERSION,
              actions::libraryVersion());
  bool ok = printNameThroughPlugin();
  ok = dryRun() && ok;
  return ok ? 0 : 1;
}
