#include "db/connection.h"

#include "db/io_deadline.h"

#include <errmsg.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <utility>

namespace actions::db {
namespace {

// mysql_init() initialises the library on first use, which is not thread-safe; do it once.
void initLibrary() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

// Authentication methods that never let the password itself leave the client: a scramble
// (mysql_native_password) or a signature (client_ed25519). The others — mysql_clear_password,
// dialog (PAM), sha256_password and caching_sha2_password's full authentication — send the
// password, in clear text or encrypted with a key the peer supplies, so a server or anyone in
// the middle would read it. They are allowed only over TLS whose certificate was verified.
constexpr const char* kSecretKeepingMethods = "mysql_native_password,client_ed25519";

bool verifiesCertificate(SslMode mode) {
  return mode == SslMode::VerifyCa || mode == SslMode::VerifyIdentity;
}

bool isInlinePem(const std::string& ca) {
  return ca.rfind("-----BEGIN", 0) == 0;
}

// An inline CA (PEM text in sslCa) as a file only this user can read, for the moments the client
// library reads it (Connector/C 3.3 takes CA bundles by path only); removed when done.
class CaFile {
 public:
  explicit CaFile(const std::string& pem) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/actions-ca-XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    int fd = ::mkstemp(name.data());  // mode 0600
    if (fd < 0)
      throw Error(
          CR_SSL_CONNECTION_ERROR, "HY000",
          "cannot write the inline sslCa to a temporary file: " + std::string(std::strerror(errno)),
          ErrorClass::Fatal);
    path_ = name.data();
    std::size_t done = 0;
    while (done < pem.size()) {
      ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
      if (n <= 0) break;
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
    if (done != pem.size()) {
      ::unlink(path_.c_str());
      throw Error(CR_SSL_CONNECTION_ERROR, "HY000",
                  "cannot write the inline sslCa to a temporary file", ErrorClass::Fatal);
    }
  }
  ~CaFile() { ::unlink(path_.c_str()); }
  CaFile(const CaFile&) = delete;
  CaFile& operator=(const CaFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// How the CA is named in a message: its path, never the text of an inline one.
std::string caShown(const std::string& ca) {
  if (ca.empty()) return "a trusted CA";
  if (isInlinePem(ca)) return "the CA given inline in sslCa";
  return "the CA in " + ca;
}

// What LOAD DATA LOCAL reads: the bytes given to loadLocal(), or nothing at all.
struct LocalSource {
  std::string_view data;
  std::size_t position = 0;
};

int localInit(void** state, const char* /*fileName*/, void* userdata) {
  *state = userdata;
  return userdata ? 0 : 1;
}

int localRead(void* state, char* buffer, unsigned int length) {
  auto* source = static_cast<LocalSource*>(state);
  std::size_t n = std::min<std::size_t>(length, source->data.size() - source->position);
  std::memcpy(buffer, source->data.data() + source->position, n);
  source->position += n;
  return static_cast<int>(n);
}

void localEnd(void*) {}

int localError(void* /*state*/, char* message, unsigned int length) {
  std::snprintf(message, length, "%s", "this client sends no local files to the server");
  return CR_UNKNOWN_ERROR;
}

// At any time but loadLocal()'s own, a request from the server for a local file is refused.
void refuseLocalFiles(st_mysql* m) {
  mysql_set_local_infile_handler(m, localInit, localRead, localEnd, localError, nullptr);
}

// Why mysql_real_connect() failed, for a person: what, where, and what to change.
Error connectError(st_mysql* m, const ConnectOptions& o, const std::string& where) {
  unsigned code = mysql_errno(m);
  std::string state = mysql_sqlstate(m);
  std::string message = mysql_error(m);
  ErrorClass c = classify(code, state);
  if (code == CR_SSL_CONNECTION_ERROR) c = ErrorClass::Fatal;
  std::string prefix = c == ErrorClass::Authentication ? "authentication failed at "
                       : code == ER_BAD_DB_ERROR ? "database " + o.database + " does not exist at "
                                                 : "cannot connect to ";
  std::string hint;
  if (code == CR_SSL_CONNECTION_ERROR && message.find("does not support") != std::string::npos)
    message = "sslMode is " + std::string(toString(o.sslMode)) +
              " but the server does not offer TLS; no credentials were sent";
  else if (code == CR_SSL_CONNECTION_ERROR && o.sslMode == SslMode::VerifyCa)
    hint = "; sslMode verify_ca needs a server certificate signed by " + caShown(o.sslCa);
  else if (code == CR_SSL_CONNECTION_ERROR && o.sslMode == SslMode::VerifyIdentity)
    hint = "; sslMode verify_identity needs a server certificate signed by " + caShown(o.sslCa) +
           " that names " + o.host + " (verify_ca checks the signature without the name)";
  if (code == CR_PLUGIN_NOT_ALLOWED) {
    c = ErrorClass::Authentication;
    message = "the server asked for an authentication method that would reveal the password";
    hint =
        "; this client uses such methods (mysql_clear_password, dialog, sha256_password, "
        "caching_sha2_password) only over TLS with a verified certificate: set sslMode to "
        "verify_ca or verify_identity with sslCa, or give the user mysql_native_password";
  }
  return Error(code, state,
               prefix + where + ": " + message + " (errno " + std::to_string(code) + ")" + hint, c);
}

}  // namespace

std::string_view toString(SslMode mode) {
  switch (mode) {
    case SslMode::Disabled:
      return "disabled";
    case SslMode::Preferred:
      return "preferred";
    case SslMode::Required:
      return "required";
    case SslMode::VerifyCa:
      return "verify_ca";
    case SslMode::VerifyIdentity:
      return "verify_identity";
  }
  return "preferred";
}

std::optional<SslMode> parseSslMode(std::string_view text) {
  for (SslMode m : {SslMode::Disabled, SslMode::Preferred, SslMode::Required, SslMode::VerifyCa,
                    SslMode::VerifyIdentity})
    if (text == toString(m)) return m;
  return std::nullopt;
}

void Connection::HandleCloser::operator()(st_mysql* handle) const noexcept {
  // mysql_close() says goodbye (COM_QUIT) to the server: never wait for a stalled one to read it.
  IoDeadline noWait(Clock::now());
  mysql_close(handle);
}

void Connection::StatementCloser::operator()(st_mysql_stmt* statement) const noexcept {
  IoDeadline noWait(Clock::now());
  mysql_stmt_close(statement);
}

Connection::Connection(const ConnectOptions& o, std::optional<Clock::time_point> deadline)
    : deadline_(deadline) {
  // Connector/C checks the chain only against a CA it is given (or with the host-name switch):
  // verify_ca without one would check nothing at all.
  if (o.sslMode == SslMode::VerifyCa && o.sslCa.empty())
    throw Error(
        CR_SSL_CONNECTION_ERROR, "HY000",
        "sslMode verify_ca needs sslCa, the CA bundle the server's certificate must lead to",
        ErrorClass::Fatal);
  // The CA file the client library reads while connecting (an inline CA is written to a
  // private temporary file for that time).
  std::optional<CaFile> inlineCa;
  if (isInlinePem(o.sslCa)) inlineCa.emplace(o.sslCa);
  const std::string& caPath = inlineCa ? inlineCa->path() : o.sslCa;

  initLibrary();
  // Owned from the start: every throw below closes it.
  std::unique_ptr<st_mysql, HandleCloser> handle(mysql_init(nullptr));
  if (!handle) throw Error(CR_OUT_OF_MEMORY, "HY000", "cannot allocate a MySQL client handle");
  st_mysql* m = handle.get();
  unsigned connectTimeout = o.connectTimeoutSec, readTimeout = o.readTimeoutSec,
           writeTimeout = o.writeTimeoutSec;
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &connectTimeout);
  mysql_options(m, MYSQL_OPT_READ_TIMEOUT, &readTimeout);
  mysql_options(m, MYSQL_OPT_WRITE_TIMEOUT, &writeTimeout);
  // Every wait on the socket goes through waitForSocket, which honours the caller's deadline.
  int (*wait)(my_socket, my_bool, int) = waitForSocket;
  mysql_options(m, MARIADB_OPT_IO_WAIT, reinterpret_cast<const void*>(wait));
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // Timestamps are written as UTC; the session must not reinterpret them.
  mysql_options(m, MYSQL_INIT_COMMAND, "SET time_zone = '+00:00'");
  unsigned protocol = MYSQL_PROTOCOL_TCP;  // never fall back to a local socket for "localhost"
  mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
  my_bool localInfile = o.localInfile ? 1 : 0;
  mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &localInfile);
  refuseLocalFiles(m);  // until loadLocal() offers its own bytes

