// Server and client errors by meaning rather than by number: callers retry, reject a row or
// stop according to ErrorClass, and never need to know MySQL's errno table.
#pragma once

#include <stdexcept>
#include <string>

namespace actions::db {

enum class ErrorClass {
  Retryable,       // connection lost or refused, server shutting down, deadlock, lock wait, too many connections
  Authentication,  // access denied, bad password, missing privilege
  BadRow,          // one row's data refused: too long, incorrect value, invalid JSON
  Fatal,           // configuration: unknown database, TLS required but unavailable, bad SQL
};

ErrorClass classify(unsigned errorCode);
const char* toString(ErrorClass c);

class Error : public std::runtime_error {
 public:
  Error(unsigned code, std::string sqlstate, const std::string& message)
      : std::runtime_error(message), code_(code), sqlstate_(std::move(sqlstate)), class_(classify(code)) {}
  Error(unsigned code, std::string sqlstate, const std::string& message, ErrorClass c)
      : std::runtime_error(message), code_(code), sqlstate_(std::move(sqlstate)), class_(c) {}
  unsigned code() const { return code_; }
  const std::string& sqlstate() const { return sqlstate_; }
  ErrorClass errorClass() const { return class_; }
  bool retryable() const { return class_ == ErrorClass::Retryable; }

 private:
  unsigned code_;
  std::string sqlstate_;
  ErrorClass class_;
};

}  // namespace actions::db
