// The destination's settings (the authentication fields of `describe()`): checked once, then
// handed to testAuthentication(), dynamicFieldChoices() and Sender.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "actions/export.h"

namespace actions {

// Settings that passed validation, defaults applied. Opaque on purpose: it holds the password,
// and nothing in this API hands the password back. Cheap to copy (the contents are shared and
// never change).
class ACTIONS_API Settings {
 public:
  Settings(const Settings&);
  Settings& operator=(const Settings&);
  Settings(Settings&&) noexcept;
  Settings& operator=(Settings&&) noexcept;
  ~Settings();

  // The settings object with defaults applied and the password shown as "********".
  std::string toJson() const;
  // The database and table that receive the rows.
  const std::string& database() const;
  const std::string& table() const;

  struct Impl;  // private to the library

 private:
  ACTIONS_LOCAL explicit Settings(std::shared_ptr<const Impl> impl);
  std::shared_ptr<const Impl> impl_;
  friend struct SettingsAccess;
};

// What a settings check found: the settings, or every problem with them.
struct SettingsCheck {
  std::optional<Settings> settings;   // set when there are no problems
  std::vector<std::string> problems;  // one line per problem, naming the field
  bool ok() const { return settings.has_value(); }
};

// Checks settings given as JSON text (an object). `fallbackPassword`, when not null, fills a
// missing password (the command-line tool passes SINGLESTORE_PASSWORD). A problem never quotes
// the password.
ACTIONS_API SettingsCheck validateSettings(std::string_view settingsJson,
                                           const char* fallbackPassword = nullptr);
// The same from a file; a file that cannot be read is a problem, not an exception.
ACTIONS_API SettingsCheck loadSettingsFile(const std::string& path,
                                           const char* fallbackPassword = nullptr);

}  // namespace actions
