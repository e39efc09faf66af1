// Uses only the installed public headers: prints the version of the library it was compiled
// against and of the one it loaded, then the destination's name from the plugin's describe().
//
// exit: 0 when the library answered, 1 otherwise.
#include <actions/plugin.h>
#include <actions/version.h>

#include <cstdio>
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

}  // namespace

int main() {
  std::printf("compiled against %s, running %s\n", ACTIONS_SINGLESTORE_VERSION,
              actions::libraryVersion());

  const actions_plugin_v1* plugin = actions_plugin_entry(ACTIONS_PLUGIN_ABI_VERSION);
  if (!plugin) {
    std::fprintf(stderr, "the library does not speak plugin ABI %u\n", ACTIONS_PLUGIN_ABI_VERSION);
    return 1;
  }
  char* definition = plugin->describe();
  if (!definition) {
    std::fprintf(stderr, "describe() gave no answer\n");
    return 1;
  }
  const std::string_view name = destinationName(definition);
  const bool found = !name.empty();
  if (found)
    std::printf("destination: %.*s\n", static_cast<int>(name.size()), name.data());
  else
    std::fprintf(stderr, "describe() has no name: %s\n", definition);
  plugin->free_string(definition);
  return found ? 0 : 1;
}
