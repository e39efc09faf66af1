// A single libmysqlclient connection: RAII, utf8mb4, UTC, timeouts, TLS, and errors that carry
// the server's errno and text but never the password.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/error.h"

struct st_mysql;

namespace actions::db {

enum class SslMode { Disabled, Preferred, Required, VerifyCa, VerifyIdentity };

struct ConnectOptions {
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string user;
  std::string password;
  std::string database;  // may be empty: no default database
  unsigned connectTimeoutSec = 10;
  unsigned readTimeoutSec = 60;
  unsigned writeTimeoutSec = 60;
  SslMode sslMode = SslMode::Preferred;
  std::string sslCa;  // CA bundle for verify_ca / verify_identity
  bool localInfile = false;
};

using Row = std::vector<std::optional<std::string>>;

class Connection {
 public:
  // Connects or throws db::Error.
  explicit Connection(const ConnectOptions& options);
  ~Connection();
  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs a statement that returns no rows (any result set is discarded). Throws db::Error.
  void execute(std::string_view sql);
  // Runs a query and returns all its rows as text (NULL as nullopt). Throws db::Error.
  std::vector<Row> query(std::string_view sql);
  // Rows changed by the last statement, and the server's info line ("Records: 3 Duplicates: 1 ...").
  uint64_t affectedRows() const;
  std::string info() const;
  unsigned warningCount() const;

  // Appends `value` escaped for use inside a single-quoted SQL string literal.
  void appendEscaped(std::string_view value, std::string& out) const;

  std::string serverVersion() const;
  // The TLS cipher in use, or empty when the connection is not encrypted.
  std::string tlsCipher() const;
  // True when the server still answers (cheap round trip).
  bool ping();
  // The server-side id of this connection (for KILL and diagnostics).
  unsigned long threadId() const;

  st_mysql* handle() { return mysql_; }

 private:
  [[noreturn]] void fail(std::string_view context) const;
  void close() noexcept;

  st_mysql* mysql_ = nullptr;
  std::string password_;  // kept only to scrub it from any error text
};

std::string_view toString(SslMode mode);
std::optional<SslMode> parseSslMode(std::string_view text);

}  // namespace actions::db
