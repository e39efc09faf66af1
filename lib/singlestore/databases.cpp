#include "singlestore/databases.h"

#include <mysqld_error.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>

#include "db/connection.h"
#include "json/json.h"

namespace actions::singlestore {

bool isSystemDatabase(std::string_view name) {
  static constexpr std::array<std::string_view, 6> system = {
      "information_schema", "mysql", "performance_schema", "sys", "memsql", "cluster"};
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(system.begin(), system.end(), lower) != system.end();
}

namespace {

// A connection for SHOW DATABASES. Helios' shared tier refuses a session without a default
// database (error 1046), so it starts in dbName; when dbName does not exist yet, or the user may
// not use it, it falls back as SingleStore's own integrations do: information_schema, which every
// user may use, then no default database at all (MySQL, MariaDB and dedicated SingleStore).
db::Connection connectForListing(const Settings& settings) {
  db::ConnectOptions options = settings.connectOptions();
  const std::string candidates[] = {settings.dbName, "information_schema", ""};
  for (std::size_t i = 0;; ++i) {
    options.database = candidates[i];
    if (i + 1 == std::size(candidates)) return db::Connection(options);
    if (options.database.empty()) continue;
    try {
      return db::Connection(options);
    } catch (const db::Error& e) {
      // Only a database this session cannot start in is worth another try.
      if (e.code() != ER_BAD_DB_ERROR && e.code() != ER_DBACCESS_DENIED_ERROR) throw;
    }
  }
}

}  // namespace

std::vector<std::string> listUserDatabases(const Settings& settings) {
  db::Connection c = connectForListing(settings);
  std::vector<std::string> names;
  for (auto& row : c.query("SHOW DATABASES"))
    if (!row.empty() && row[0] && !isSystemDatabase(*row[0])) names.push_back(*row[0]);
  std::sort(names.begin(), names.end());
  return names;
}

std::string databaseChoicesJson(const std::vector<std::string>& databases) {
  std::string out = "{\"choices\":[";
  for (std::size_t i = 0; i < databases.size(); ++i) {
    if (i) out += ',';
    out += "{\"label\":";
    json::appendQuoted(databases[i], out);
    out += ",\"value\":";
    json::appendQuoted(databases[i], out);
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace actions::singlestore
