#include "singlestore/dialect.h"

namespace actions::singlestore {

std::optional<std::string> singleStoreVersion(db::Connection& connection) {
  // SHOW VARIABLES answers an empty set for an unknown name, where SELECT @@x would be an error.
  auto rows = connection.query("SHOW VARIABLES LIKE 'memsql\\_version'");
  if (rows.empty()) return std::nullopt;
  return rows[0].size() > 1 && rows[0][1] ? *rows[0][1] : std::string();
}

Dialect detectDialect(db::Connection& connection) {
  return singleStoreVersion(connection) ? Dialect::SingleStore : Dialect::MySql;
}

const char* toString(Dialect d) {
  return d == Dialect::SingleStore ? "SingleStore" : "MySQL/MariaDB";
}

}  // namespace actions::singlestore
