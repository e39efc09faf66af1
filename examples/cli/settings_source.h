// Where the database commands get their settings: a settings file (--settings), the environment
// (SINGLESTORE_HOST, SINGLESTORE_PORT, SINGLESTORE_USER, SINGLESTORE_DATABASE and
// SINGLESTORE_PASSWORD), or both — then a key the file sets wins over the environment's.
#pragma once

#include <optional>
#include <string>

#include "actions/settings.h"

namespace cli {

// The environment variables and the settings keys they fill, for help pages and docs.
inline constexpr const char* kSettingsEnvironmentHelp =
    "SINGLESTORE_HOST      host         SINGLESTORE_PORT      port\n"
    "SINGLESTORE_USER      username     SINGLESTORE_DATABASE  dbName\n"
    "SINGLESTORE_PASSWORD  password";

// Whether any of SINGLESTORE_HOST, _PORT, _USER or _DATABASE is set (the password alone does not
// make settings).
bool environmentHasSettings();

// The settings JSON text to check: the file's text with the environment's keys added where the
// file has none (or the environment's keys alone when `path` is empty). The password is not
// added here: it goes to validateSettings as its fallback. Throws std::runtime_error when there
// are no settings at all, or the file cannot be read (saying why).
std::string settingsJson(const std::string& path);

// Reads and checks the settings; prints every problem ("invalid settings: ...") and returns
// nothing when there is one. `needPassword` false: a command that never connects (print-ddl)
// accepts settings without a password.
std::optional<actions::Settings> loadSettings(const std::string& path, bool needPassword = true);

// `fileText` (a JSON object) with `"key":value` members appended for keys it lacks; the text
// unchanged when it does not scan as an object (validation then says what is wrong with it).
// `members` holds key and JSON-encoded value pairs. Exposed for its tests.
std::string addMissingMembers(const std::string& fileText,
                              const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace cli
