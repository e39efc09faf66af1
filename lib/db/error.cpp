#include "db/error.h"

#include <errmsg.h>
#include <mysqld_error.h>

#include <algorithm>
#include <cctype>

namespace actions::db {
namespace {

// Codes MySQL, MariaDB or SingleStore define that Connector/C's header may not.
constexpr unsigned kInvalidJsonText = 3140;     // MySQL / SingleStore: invalid JSON text
constexpr unsigned kInvalidJsonCharset = 3144;  // MySQL: JSON from a binary string
constexpr unsigned kJsonDocumentTooDeep = 3157;
constexpr unsigned kCheckConstraintViolated = 3819;  // MySQL 8's CHECK
constexpr unsigned kJsonSyntax = 4038;               // MariaDB
constexpr unsigned kJsonDepth = 4040;                // MariaDB
// SingleStore's own numbers (docs/singlestore.md, "Error classes", has the pages that name them).
// 1712: "Not enough memory available to complete the current request. The request was not
// processed." (page "Summary variables" / "Memory Errors"): nothing happened, worth a retry once
// memory frees up. MariaDB uses 1712 for ER_INDEX_CORRUPT, which a server only raises on a
// damaged index: retrying it for the deadline is harmless, stopping on it would be no better.
constexpr unsigned kSingleStoreNotEnoughMemory = 1712;
// 1720: "Memory usage by SingleStore for tables ... has reached the value of
// maximum_table_memory ... This query cannot be executed" (page "Memory Errors"): the database
// takes no writes until memory is freed or the limit raised. A background flush may free memory
// within seconds; an operator's action may take hours. So it is retried only briefly
// (kTableMemoryFullRetry), then its rows fail with the server's reason.
constexpr unsigned kSingleStoreTableMemoryFull = 1720;
constexpr std::chrono::milliseconds kTableMemoryFullRetry{std::chrono::seconds(5)};
// 2373: "Code generation for new statements is disabled because the total number of license
// units of capacity used on all leaf nodes is XX, which is above the limit of 4 for the
// SingleStore free license" (page "Memory Errors"): nothing changes until the cluster shrinks
// or gets a license. Fatal: no retry can help.
constexpr unsigned kSingleStoreLicenseCapacity = 2373;
// 1706: "Feature '...' is not supported by SingleStore": the statement can never run here.
constexpr unsigned kSingleStoreFeatureNotSupported = 1706;
// MariaDB: LOAD DATA LOCAL refused, local_infile being off (HY000, a setting, not a moment).
constexpr unsigned kLoadInfileCapabilityDisabled = 4166;

bool isClientCode(unsigned code) {
  return (code >= CR_MIN_ERROR && code <= CR_MAX_ERROR) || (code >= 5000 && code < 6000);
}

bool containsNoCase(std::string_view text, std::string_view word) {
  return std::search(text.begin(), text.end(), word.begin(), word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         }) != text.end();
}

// The SQLSTATE class decides for codes the table below does not name.
ErrorClass classifyBySqlstate(std::string_view sqlstate, std::string_view message) {
  if (sqlstate.size() != 5) return ErrorClass::Fatal;
  std::string_view cls = sqlstate.substr(0, 2);
  if (cls == "08") return ErrorClass::Retryable;  // connection exception
  if (cls == "40") return ErrorClass::Retryable;  // transaction rollback (deadlock, serialization)
  // A server's general error with a number this table does not know: SingleStore answers
  // failover states with numbers of its own (page "Master Aggregator Redundancy Error Codes" asks
  // clients to retry them), so waiting is safer than stopping; the deadline bounds it.
  if (cls == "HY") return ErrorClass::Retryable;
  if (cls == "28") return ErrorClass::Authentication;  // invalid authorization
  if (cls == "22") return ErrorClass::BadRow;          // data exception
  if (cls == "23") {
    // Integrity constraint: a unique key already holding the value is a duplicate under any
    // number (MySQL 1062, 1586, 1022, or another server's own), a CHECK or NOT NULL a bad row.
    if (containsNoCase(message, "duplicate")) return ErrorClass::Duplicate;
    return ErrorClass::BadRow;
  }
  return ErrorClass::Fatal;
}

}  // namespace

