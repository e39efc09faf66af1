// The destination's settings (docs/contracts.md): read from a JSON object, validated from the
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
  std::string sslCa;  // a CA bundle's path, or its PEM text

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

// Checks a MySQL identifier (database or table name) as MariaDB, MySQL and SingleStore store
// it: non-empty, valid UTF-8 of at most 64 characters, none beyond U+FFFF, no NUL or control
// character, no trailing space. Returns the problem, or an empty string when it is fine.
std::string identifierProblem(std::string_view name);
// identifierProblem() for a database the rows go to, which must also not be one of the server's
// own schemas (mysql, sys, information_schema, performance_schema, memsql, cluster).
std::string databaseProblem(std::string_view name);
bool isSystemSchema(std::string_view name);
// The destination's rules on settings beyond their fields' types (checkSettings of the
// definition): port a whole number; host a bare name or address (no scheme, spaces or NUL);
// no NUL in username or password (named, never shown); dbName and tableName identifiers the
// server can store, dbName not a system schema; sslCa a readable regular file of PEM
// certificates or the PEM text itself, and required by the verify modes.
std::vector<std::string> settingsRuleProblems(const json::Value& settings);
// `name` quoted with backticks, inner backticks doubled.
std::string quoteIdentifier(std::string_view name);

}  // namespace actions::singlestore
