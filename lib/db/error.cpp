#include "db/error.h"

#include <errmsg.h>
#include <mysqld_error.h>

namespace actions::db {

ErrorClass classify(unsigned code) {
  switch (code) {
    // Client side: the link failed or the server went away.
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case CR_SERVER_HANDSHAKE_ERR:
    case CR_IPSOCK_ERROR:
    case CR_UNKNOWN_HOST:
    case CR_COMMANDS_OUT_OF_SYNC:
    // Server side: transient conditions worth waiting out.
    case ER_CON_COUNT_ERROR:
    case ER_TOO_MANY_USER_CONNECTIONS:
    case ER_SERVER_SHUTDOWN:
    case ER_NORMAL_SHUTDOWN:
    case ER_SHUTDOWN_COMPLETE:
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_QUERY_INTERRUPTED:
    case ER_CONNECTION_KILLED:
    case ER_NET_READ_ERROR:
    case ER_NET_READ_INTERRUPTED:
    case ER_NET_ERROR_ON_WRITE:
    case ER_NET_WRITE_INTERRUPTED:
    case ER_NET_PACKETS_OUT_OF_ORDER:
    case ER_OUT_OF_RESOURCES:
    case ER_CANT_LOCK:
      return ErrorClass::Retryable;
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_TABLEACCESS_DENIED_ERROR:
    case ER_COLUMNACCESS_DENIED_ERROR:
    case ER_SPECIFIC_ACCESS_DENIED_ERROR:
    case ER_PASSWORD_NO_MATCH:
    case ER_ACCESS_DENIED_NO_PASSWORD_ERROR:
      return ErrorClass::Authentication;
    case ER_DATA_TOO_LONG:
    case ER_TRUNCATED_WRONG_VALUE:
    case ER_TRUNCATED_WRONG_VALUE_FOR_FIELD:
    case ER_WARN_DATA_OUT_OF_RANGE:
    case ER_BAD_NULL_ERROR:
    case ER_INVALID_CHARACTER_STRING:
    case ER_CONSTRAINT_FAILED:  // MariaDB's CHECK (JSON_VALID(message)) refused the row
    case ER_WRONG_VALUE:
    case ER_DATETIME_FUNCTION_OVERFLOW:
    case 3140:  // ER_INVALID_JSON_TEXT (MySQL / SingleStore)
    case 4038:  // ER_JSON_SYNTAX
    case 4040:  // ER_JSON_DEPTH
      return ErrorClass::BadRow;
    default:
      return ErrorClass::Fatal;
  }
}

const char* toString(ErrorClass c) {
  switch (c) {
    case ErrorClass::Retryable: return "retryable";
    case ErrorClass::Authentication: return "authentication";
    case ErrorClass::BadRow: return "bad row";
    case ErrorClass::Fatal: return "fatal";
  }
  return "fatal";
}

}  // namespace actions::db
