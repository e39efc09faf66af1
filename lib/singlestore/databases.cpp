#include "singlestore/databases.h"

#include <algorithm>
#include <array>
#include <cctype>

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

std::vector<std::string> listUserDatabases(const Settings& settings) {
  db::ConnectOptions options = settings.connectOptions();
  options.database.clear();
  db::Connection c(options);
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
