// A transaction in libpqxx's shape: opened by the constructor, kept only by commit(), rolled
// back by abort() or — when neither ran, e.g. an exception left the scope — by the destructor.
//
//   db::Transaction tx(connection);
//   connection.execute(...);
//   tx.commit();  // without this line nothing of the above stays
//
// The destructor never throws: when its ROLLBACK fails too (a lost or timed-out link), the
// connection is discarded, and the server rolls back what a closed session left open.
#pragma once

#include "db/connection.h"

namespace actions::db {

class Transaction {
 public:
  // START TRANSACTION. Throws db::Error.
  explicit Transaction(Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  // COMMIT. Throws db::Error; a lost answer leaves the outcome unknown (Error::outcomeUnknown).
  void commit();
  // ROLLBACK now. Throws db::Error.
  void abort();
  // True until commit() or abort() ran (or was tried).
  bool open() const { return open_; }

 private:
  Connection& connection_;
  bool open_ = false;
};

}  // namespace actions::db
