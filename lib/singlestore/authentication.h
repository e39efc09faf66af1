// testAuthentication: what `test-auth` and a host's "test connection" button run. It proves the
// settings can deliver: connect (TLS as configured), create the table when missing (checking an
// existing one), and write a probe row inside a transaction that is rolled back — so nothing is
// left behind, on MariaDB and on SingleStore alike, and no DELETE privilege is needed.
#pragma once

#include <string>

#include "singlestore/dialect.h"
#include "singlestore/settings.h"
#include "singlestore/table.h"

namespace actions::singlestore {

struct AuthenticationReport {
  std::string server;  // host:port
  std::string serverVersion;
  Dialect dialect = Dialect::MySql;
  std::string tlsCipher;  // empty when not encrypted
  std::string table;      // `db`.`table`
  TableState tableState = TableState::Existed;
  std::string tableAdvice;  // ensureTable's advice on an existing table; empty when none
};

// Throws db::Error whose message says which step failed (connect, table, write) and why; the
// password never appears in it.
AuthenticationReport testAuthentication(const Settings& settings);

}  // namespace actions::singlestore
