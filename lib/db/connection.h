// A single libmysqlclient (MariaDB Connector/C) connection: RAII, utf8mb4, UTC, strict SQL mode,
// timeouts, TLS, and errors that carry the server's errno and text but never the password.
//
// The client handle is owned (a unique_ptr that closes it), so no path — a failed connect, a
// failed session setup, a move — can leak or double-close it. Every wait on the server can be
// bounded by a deadline of the caller's (setDeadline, and the constructor's for connecting) with
// millisecond precision, whatever the whole-second timeouts below say (db/io_deadline.h): a
// stalled server costs a caller its remaining budget, never the 60 s read timeout.
//
// TLS modes and what Connector/C 3.3 makes of them (docs/security.md):
//   disabled         no TLS at all: plain text.
//   preferred        TLS when the server offers it, plain text otherwise; the certificate is not
//                    checked (encryption against passive listeners only).
//   required         TLS or no connection, decided at the handshake before any credential is
//                    sent; the certificate is not checked.
//   verify_ca        as required, and the chain must lead to sslCa; the host name is not checked
//                    (Connector/C checks the chain whenever a CA is given, the name only with
//                    MYSQL_OPT_SSL_VERIFY_SERVER_CERT, which this mode leaves off).
//   verify_identity  as verify_ca, and the host (name or IP) must be in the certificate's
//                    subjectAltName / CN.
// The password itself never leaves the client unless the certificate was verified: in disabled,
// preferred and required only the scramble methods (mysql_native_password, client_ed25519) are
// allowed (MARIADB_OPT_RESTRICTED_AUTH), so a server or a machine in the middle asking for
// mysql_clear_password, dialog or the sha256 methods is refused.
// sslCa is a path, or the PEM text itself (written to a private temporary file while connecting).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/error.h"
#include "db/parameter_rows.h"

struct st_mysql;
struct st_mysql_stmt;

namespace actions::db {

enum class SslMode { Disabled, Preferred, Required, VerifyCa, VerifyIdentity };

struct ConnectOptions {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user;
  std::string password;
  std::string database;  // may be empty: no default database
  unsigned connectTimeoutSec = 10;
  unsigned readTimeoutSec = 60;   // waiting for an answer (a blocked or lost server)
  unsigned writeTimeoutSec = 60;  // sending a statement
  SslMode sslMode = SslMode::Preferred;
  std::string sslCa;  // CA bundle for verify_ca / verify_identity: a path, or PEM text itself
  bool localInfile = false;
};

using Row = std::vector<std::optional<std::string>>;

class Connection {
 public:
  using Clock = std::chrono::steady_clock;

  // Connects and prepares the session (utf8mb4, time zone UTC, strict SQL mode) or throws
  // db::Error. With a deadline, connecting and the session setup end by then at the latest
  // (Error::timedOut), and it stays the connection's deadline (setDeadline).
  explicit Connection(const ConnectOptions& options,
                      std::optional<Clock::time_point> deadline = std::nullopt);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // From now on every wait on the server (an answer, sending a statement or a file) ends by
  // `deadline`; empty: only the ConnectOptions timeouts apply. A call that runs out of time
  // throws Error::timedOut — its statement may or may not have taken effect — and closes the
  // connection, whose link is then in an unknown state (isOpen() is false).
  void setDeadline(std::optional<Clock::time_point> deadline) { deadline_ = deadline; }
  std::optional<Clock::time_point> deadline() const { return deadline_; }
  // Closes the link now (a caller that cannot tell what state the session is in).
  void discard() noexcept { close(); }