  if (o.sslMode != SslMode::Disabled) {
    // Ask for TLS. Alone, this falls back to plain text when the server offers none.
    mysql_ssl_set(m, nullptr, nullptr, caPath.empty() ? nullptr : caPath.c_str(), nullptr, nullptr);
    // Connector/C 3.3 checks the chain whenever a CA is given, and the host name only with
    // MYSQL_OPT_SSL_VERIFY_SERVER_CERT: verify_ca gives the CA without the switch (chain only),
    // verify_identity sets it (chain and name).
    my_bool verifyName = o.sslMode == SslMode::VerifyIdentity ? 1 : 0;
    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verifyName);
    if (o.sslMode != SslMode::Preferred) {
      // TLS or nothing, decided before any credential leaves: Connector/C 3.3 refuses a server
      // without TLS at the handshake when a certificate fingerprint is set — and an empty one
      // checks nothing else (MYSQL_OPT_SSL_ENFORCE alone would only be looked at after login).
      my_bool enforce = 1;
      mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
      mysql_options(m, MARIADB_OPT_TLS_PEER_FP, "");
    }
  }
  if (!verifiesCertificate(o.sslMode)) {
    // Without a verified certificate the peer may be anyone: only methods that keep the
    // password secret, starting with the scramble (not a server-chosen method).
    mysql_options(m, MARIADB_OPT_RESTRICTED_AUTH, kSecretKeepingMethods);
    mysql_options(m, MYSQL_DEFAULT_AUTH, "mysql_native_password");
  }

