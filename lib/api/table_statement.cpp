// createTableStatement (include/actions/destination.h) over singlestore/table.h: the same DDL
// the library runs when it creates the table.
#include <stdexcept>
#include <string>

#include "actions/destination.h"
#include "db/error.h"
#include "singlestore/table.h"

namespace actions {

std::string createTableStatement(std::string_view dialect, std::string_view database,
                                 std::string_view table) {
  namespace ss = singlestore;
  ss::Dialect d;
  if (dialect == "singlestore")
    d = ss::Dialect::SingleStore;
  else if (dialect == "mariadb" || dialect == "mysql")
    d = ss::Dialect::MySql;
  else
    throw std::invalid_argument("unknown dialect \"" + std::string(dialect) +
                                "\": use singlestore, mariadb or mysql");
  try {
    return ss::createTableSql(d, ss::makeTableRef(database, table));
  } catch (const db::Error& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace actions