  // Runs a statement that returns no rows (any result set is discarded). Throws db::Error.
  void execute(std::string_view sql);
  // Runs `sql`, a LOAD DATA LOCAL INFILE statement, serving `data` as the file's content
  // straight from memory (the file name in the statement is not opened). Needs
  // ConnectOptions::localInfile. At any other time a request from the server for a local file
  // is refused, so a server can never read the client's files. Throws db::Error.
  struct LoadResult {
    uint64_t rows = 0;      // rows stored
    unsigned warnings = 0;  // rows skipped or changed on the way in
  };
  LoadResult loadLocal(std::string_view sql, std::string_view data);
  // True when the server executes a prepared statement once for a whole array of parameter rows
  // sent in one request (MariaDB's bulk execution); MySQL and SingleStore do not.
  bool supportsArrayBinding() const;
  // Runs `sql`, a statement with one `?` per column of `rows`, for every row of `rows` in one
  // round trip, the values going as binary parameters: nothing is escaped or parsed as SQL.
  // The statement is prepared once per connection and kept. Needs supportsArrayBinding().
  // Returns the rows stored and the warnings of the whole execution. Throws db::Error.
  LoadResult insertRows(std::string_view sql, const ParameterRows& rows);
  // Runs a query and returns all its rows as text (NULL as nullopt). Throws db::Error.
  std::vector<Row> query(std::string_view sql);
  // Rows changed by the last statement, and the server's info line ("Records: 3 Duplicates: 1
  // ...").
  uint64_t affectedRows() const;
  std::string info() const;
  unsigned warningCount() const;

  // Appends `value` escaped for use inside a single-quoted SQL string literal, the way this
  // session reads it (backslash escapes, or doubled quotes under NO_BACKSLASH_ESCAPES). The mode
  // is the session's sql_mode as read at connect (and by readSqlMode()), not only the server's
  // status flag: SingleStore does not report NO_BACKSLASH_ESCAPES in that flag.
  void appendEscaped(std::string_view value, std::string& out) const;
  // True when the session's sql_mode has NO_BACKSLASH_ESCAPES (a backslash is an ordinary
  // character in string literals).
  bool noBackslashEscapes() const { return noBackslashEscapes_; }
  // Reads the session's sql_mode again: for a caller that changed it with SET. Throws db::Error.
  void readSqlMode();

  std::string serverVersion() const;
  // The TLS cipher in use, or empty when the connection is not encrypted.
  std::string tlsCipher() const;
  // True when the server still answers (cheap round trip). Never reconnects by itself: a silent
  // reconnect would lose the session settings and hide an in-doubt statement.
  bool ping();
  // Clears the session (open transaction, user variables, temporary tables) and applies the
  // session settings again. Throws db::Error.
  void reset();
  // True while a transaction is open on the server side.
  bool inTransaction() const;
  // The server's max_allowed_packet (asked once, then remembered): the largest statement it takes.
  uint64_t maxAllowedPacket();
  // The server-side id of this connection (for KILL and diagnostics).
  unsigned long threadId() const;
  bool isOpen() const { return mysql_ != nullptr; }

 private:
  struct HandleCloser {
    void operator()(st_mysql* handle) const noexcept;
  };
  struct StatementCloser {
    void operator()(st_mysql_stmt* statement) const noexcept;
  };

  // The error of the failed call: the client's, or Error::timedOut when the deadline cut a wait
  // short (then the connection is closed).
  [[noreturn]] void fail(std::string_view context);
  [[noreturn]] void failStatement(std::string_view context);
  void closeStatement() noexcept;
  void prepareSession();
  void close() noexcept;
  st_mysql* open() const;  // the handle, or throws "connection is closed"

  // Declared before statement_, so the statement is closed first.
  std::unique_ptr<st_mysql, HandleCloser> mysql_;
  std::unique_ptr<st_mysql_stmt, StatementCloser> statement_;  // insertRows()' last statement
  std::string statementSql_;
  uint64_t maxAllowedPacket_ = 0;
  bool noBackslashEscapes_ = false;  // from @@sql_mode
  std::optional<Clock::time_point> deadline_;
};

std::string_view toString(SslMode mode);
std::optional<SslMode> parseSslMode(std::string_view text);

}  // namespace actions::db
