// The destination's settings (CONTRACTS.md): read from a JSON object, defaults applied,
// every problem listed with the field it concerns.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.h"

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
};

// Reads settings from JSON text; `envPassword` (SINGLESTORE_PASSWORD) fills a missing password.
SettingsResult parseSettings(std::string_view jsonText, const char* envPassword);
// The same from a file; a missing or unreadable file is a problem, not an exception.
SettingsResult loadSettingsFile(const std::string& path);

// Checks a MySQL identifier (database or table name): non-empty, at most 64 characters, no NUL,
// no trailing space. Returns the problem, or an empty string when it is fine.
std::string identifierProblem(std::string_view name);
// `name` quoted with backticks, inner backticks doubled.
std::string quoteIdentifier(std::string_view name);

}  // namespace actions::singlestore
