/* A minimal host for the plugin ABI (include/actions/plugin.h): it loads the library at run
 * time, prints the destination's definition, checks a settings object and validates a small
 * batch without a database (a dry run), printing each answer as the library gives it.
 *
 * usage: actions-host [LIBRARY]    (default: libactions_singlestore.so, found by the loader)
 * exit:  0 when every call answered, 1 when the library could not be loaded or refused the ABI. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "actions/plugin.h"

static const char* kSettings =
    "{\"host\":\"127.0.0.1\",\"username\":\"u\",\"password\":\"p\",\"dbName\":\"analytics\"}";

static const char* kDryBatch =
    "{\"action\":\"send\",\"dryRun\":true,"
    "\"settings\":{\"host\":\"127.0.0.1\",\"username\":\"u\",\"password\":\"p\",\"dbName\":"
    "\"analytics\"},"
    "\"events\":["
    "{\"messageId\":\"m1\",\"type\":\"track\",\"event\":\"Order "
    "Completed\",\"timestamp\":\"2024-05-01T10:00:00Z\","
    "\"properties\":{\"revenue\":42}},"
    "{\"messageId\":\"m2\",\"type\":\"track\",\"timestamp\":\"2024-05-01T10:00:01Z\"},"
    "{\"messageId\":\"m3\",\"type\":\"custom\",\"timestamp\":\"2024-05-01T10:00:02Z\"}"
    "]}";

/* Prints one answer under a heading and releases it, as the ABI asks. */
static int show(const actions_plugin_v1* plugin, const char* heading, char* answer) {
  if (!answer) {
    fprintf(stderr, "%s: no answer (out of memory)\n", heading);
    return 0;
  }
  printf("== %s\n%s\n", heading, answer);
  plugin->free_string(answer);
  return 1;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "libactions_singlestore.so";
  void* handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!handle) {
    fprintf(stderr, "cannot load %s: %s\n", path, dlerror());
    return 1;
  }
  actions_plugin_entry_fn entry;
  /* dlsym returns an object pointer; POSIX guarantees it converts to a function pointer. */
  *(void**)(&entry) = dlsym(handle, ACTIONS_PLUGIN_ENTRY_SYMBOL);
  if (!entry) {
    fprintf(stderr, "%s has no %s\n", path, ACTIONS_PLUGIN_ENTRY_SYMBOL);
    dlclose(handle);
    return 1;
  }
  const actions_plugin_v1* plugin = entry(ACTIONS_PLUGIN_ABI_VERSION);
  if (!plugin || plugin->size < sizeof(actions_plugin_v1)) {
    fprintf(stderr, "%s does not speak plugin ABI version %u\n", path, ACTIONS_PLUGIN_ABI_VERSION);
    dlclose(handle);
    return 1;
  }
  printf("== library version\n%s\n", plugin->library_version());
  int ok = show(plugin, "describe", plugin->describe());
  ok &= show(plugin, "validate_settings", plugin->validate_settings(kSettings));
  ok &= show(plugin, "execute_batch (dry run)", plugin->execute_batch(kDryBatch));
  dlclose(handle);
  return ok ? 0 : 1;
}
