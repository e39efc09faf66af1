// Server and client errors by meaning rather than by number: callers retry, reject a row or
// stop according to ErrorClass, and never need to know MySQL's errno table. classify() is the
// one place where an errno (and, for codes it does not know, the SQLSTATE) gets its meaning.
#pragma once

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace actions::db {

enum class ErrorClass {
  Retryable,  // connection lost or refused, server shutting down, deadlock, lock wait, too many
              // connections, SingleStore out of memory or failing over (docs/singlestore.md)
  Authentication,  // access denied, bad password, missing privilege
  BadRow,          // one row's data refused: too long, incorrect value, invalid JSON, constraint
  Duplicate,       // the row's unique key (messageId) is already stored
  Fatal,  // configuration: unknown database or table, TLS required but unavailable, bad SQL
};

// The meaning of a server or client error code. `sqlstate` decides for codes the table does not
// name (a server version or dialect with codes of its own): class 08 is a lost connection, 28 a
// refused login, 22 and 23 a refused row, 40 a rolled-back transaction worth retrying, and HY (a
// server's general error) is retried too: SingleStore documents that clients see errors it does
// not enumerate while an aggregator fails over (docs/singlestore.md, "Error classes"); a truly
// permanent one costs at most RetryPolicy::retryFor before it fails its rows. `message` lets a
// 23000 whose text says "duplicate" be a Duplicate whatever its number.
ErrorClass classify(unsigned errorCode, std::string_view sqlstate = {},
                    std::string_view message = {});
const char* toString(ErrorClass c);

class Error : public std::runtime_error {
 public:
  Error(unsigned code, std::string sqlstate, const std::string& message)
      : std::runtime_error(message),
        code_(code),
        sqlstate_(std::move(sqlstate)),
        class_(classify(code_, sqlstate_, message)) {}
  Error(unsigned code, std::string sqlstate, const std::string& message, ErrorClass c)
      : std::runtime_error(message), code_(code), sqlstate_(std::move(sqlstate)), class_(c) {}
  // The server gave no answer (or took no more of a statement) before the caller's deadline:
  // retryable, and the statement's outcome is unknown (lost connection, 2013).
  static Error timedOut(const std::string& message);
  unsigned code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  ErrorClass errorClass() const { return class_; }
  bool retryable() const { return class_ == ErrorClass::Retryable; }
  // True when the failure may have happened after the server received the statement but before
  // its answer arrived: the statement may or may not have taken effect.
  bool outcomeUnknown() const;
  // True for timedOut(): the wait ended at the caller's deadline, not because the link failed.
  bool timedOutAtDeadline() const { return timedOut_; }
  // How long a Retryable error is worth waiting out at most, when less than the caller's whole
  // budget: a state that usually clears within seconds or not for a long time (SingleStore's
  // 1720, maximum_table_memory reached), retried briefly and then failed with the reason.
  std::optional<std::chrono::milliseconds> retryAtMost() const;

 private:
  unsigned code_;
  std::string sqlstate_;
  ErrorClass class_;
  bool timedOut_ = false;
};

}  // namespace actions::db
