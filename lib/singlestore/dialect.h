// Which server speaks: SingleStore, or the MySQL family (MySQL, MariaDB) used for local runs and
// tests. Decided by asking the server, never by the host name or port.
#pragma once

#include <optional>
#include <string>

#include "db/connection.h"

namespace actions::singlestore {

enum class Dialect { SingleStore, MySql };

// SingleStore answers @@memsql_version; MySQL and MariaDB have no such variable.
Dialect detectDialect(db::Connection& connection);
// SingleStore's own version (@@memsql_version, e.g. "8.9.3"), or nothing on MySQL / MariaDB, whose
// handshake version is all they have. SingleStore's handshake announces a MySQL-compatibility
// version ("5.7.32") that says nothing about the SingleStore release.
std::optional<std::string> singleStoreVersion(db::Connection& connection);
const char* toString(Dialect d);

}  // namespace actions::singlestore
