#include "singlestore/authentication.h"

#include <chrono>
#include <random>

#include "db/connection.h"
#include "db/transaction.h"
#include "singlestore/row_encoder.h"
#include "singlestore/statements.h"

namespace actions::singlestore {
namespace {

// The same error with the step that failed in front of it.
db::Error inStep(const std::string& step, const db::Error& e) {
  return db::Error(e.code(), e.sqlstate(), step + ": " + e.what(), e.errorClass());
}

std::string probeId() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned long long> dist;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", dist(rd));
  return std::string("actions-singlestore-test-auth-") + buf;
}

}  // namespace

AuthenticationReport testAuthentication(const Settings& settings) {
  AuthenticationReport report;
  report.server = settings.host + ":" + std::to_string(settings.port);
  TableRef table = makeTableRef(settings.dbName, settings.tableName);
  report.table = table.qualified();

  db::Connection c(
      settings.connectOptions());  // throws "cannot connect ..." / "authentication failed ..."
  report.serverVersion = c.serverVersion();
  report.tlsCipher = c.tlsCipher();
  try {
    // On SingleStore, its own release rather than the MySQL version its handshake announces.
    auto version = singleStoreVersion(c);
    report.dialect = version ? Dialect::SingleStore : Dialect::MySql;
    if (version && !version->empty()) report.serverVersion = *version;
  } catch (const db::Error& e) {
    throw inStep("cannot ask the server what it is", e);
  }
  try {
    report.tableState = ensureTable(c, report.dialect, table, &report.tableAdvice);
  } catch (const db::Error& e) {
    throw inStep("cannot use table " + report.table, e);
  }

  Row probe;
  probe.messageId = probeId();
  probe.type = "track";
  probe.event = "actions-singlestore test-auth probe";
  probe.timestampMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  probe.message = "{}";
  const Row* rows[] = {&probe};
  std::string sql;
  StatementBuilder(table).insert(
      rows, [&c](std::string_view v, std::string& out) { c.appendEscaped(v, out); }, sql);
  try {
    db::Transaction tx(c);  // the probe is never kept
    c.execute(sql);
    tx.abort();
  } catch (const db::Error& e) {
    throw inStep("cannot write to " + report.table, e);
  }
  return report;
}

}  // namespace actions::singlestore
