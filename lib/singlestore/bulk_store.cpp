#include "singlestore/bulk_store.h"

#include <mysqld_error.h>

#include <atomic>
#include <optional>
#include <random>
#include <unordered_map>

#include "db/transaction.h"
#include "json/json.h"
#include "kit/timestamp.h"
#include "singlestore/load_settlement.h"

namespace actions::singlestore {
namespace {

using Result = BulkStore::Result;
using Verdict = BulkStore::Verdict;

// Whether an error of a bulk statement is the server refusing that kind of statement, for good:
// only then are the writers to stop trying it.
bool refusesTheStatement(const db::Error& e) {
  switch (e.code()) {
    case 1064:  // ER_PARSE_ERROR: the statement is fixed text; the server's grammar lacks it
    case 1148:  // ER_NOT_ALLOWED_COMMAND: local_infile is off on the server
    case 1235:  // ER_NOT_SUPPORTED_YET
    case 1295:  // ER_UNSUPPORTED_PS: the statement cannot be prepared
    case 1706:  // SingleStore: "Feature '...' is not supported"
    case 2054:  // CR_NOT_IMPLEMENTED
    case 2068:  // CR_LOAD_DATA_LOCAL_INFILE_REJECTED
    case 4166:  // ER_LOAD_INFILE_CAPABILITY_DISABLED
      return true;
    default:
      return false;
  }
}

// What a failed bulk statement means for its rows: refused as a kind of statement, or a row the
// INSERT path must look at (a refused value, a duplicate). Anything else — a lost connection, a
// transient server state, a missing table, authentication — is rethrown to the writer's own
// handling, exactly as if a plain INSERT had met it.
Result bulkFailure(const db::Error& e) {
  if (refusesTheStatement(e)) return Result::Refused;
  if (e.errorClass() == db::ErrorClass::BadRow || e.errorClass() == db::ErrorClass::Duplicate)
    return Result::NotClean;
  throw e;
}

// The notices of the statement just run, when it reported any (read at once: the next statement
// clears them).
std::vector<Notice> noticesOf(db::Connection& c, unsigned warnings) {
  if (warnings == 0) return {};
  return noticesFrom(c.query("SHOW WARNINGS"));
}

// Runs one bulk statement in a transaction kept only when it stored every row as sent (notices
// that only say a clause was ignored do not count against it).
template <typename Statement>
Result storeAllOrNothing(db::Connection& c, std::size_t rows, Statement&& statement) {
  db::Transaction tx(c);
  db::Connection::LoadResult stored;
  try {
    stored = statement();
  } catch (const db::Error& e) {
    // A lost connection takes its transaction with it (the caller drops the connection).
    if (e.retryable() && !refusesTheStatement(e)) throw;
    tx.abort();  // the statement failed but the transaction is open: end it first
    return bulkFailure(e);
  }
  if (stored.rows == rows && judgeLoad(rows, stored.rows, {}, noticesOf(c, stored.warnings))) {
    tx.commit();
    return Result::Stored;
  }
  tx.abort();
  return Result::NotClean;
}

// Whether a stored row holds exactly what `row` would have written (the settlement of a load in
// autocommit compares what it finds with what it sent).
bool storedAs(const db::Row& stored, const Row& row) {
  // Columns of StatementBuilder::fetchStored: messageId, message, timestamp, event, type.
  if (stored.size() < 5 || !stored[1] || !stored[2] || !stored[4]) return false;
  if (*stored[4] != row.type || *stored[2] != kit::formatDatetime6(row.timestampMicros))
    return false;
  if (stored[3].has_value() != row.event.has_value() || (row.event && *stored[3] != *row.event))
    return false;
  if (*stored[1] == row.message) return true;
  // A server that normalises JSON (SingleStore, MySQL) may give back other text for the same value.
  json::Document a, b;
  if (json::parse(*stored[1], a) || json::parse(row.message, b)) return false;
  return a == b;
}

// A handle no other load of any process uses (letters, digits and '-': no escaping needed).
std::string newErrorsHandle() {
  static std::atomic<unsigned long long> counter{0};
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[64];
  std::snprintf(buf, sizeof buf, "actions-%016llx-%llu", static_cast<unsigned long long>(rng()),
                counter.fetch_add(1));
  return buf;
}

}  // namespace

LoadMode defaultLoadMode(Dialect dialect) {
  return dialect == Dialect::SingleStore ? LoadMode::ErrorsHandle : LoadMode::Transaction;
}

BulkStore::BulkStore(const TableRef& table, BulkLoad load)
    : table_(table), statements_(table), load_(load) {
  loadSql_ = statements_.loadData(load_.dialect);
  arraySql_ = statements_.insertParameters();
}

LoadMode BulkStore::mode() const {
  const BulkFlags& f = *load_.flags;
  if (load_.mode == LoadMode::ErrorsHandle) {
    if (f.loadCommitsItself.load(std::memory_order_relaxed)) return LoadMode::Settle;
    if (f.errorsHandleRefused.load(std::memory_order_relaxed)) return LoadMode::Transaction;
  }
  return load_.mode;
}

bool BulkStore::available() const {
  const BulkFlags& f = *load_.flags;
  bool arrays = load_.arrays && !f.arraysRefused.load(std::memory_order_relaxed);
  return arrays || !f.loadRefused.load(std::memory_order_relaxed);
}

Result BulkStore::store(db::Connection& c, std::span<const Row* const> rows, Buffers& b) const {
  BulkFlags& f = *load_.flags;
  b.loadedUnsettled = false;
  b.verdicts.clear();
  if (load_.arrays && !f.arraysRefused.load(std::memory_order_relaxed) &&
      c.supportsArrayBinding()) {
    Result r = storeArrays(c, rows, b);
    if (r != Result::Refused) return r;
    f.arraysRefused.store(true, std::memory_order_relaxed);
  }
  if (f.loadRefused.load(std::memory_order_relaxed)) return Result::Refused;
  Result r = Result::Refused;
  switch (mode()) {
    case LoadMode::Transaction:
      r = loadInTransaction(c, rows, b);
      break;
    case LoadMode::ErrorsHandle:
      r = loadWithErrorsHandle(c, rows, b);
      break;
    case LoadMode::Settle:
      try {
        r = loadAndSettle(c, rows, b);
      } catch (const db::Error& e) {
        r = bulkFailure(e);
      }
      break;
  }
  if (r == Result::Refused) f.loadRefused.store(true, std::memory_order_relaxed);
  return r;
}

Result BulkStore::storeArrays(db::Connection& c, std::span<const Row* const> rows,
                              Buffers& b) const {
  std::string& text = b.text;
  text.clear();
  // The timestamps are formatted first: the parameters point into `text`, which must not move.
  b.ends.clear();
  for (const Row* row : rows) {
    kit::appendDatetime6(row->timestampMicros, text);
    b.ends.push_back(text.size());
  }
  db::ParameterRows& p = b.parameters;
  p.clear();
  p.reserve(rows.size());
  for (std::size_t i = 0, start = 0; i < rows.size(); start = b.ends[i++]) {
    const Row& row = *rows[i];
    p.text(0, row.message);
    p.text(1, std::string_view(text).substr(start, b.ends[i] - start));
    if (row.event)
      p.text(2, *row.event);
    else
      p.null(2);
    p.text(3, row.messageId);
    p.text(4, row.type);
  }
  return storeAllOrNothing(c, rows.size(), [&] { return c.insertRows(arraySql_, p); });
}

Result BulkStore::loadInTransaction(db::Connection& c, std::span<const Row* const> rows,
                                    Buffers& b) const {
  b.text.clear();
  for (const Row* row : rows) StatementBuilder::appendLoadRow(*row, b.text);
  return storeAllOrNothing(c, rows.size(), [&] { return c.loadLocal(loadSql_, b.text); });
}

Result BulkStore::loadWithErrorsHandle(db::Connection& c, std::span<const Row* const> rows,
                                       Buffers& b) const {
  b.text.clear();
  for (const Row* row : rows) StatementBuilder::appendLoadRow(*row, b.text);
  const std::string handle = newErrorsHandle();
  std::optional<Result> result;
  bool logged = false;  // LOAD_DATA_ERRORS holds lines under this handle: clear them after
  {
    db::Transaction tx(c);
    db::Connection::LoadResult loaded;
    try {
      loaded = c.loadLocal(statements_.loadData(load_.dialect, handle), b.text);
    } catch (const db::Error& e) {
      if (e.code() == ER_PARSE_ERROR || e.code() == 1706) {
        // The server does not know the clause: LOAD DATA as before, in the transaction.
        tx.abort();
        load_.flags->errorsHandleRefused.store(true, std::memory_order_relaxed);
        return loadInTransaction(c, rows, b);
      }
      if (e.retryable() && !refusesTheStatement(e)) throw;
      tx.abort();
      return bulkFailure(e);
    }
    // The server shows whether the load stayed inside the transaction; one that committed on its
    // own has stored what it stored, whatever follows.
    const bool inside = c.inTransaction();
    if (!inside) {
      load_.flags->loadCommitsItself.store(true, std::memory_order_relaxed);
      b.loadedUnsettled = true;
    }
    std::vector<Notice> notices = noticesOf(c, loaded.warnings);
    std::vector<SkippedLine> skipped;
    if (loaded.rows != rows.size()) {
      skipped = skippedFrom(c.query(StatementBuilder::loadErrors(handle)));
      logged = !skipped.empty();
    }
    auto verdicts = judgeLoad(rows.size(), loaded.rows, skipped, notices);
    if (!verdicts) {
      // Rolled back whole (or, committed on its own, left in doubt): the INSERT path decides.
      if (inside) tx.abort();
      result = Result::NotClean;
    } else {
      if (inside) tx.commit();
      b.loadedUnsettled = false;
      if (skipped.empty()) {
        result = Result::Stored;
      } else {
        b.verdicts.clear();
        for (LoadVerdict v : *verdicts)
          b.verdicts.push_back(v == LoadVerdict::Duplicate ? Verdict::Duplicate
                                                           : Verdict::Inserted);
        result = Result::Settled;
      }
    }
  }
  if (logged) {
    // After the transaction: CLEAR LOAD ERRORS commits implicitly. Failing to clear loses
    // nothing of the rows (their verdicts are known): the log only grows.
    try {
      c.execute(StatementBuilder::clearLoadErrors(handle));
    } catch (const db::Error& e) {
      if (e.retryable()) c.discard();
    }
  }
  return *result;
}

Result BulkStore::loadAndSettle(db::Connection& c, std::span<const Row* const> rows,
                                Buffers& b) const {
  Escaper escape = [&c](std::string_view value, std::string& out) { c.appendEscaped(value, out); };
  b.verdicts.assign(rows.size(), Verdict::Pending);

  // 1. Stored already: duplicates, never sent (a skipped row would tell nothing about whose it is).
  std::string sql;
  statements_.findStored(rows, escape, sql);
  std::unordered_map<std::string_view, bool> storedBefore;
  auto before = c.query(sql);
  for (const auto& row : before)
    if (!row.empty() && row[0]) storedBefore.emplace(*row[0], true);
  std::vector<std::size_t> sent;  // indices into rows; line k of the file is rows[sent[k - 1]]
  std::vector<const Row*> sentRows;
  std::string& text = b.text;
  text.clear();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (storedBefore.count(rows[i]->messageId)) {
      b.verdicts[i] = Verdict::Duplicate;
      continue;
    }
    sent.push_back(i);
    sentRows.push_back(rows[i]);
    StatementBuilder::appendLoadRow(*rows[i], text);
  }
  if (sent.empty()) return Result::Settled;