ErrorClass classify(unsigned code, std::string_view sqlstate, std::string_view message) {
  switch (code) {
    // Client side: the link failed or the server went away.
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_SERVER_HANDSHAKE_ERR:
    case CR_IPSOCK_ERROR:
    case CR_SOCKET_CREATE_ERROR:
    case CR_UNKNOWN_HOST:  // DNS can fail for a moment; a name that never resolves fails at the
                           // deadline
    case CR_COMMANDS_OUT_OF_SYNC:
    case CR_MALFORMED_PACKET:
    case CR_ERR_NET_READ:
    case CR_ERR_NET_WRITE:
    case CR_ERR_NET_UNCOMPRESS:  // a damaged packet: the link, not the statement
    // Server side: transient conditions worth waiting out.
    case ER_CON_COUNT_ERROR:
    case ER_TOO_MANY_USER_CONNECTIONS:
    case ER_USER_LIMIT_REACHED:
    case ER_CANT_CREATE_THREAD:
    case ER_SERVER_SHUTDOWN:
    case ER_NORMAL_SHUTDOWN:
    case ER_SHUTDOWN_COMPLETE:
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_LOCK_ABORTED:
    case ER_XA_RBDEADLOCK:
    case ER_TOO_MANY_CONCURRENT_TRXS:
    case ER_QUERY_INTERRUPTED:
    case ER_STATEMENT_TIMEOUT:
    case ER_CONNECTION_KILLED:
    case ER_NET_READ_ERROR:
    case ER_NET_READ_INTERRUPTED:
    case ER_NET_ERROR_ON_WRITE:
    case ER_NET_WRITE_INTERRUPTED:
    case ER_NET_PACKETS_OUT_OF_ORDER:
    case ER_OUT_OF_RESOURCES:
    case ER_CANT_LOCK:
    case ER_OPTION_PREVENTS_STATEMENT:  // --read-only, typically while a replica is promoted
    case ER_READ_ONLY_MODE:
    // SingleStore: a child aggregator cannot reach the master aggregator, typically while a new
    // one is elected (page "Master Aggregator Redundancy Error Codes": retry).
    case ER_CONNECT_TO_MASTER:
    case kSingleStoreNotEnoughMemory:
    case kSingleStoreTableMemoryFull:  // briefly: Error::retryAtMost()
      return ErrorClass::Retryable;
    case kSingleStoreLicenseCapacity:  // a server's number in the client's range: named here
      return ErrorClass::Fatal;
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_PASSWORD_NO_MATCH:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
    case ER_ACCESS_DENIED_CHANGE_USER_ERROR:
    case ER_HOST_NOT_PRIVILEGED:
    case ER_HOST_IS_BLOCKED:
    case ER_ACCOUNT_HAS_BEEN_LOCKED:
    case ER_MUST_CHANGE_PASSWORD:
    case ER_MUST_CHANGE_PASSWORD_LOGIN:
    case CR_AUTH_PLUGIN_CANNOT_LOAD:
    case CR_AUTH_PLUGIN_ERR:
      return ErrorClass::Authentication;
    case ER_DUP_ENTRY:
    case ER_DUP_UNIQUE:
    case ER_DUP_KEY:
    case ER_DUP_ENTRY_WITH_KEY_NAME:
      return ErrorClass::Duplicate;
    case ER_DATA_TOO_LONG:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_BAD_NULL_ERROR:
    case ER_INVALID_CHARACTER_STRING:
    case ER_CONSTRAINT_FAILED:  // MariaDB's CHECK (JSON_VALID(message)) refused the row
    case ER_WRONG_VALUE:
    case ER_DATETIME_FUNCTION_OVERFLOW:
    case ER_TOO_LONG_STRING:
    // A statement larger than max_allowed_packet: a smaller batch (or, for one row, nothing) helps.
    case ER_NET_PACKET_TOO_LARGE:
    case CR_NET_PACKET_TOO_LARGE:
    case kInvalidJsonText:
    case kInvalidJsonCharset:
    case kJsonDocumentTooDeep:
    case kCheckConstraintViolated:
    case kJsonSyntax:
    case kJsonDepth:
      return ErrorClass::BadRow;
    case ER_BAD_DB_ERROR:
    case ER_NO_SUCH_TABLE:
    case ER_BAD_FIELD_ERROR:
    case ER_PARSE_ERROR:
    case ER_CANT_CREATE_TABLE:
    case ER_UNSUPPORTED_PS:
    case ER_NOT_SUPPORTED_YET:
    case kSingleStoreFeatureNotSupported:
    case kLoadInfileCapabilityDisabled:
    case CR_SSL_CONNECTION_ERROR:  // a TLS handshake the settings cannot pass: retrying won't
    case CR_OUT_OF_MEMORY:
    case CR_VERSION_ERROR:
    case CR_NOT_IMPLEMENTED:
      return ErrorClass::Fatal;
    default:
      // The client's other numbers (2000-2999, 5000-5999) describe this program's use of the
      // library (bad parameters, unknown options), never a state of the server: retrying cannot
      // help. The ones that mean "the link failed" are named above.
      if (isClientCode(code)) return ErrorClass::Fatal;
      return classifyBySqlstate(sqlstate, message);
  }
}

const char* toString(ErrorClass c) {
  switch (c) {
    case ErrorClass::Retryable:
      return "retryable";
    case ErrorClass::Authentication:
      return "authentication";
    case ErrorClass::BadRow:
      return "bad row";
    case ErrorClass::Duplicate:
      return "duplicate";
    case ErrorClass::Fatal:
      return "fatal";
  }
  return "fatal";
}

Error Error::timedOut(const std::string& message) {
  Error e(CR_SERVER_LOST, "HY000", message, ErrorClass::Retryable);
  e.timedOut_ = true;
  return e;
}

std::optional<std::chrono::milliseconds> Error::retryAtMost() const {
  if (code_ == kSingleStoreTableMemoryFull) return kTableMemoryFullRetry;
  return std::nullopt;
}

bool Error::outcomeUnknown() const {
  // A server's own error answer means the statement failed as a whole (statements are atomic);
  // only the client's "the link broke" errors leave the outcome open.
  return isClientCode(code_) && class_ == ErrorClass::Retryable;
}

}  // namespace actions::db