  const std::string where = o.host + ":" + std::to_string(o.port);
  {
    IoDeadline bounded(deadline_);
    if (!mysql_real_connect(m, o.host.c_str(), o.user.c_str(), o.password.c_str(),
                            o.database.empty() ? nullptr : o.database.c_str(), o.port, nullptr,
                            CLIENT_FOUND_ROWS)) {
      if (bounded.expired())
        throw Error::timedOut("cannot connect to " + where +
                              ": no answer before the deadline (the time left of the budget)");
      throw connectError(m, o, where);
    }
  }
  mysql_ = std::move(handle);
  if (o.sslMode != SslMode::Disabled && o.sslMode != SslMode::Preferred && tlsCipher().empty())
    throw Error(CR_SSL_CONNECTION_ERROR, "HY000",
                "cannot connect to " + where + ": sslMode is " + std::string(toString(o.sslMode)) +
                    " but the server does not offer TLS",
                ErrorClass::Fatal);
  prepareSession();  // a failure here closes the handle with this object
}

void Connection::prepareSession() {
  // A value that does not fit its column must be refused, never truncated: strict mode for every
  // table engine. The current mode is kept otherwise (set as a literal so any dialect takes it).
  auto rows = query("SELECT @@SESSION.sql_mode");
  std::string mode = rows.empty() || !rows[0][0] ? "" : *rows[0][0];
  noBackslashEscapes_ = ("," + mode + ",").find(",NO_BACKSLASH_ESCAPES,") != std::string::npos;
  if (("," + mode + ",").find(",STRICT_ALL_TABLES,") == std::string::npos) {
    std::string sql = "SET SESSION sql_mode = '";
    appendEscaped(mode.empty() ? "STRICT_ALL_TABLES" : mode + ",STRICT_ALL_TABLES", sql);
    sql += "'";
    execute(sql);
  }
}

