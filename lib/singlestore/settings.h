// The destination's settings (CONTRACTS.md): read from a JSON object, validated from the
// definition's settings fields (defaults applied, every problem listed with the field it
// concerns), and the destination's own rules (identifiers, TLS files).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.h"
#include "json/json.h"

namespace actions::singlestore {

struct Settings {
  std::string host;
  unsigned port = 3306;
  std::string username;
  std::string password;
  std::string dbName;
  std::string tableName = "segment_raw_data";
  db::SslMode sslMode = db::SslMode::Preferred;
  std::string sslCa;

  db::ConnectOptions connectOptions() const;
};

struct SettingsResult {
  std::optional<Settings> settings;   // set when there are no problems
  std::vector<std::string> problems;  // one line per problem, naming the field
  // The validated settings object with defaults applied (what the kit hands to the action),
  // set when there are no problems. It holds the password: never print it.
  std::shared_ptr<const json::Document> validated;
};

// Reads settings from JSON text; `envPassword` (SINGLESTORE_PASSWORD) fills a missing password.
SettingsResult parseSettings(std::string_view jsonText, const char* envPassword);
// The same from a parsed JSON value.
SettingsResult parseSettings(const json::Value& object, const char* envPassword);
// The same from a file; a missing or unreadable file is a problem, not an exception.
SettingsResult loadSettingsFile(const std::string& path);

// Settings from an object that passed validation already (kit::BatchRequest::settings).
Settings settingsFromJson(const json::Value& validated);

// Checks a MySQL identifier (database or table name): non-empty, at most 64 characters, no NUL,
// no trailing space. Returns the problem, or an empty string when it is fine.
std::string identifierProblem(std::string_view name);
// `name` quoted with backticks, inner backticks doubled.
std::string quoteIdentifier(std::string_view name);

}  // namespace actions::singlestore