  // 2. The load, in autocommit: what it stores stays stored.
  b.loadedUnsettled = true;  // from here a fault leaves these rows in doubt
  db::Connection::LoadResult loaded = c.loadLocal(loadSql_, text);
  std::vector<bool> warned(sent.size(), false);
  bool onlyIgnoredClauses = true;
  for (const Notice& n : noticesOf(c, loaded.warnings)) {
    if (ignoredClause(n.code)) continue;  // by its code, whatever its level
    onlyIgnoredClauses = false;
    std::size_t line = warnedLine(n.message);
    if (line >= 1 && line <= sent.size()) warned[line - 1] = true;
  }
  if (loaded.rows == sent.size() && onlyIgnoredClauses) {
    for (std::size_t i : sent) b.verdicts[i] = Verdict::Inserted;
    b.loadedUnsettled = false;
    return Result::Settled;
  }

  // 3. Not every row went in unchanged: compare what is stored with what was sent.
  sql.clear();
  statements_.fetchStored(sentRows, escape, sql);
  auto stored = c.query(sql);
  std::unordered_map<std::string_view, const db::Row*> storedById;
  for (const auto& row : stored)
    if (!row.empty() && row[0]) storedById.emplace(*row[0], &row);
  std::vector<SentRow> judged(sent.size());
  for (std::size_t k = 0; k < sent.size(); ++k) {
    judged[k].warned = warned[k];
    auto found = storedById.find(sentRows[k]->messageId);
    if (found == storedById.end()) continue;
    judged[k].stored = storedAs(*found->second, *sentRows[k]) ? SentRow::Stored::Exactly
                                                              : SentRow::Stored::Otherwise;
  }
  std::vector<Settlement> settled = settleLoadedRows(judged, loaded.rows);
  std::vector<const Row*> ours;  // stored altered by this load: deleted, then the INSERT path
  for (std::size_t k = 0; k < sent.size(); ++k) {
    switch (settled[k]) {
      case Settlement::Inserted:
        b.verdicts[sent[k]] = Verdict::Inserted;
        break;
      case Settlement::Duplicate:
        b.verdicts[sent[k]] = Verdict::Duplicate;
        break;
      case Settlement::OursAltered:
        ours.push_back(sentRows[k]);
        break;
      case Settlement::NotStored:
        break;  // Pending: the INSERT path tells why
    }
  }
  if (!ours.empty()) {
    sql.clear();
    statements_.deleteStored(ours, escape, sql);
    c.execute(sql);
  }
  b.loadedUnsettled = false;
  return Result::Settled;
}

}  // namespace actions::singlestore