void Connection::reset() {
  st_mysql* m = open();
  closeStatement();  // the reset ends the server's side of it
  IoDeadline bounded(deadline_);
  if (mysql_reset_connection(m) != 0) fail("resetting the session failed");
  execute("SET time_zone = '+00:00'");
  prepareSession();
}

bool Connection::inTransaction() const {
  unsigned status = 0;
  if (!mysql_ || mariadb_get_infov(mysql_.get(), MARIADB_CONNECTION_SERVER_STATUS, &status) != 0)
    return false;
  return (status & SERVER_STATUS_IN_TRANS) != 0;
}

uint64_t Connection::maxAllowedPacket() {
  if (maxAllowedPacket_ == 0) {
    auto rows = query("SELECT @@max_allowed_packet");
    uint64_t value = 0;
    if (!rows.empty() && rows[0][0]) value = std::strtoull(rows[0][0]->c_str(), nullptr, 10);
    // 1 MiB is the smallest default any MySQL-family server has shipped with.
    maxAllowedPacket_ = value > 0 ? value : (1u << 20);
  }
  return maxAllowedPacket_;
}

Connection::~Connection() = default;

Connection::Connection(Connection&& other) noexcept
    : mysql_(std::move(other.mysql_)),
      statement_(std::move(other.statement_)),
      statementSql_(std::move(other.statementSql_)),
      maxAllowedPacket_(other.maxAllowedPacket_),
      noBackslashEscapes_(other.noBackslashEscapes_),
      deadline_(other.deadline_) {}

Connection& Connection::operator=(Connection&& other) noexcept {
  if (this != &other) {
    close();  // the statement before its handle
    mysql_ = std::move(other.mysql_);
    statement_ = std::move(other.statement_);
    statementSql_ = std::move(other.statementSql_);
    maxAllowedPacket_ = other.maxAllowedPacket_;
    noBackslashEscapes_ = other.noBackslashEscapes_;
    deadline_ = other.deadline_;
  }
  return *this;
}

void Connection::close() noexcept {
  closeStatement();
  mysql_.reset();
}

st_mysql* Connection::open() const {
  if (!mysql_) throw Error(CR_SERVER_GONE_ERROR, "HY000", "connection is closed");
  return mysql_.get();
}

namespace {

std::string describe(std::string_view context, unsigned code, const char* message) {
  return std::string(context) + ": " + message + " (errno " + std::to_string(code) + ")";
}

// The error for a call that the deadline cut short: the link is in an unknown state.
Error timedOutError(std::string_view context) {
  return Error::timedOut(std::string(context) +
                         ": no answer from the server before the deadline (the time left of the "
                         "budget); the statement may or may not have taken effect");
}

}  // namespace

void Connection::fail(std::string_view context) {
  if (IoDeadline::expiredOnThisThread()) {
    close();
    throw timedOutError(context);
  }
  st_mysql* m = open();
  unsigned code = mysql_errno(m);
  throw Error(code, mysql_sqlstate(m), describe(context, code, mysql_error(m)));
}

void Connection::failStatement(std::string_view context) {
  if (IoDeadline::expiredOnThisThread()) {
    close();
    throw timedOutError(context);
  }
  st_mysql_stmt* st = statement_.get();
  unsigned code = mysql_stmt_errno(st);
  throw Error(code, mysql_stmt_sqlstate(st), describe(context, code, mysql_stmt_error(st)));
}

Connection::LoadResult Connection::loadLocal(std::string_view sql, std::string_view data) {
  st_mysql* m = open();
  LocalSource source{data};
  mysql_set_local_infile_handler(m, localInit, localRead, localEnd, localError, &source);
  IoDeadline bounded(deadline_);
  int failed = mysql_real_query(m, sql.data(), sql.size());
  refuseLocalFiles(m);
  if (failed) fail("query failed");
  // Read before anything else runs: draining results would reset the counts.
  LoadResult result{mysql_affected_rows(m), mysql_warning_count(m)};
  if (mysql_field_count(m) != 0) fail("LOAD DATA answered with rows");
  return result;
}

