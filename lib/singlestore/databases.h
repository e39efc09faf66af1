// The dynamic field `database`: the databases a user may send rows to — the server's list
// without its own system schemas.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "singlestore/settings.h"

namespace actions::singlestore {

// information_schema, mysql, performance_schema, sys (MySQL / MariaDB) and memsql, cluster
// (SingleStore's own), in any letter case.
bool isSystemDatabase(std::string_view name);

// The user databases the settings' user can see, sorted. Connects with dbName as the default
// database (Helios' shared tier refuses a session without one, error 1046), falling back to
// information_schema and then to none when dbName does not exist yet. Throws db::Error.
std::vector<std::string> listUserDatabases(const Settings& settings);

// {"choices":[{"label":"analytics","value":"analytics"},...]}
std::string databaseChoicesJson(const std::vector<std::string>& databases);

}  // namespace actions::singlestore
