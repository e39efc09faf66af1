// The plugin as a host loads it: the library dlopen()ed, the entry point looked up by name, the
// version 1 table kept for the test suite; answers parsed and their strings released.
#pragma once

#include <dlfcn.h>
#include <gtest/gtest.h>

#include "actions/plugin.h"
#include "json/json.h"

namespace plugintest {

class LoadedPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    library_ = dlopen(ACTIONS_LIBRARY_PATH, RTLD_NOW | RTLD_LOCAL);
    ASSERT_NE(library_, nullptr) << dlerror();
    entry_ =
        reinterpret_cast<actions_plugin_entry_fn>(dlsym(library_, ACTIONS_PLUGIN_ENTRY_SYMBOL));
    ASSERT_NE(entry_, nullptr);
    plugin_ = entry_(ACTIONS_PLUGIN_ABI_VERSION);
    ASSERT_NE(plugin_, nullptr);
  }
  static void TearDownTestSuite() {
    if (library_) dlclose(library_);
  }

  // Takes an answer apart and releases its string.
  static actions::json::Document answer(char* text) {
    EXPECT_NE(text, nullptr);
    actions::json::Document d;
    if (!text) return d;
    auto err = actions::json::parse(text, d);
    EXPECT_FALSE(err.has_value()) << text;
    plugin_->free_string(text);
    return d;
  }

  static inline void* library_ = nullptr;
  static inline actions_plugin_entry_fn entry_ = nullptr;
  static inline const actions_plugin_v1* plugin_ = nullptr;
};

}  // namespace plugintest