void Connection::execute(std::string_view sql) {
  st_mysql* m = open();
  IoDeadline bounded(deadline_);
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) fail("query failed");
  // Drain every result so the connection stays usable.
  do {
    if (MYSQL_RES* res = mysql_store_result(m))
      mysql_free_result(res);
    else if (mysql_field_count(m) != 0)
      fail("reading result failed");
  } while (mysql_next_result(m) == 0);
  if (mysql_errno(m)) fail("query failed");
}

std::vector<Row> Connection::query(std::string_view sql) {
  st_mysql* m = open();
  IoDeadline bounded(deadline_);
  if (mysql_real_query(m, sql.data(), sql.size()) != 0) fail("query failed");
  std::vector<Row> rows;
  std::unique_ptr<MYSQL_RES, void (*)(MYSQL_RES*)> res(mysql_store_result(m), mysql_free_result);
  if (!res) {
    if (mysql_field_count(m) != 0) fail("reading result failed");
    return rows;
  }
  unsigned columns = mysql_num_fields(res.get());
  while (MYSQL_ROW r = mysql_fetch_row(res.get())) {
    unsigned long* lengths = mysql_fetch_lengths(res.get());
    Row row;
    row.reserve(columns);
    for (unsigned i = 0; i < columns; ++i) {
      if (r[i])
        row.emplace_back(std::string(r[i], lengths[i]));
      else
        row.emplace_back(std::nullopt);
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

uint64_t Connection::affectedRows() const {
  return mysql_ ? mysql_affected_rows(mysql_.get()) : 0;
}

std::string Connection::info() const {
  const char* i = mysql_ ? mysql_info(mysql_.get()) : nullptr;
  return i ? i : "";
}

unsigned Connection::warningCount() const {
  return mysql_ ? mysql_warning_count(mysql_.get()) : 0;
}

void Connection::readSqlMode() {
  auto rows = query("SELECT @@SESSION.sql_mode");
  std::string mode = rows.empty() || !rows[0][0] ? "" : *rows[0][0];
  noBackslashEscapes_ = ("," + mode + ",").find(",NO_BACKSLASH_ESCAPES,") != std::string::npos;
}

void Connection::appendEscaped(std::string_view value, std::string& out) const {
  if (noBackslashEscapes_) {
    // Only the quote is special: double it. Backslashes, NUL and newlines stay as they are.
    out.reserve(out.size() + value.size() + 8);
    for (char c : value) {
      if (c == '\'') out += '\'';
      out += c;
    }
    return;
  }
  if (!mysql_) {
    // A closed connection runs no statement: what it escapes is never sent, but stays valid.
    for (char c : value) {
      const char* e = c == '\0'     ? "\\0"
                      : c == '\n'   ? "\\n"
                      : c == '\r'   ? "\\r"
                      : c == '\\'   ? "\\\\"
                      : c == '\''   ? "\\'"
                      : c == '"'    ? "\\\""
                      : c == '\x1a' ? "\\Z"
                                    : nullptr;
      if (e)
        out += e;
      else
        out += c;
    }
    return;
  }
  std::size_t start = out.size();
  out.resize(start + value.size() * 2 + 1);
  unsigned long n =
      mysql_real_escape_string(mysql_.get(), out.data() + start, value.data(), value.size());
  out.resize(start + n);
}

std::string Connection::serverVersion() const {
  return mysql_ ? mysql_get_server_info(mysql_.get()) : "";
}

std::string Connection::tlsCipher() const {
  const char* c = mysql_ ? mysql_get_ssl_cipher(mysql_.get()) : nullptr;
  return c ? c : "";
}

bool Connection::ping() {
  if (!mysql_) return false;
  IoDeadline bounded(deadline_);
  if (mysql_ping(mysql_.get()) == 0) return true;
  if (bounded.expired()) close();  // a link cut mid-answer is of no further use
  return false;
}

unsigned long Connection::threadId() const {
  return mysql_ ? mysql_thread_id(mysql_.get()) : 0;
}

}  // namespace actions::db
