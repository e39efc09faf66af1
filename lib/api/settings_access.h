// What an actions::Settings holds, for the library's own use: the parsed settings and the
// validated settings object the kit hands to the action.
#pragma once

#include <memory>

#include "actions/settings.h"
#include "json/json.h"
#include "singlestore/settings.h"

namespace actions {

struct Settings::Impl {
  singlestore::Settings settings;
  std::shared_ptr<const json::Document> validated;  // defaults applied; holds the password
};

struct SettingsAccess {
  static Settings make(std::shared_ptr<const Settings::Impl> impl) {
    return Settings(std::move(impl));
  }
  static const Settings::Impl& impl(const Settings& s) { return *s.impl_; }
};

}  // namespace actions
