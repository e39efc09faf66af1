#include "singlestore/dialect.h"

namespace actions::singlestore {

Dialect detectDialect(db::Connection& connection) {
  // SHOW VARIABLES answers an empty set for an unknown name, where SELECT @@x would be an error.
  auto rows = connection.query("SHOW VARIABLES LIKE 'memsql\\_version'");
  return rows.empty() ? Dialect::MySql : Dialect::SingleStore;
}

const char* toString(Dialect d) {
  return d == Dialect::SingleStore ? "SingleStore" : "MySQL/MariaDB";
}

}  // namespace actions::singlestore
