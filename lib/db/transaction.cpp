#include "db/transaction.h"

namespace actions::db {

Transaction::Transaction(Connection& connection) : connection_(connection) {
  connection_.execute("START TRANSACTION");
  open_ = true;
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    abort();
  } catch (...) {
    connection_.discard();
  }
}

void Transaction::commit() {
  open_ = false;  // whatever COMMIT answers, this object has no more to end
  connection_.execute("COMMIT");
}

void Transaction::abort() {
  open_ = false;
  connection_.execute("ROLLBACK");
}

}  // namespace actions::db
