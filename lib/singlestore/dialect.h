// Which server speaks: SingleStore, or the MySQL family (MySQL, MariaDB) used for local runs and
// tests. Decided by asking the server, never by the host name or port.
#pragma once

#include "db/connection.h"

namespace actions::singlestore {

enum class Dialect { SingleStore, MySql };

// SingleStore answers @@memsql_version; MySQL and MariaDB have no such variable.
Dialect detectDialect(db::Connection& connection);
const char* toString(Dialect d);

}  // namespace actions::singlestore
