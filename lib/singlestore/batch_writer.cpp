#include "singlestore/batch_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>
#include <string_view>
#include <unordered_map>

#include "json/json.h"
#include "kit/timestamp.h"
#include "singlestore/load_settlement.h"

namespace actions::singlestore {

bool refusesTarget(const db::Error& e) {
  // The login worked, but this database or table is not the user's to write: the refusal
  // belongs to the rows aimed there, not to the run.
  switch (e.code()) {
    case 1044:  // ER_DBACCESS_DENIED_ERROR: no rights on the database
    case 1142:  // ER_TABLEACCESS_DENIED_ERROR: CREATE / INSERT / SELECT denied on the table
    case 1143:  // ER_COLUMNACCESS_DENIED_ERROR
    case 1036:  // ER_OPEN_AS_READONLY: the table is read only
    case 3989:  // MySQL's ER_SCHEMA_READ_ONLY: ALTER SCHEMA ... READ ONLY
      return true;
    default:
      return false;
  }
}

namespace outcome {

kit::EventResult inserted() {
  return {200, kit::Outcome::Inserted, "", ""};
}

kit::EventResult duplicate() {
  return {200, kit::Outcome::Duplicate, "", ""};
}

kit::EventResult rejected(std::string error, std::string errorType) {
  return {400, kit::Outcome::Rejected, std::move(error), std::move(errorType)};
}

kit::EventResult failed(const db::Error& e, long long retriedForMs) {
  if (refusesTarget(e))
    return {403, kit::Outcome::Failed,
            "this user may not write there (the rows for other databases go on): " +
                std::string(e.what()),
            "FORBIDDEN"};
  switch (e.errorClass()) {
    case db::ErrorClass::Retryable:
      return {503, kit::Outcome::Failed,
              fmt::format("not delivered after retrying for {:.1f}s: {}",
                          static_cast<double>(retriedForMs) / 1000.0, e.what()),
              "RETRYABLE_ERROR"};
    case db::ErrorClass::Authentication:
      return {401, kit::Outcome::Failed, e.what(), "INVALID_AUTHENTICATION"};
    default:
      return {500, kit::Outcome::Failed, e.what(), "INTERNAL_SERVER_ERROR"};
  }
}

}  // namespace outcome

namespace {

// Leeway under max_allowed_packet for the packet header and anything the bound misses.
constexpr std::size_t kPacketLeeway = 1024;

// The server's reason without the client's "query failed: " preamble.
std::string serverReason(const db::Error& e) {
  std::string_view what = e.what();
  constexpr std::string_view preamble = "query failed: ";
  if (what.substr(0, preamble.size()) == preamble) what.remove_prefix(preamble.size());
  return std::string(what);
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

}  // namespace

struct BatchWriter::Item {
  std::size_t index;     // into the rows of write()
  bool inDoubt = false;  // a statement holding this row may have committed unseen
};

BatchWriter::BatchWriter(std::shared_ptr<db::ConnectionPool> pool, const TableRef& table,
                         RetryPolicy retry, std::optional<BulkLoad> bulk)
    : pool_(std::move(pool)), table_(table), statements_(table), retry_(retry), bulk_(bulk) {
  if (bulk_) {
    loadSql_ = statements_.loadData(bulk_->dialect);
    arraySql_ = statements_.insertParameters();
  }
}

// What one delivery reuses from one bulk statement to the next.
struct BatchWriter::BulkBuffers {
  std::string text;               // LOAD DATA's rows, or the arrays' timestamps
  std::vector<std::size_t> ends;  // where each timestamp in `text` ends
  db::ParameterRows parameters{kColumns.size()};
  bool loadedUnsettled = false;  // a settled LOAD DATA stored rows whose verdicts are not known
};

namespace {

// Whether an error of a bulk statement is the server refusing that kind of statement, for good:
// only then are the writers to stop trying it.
bool refusesTheStatement(const db::Error& e) {
  switch (e.code()) {
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
BatchWriter::BulkResult bulkFailure(const db::Error& e) {
  if (refusesTheStatement(e)) return BatchWriter::BulkResult::Refused;
  if (e.errorClass() == db::ErrorClass::BadRow || e.errorClass() == db::ErrorClass::Duplicate)
    return BatchWriter::BulkResult::NotClean;
  throw e;
}

// Runs one bulk statement in a transaction kept only when it stored every row unchanged.
template <typename Statement>
BatchWriter::BulkResult storeAllOrNothing(db::Connection& connection, std::size_t rows,
                                          Statement&& statement) {
  using Result = BatchWriter::BulkResult;
  connection.execute("START TRANSACTION");
  try {
    db::Connection::LoadResult stored = statement();
    if (stored.rows == rows && stored.warnings == 0) {
      connection.execute("COMMIT");
      return Result::Stored;
    }
    connection.execute("ROLLBACK");
    return Result::NotClean;
  } catch (const db::Error& e) {
    // A lost connection takes its transaction with it (the caller drops the connection).
    if (e.retryable() && !refusesTheStatement(e)) throw;
    // The statement failed but the transaction is open: end it before anything else.
    connection.execute("ROLLBACK");
    return bulkFailure(e);
  }
}

}  // namespace

bool BatchWriter::bulkAvailable() const {
  if (!bulk_) return false;
  bool arrays = bulk_->arraysRefused && !bulk_->arraysRefused->load(std::memory_order_relaxed);
  return arrays || !bulk_->refused->load(std::memory_order_relaxed);
}

BatchWriter::BulkResult BatchWriter::bulkStore(db::Connection& connection,
                                               std::span<const Row* const> rows,
                                               BulkBuffers& buffers,
                                               std::vector<Verdict>& verdicts) const {
  std::string& text = buffers.text;
  text.clear();
  if (bulk_->arraysRefused && !bulk_->arraysRefused->load(std::memory_order_relaxed) &&
      connection.supportsArrayBinding()) {
    // The timestamps are formatted first: the parameters point into `text`, which must not move.
    buffers.ends.clear();
    for (const Row* row : rows) {
      kit::appendDatetime6(row->timestampMicros, text);
      buffers.ends.push_back(text.size());
    }
    db::ParameterRows& p = buffers.parameters;
    p.clear();
    p.reserve(rows.size());
    for (std::size_t i = 0, start = 0; i < rows.size(); start = buffers.ends[i++]) {
      const Row& row = *rows[i];
      p.text(0, row.message);
      p.text(1, std::string_view(text).substr(start, buffers.ends[i] - start));
      if (row.event)
        p.text(2, *row.event);
      else
        p.null(2);
      p.text(3, row.messageId);
      p.text(4, row.type);
    }
    BulkResult r = storeAllOrNothing(connection, rows.size(),
                                     [&] { return connection.insertRows(arraySql_, p); });
    if (r != BulkResult::Refused) return r;
    bulk_->arraysRefused->store(true, std::memory_order_relaxed);
    text.clear();
  }
  if (bulk_->refused->load(std::memory_order_relaxed)) return BulkResult::Refused;
  BulkResult r;
  if (bulk_->settle) {
    try {
      r = loadAndSettle(connection, rows, buffers, verdicts);
    } catch (const db::Error& e) {
      r = bulkFailure(e);
    }
  } else {
    for (const Row* row : rows) StatementBuilder::appendLoadRow(*row, text);
    r = storeAllOrNothing(connection, rows.size(),
                          [&] { return connection.loadLocal(loadSql_, text); });
  }
  if (r == BulkResult::Refused) bulk_->refused->store(true, std::memory_order_relaxed);
  return r;
}

BatchWriter::BulkResult BatchWriter::loadAndSettle(db::Connection& connection,
                                                   std::span<const Row* const> rows,
                                                   BulkBuffers& buffers,
                                                   std::vector<Verdict>& verdicts) const {
  Escaper escape = [&connection](std::string_view value, std::string& out) {
    connection.appendEscaped(value, out);
  };
  verdicts.assign(rows.size(), Verdict::Pending);

  // 1. Stored already: duplicates, never sent (a skipped row would tell nothing about whose it is).
  std::string sql;
  statements_.findStored(rows, escape, sql);
  std::unordered_map<std::string_view, bool> storedBefore;
  auto before = connection.query(sql);
  for (const auto& row : before)
    if (!row.empty() && row[0]) storedBefore.emplace(*row[0], true);
  std::vector<std::size_t> sent;  // indices into rows; line k of the file is rows[sent[k - 1]]
  std::vector<const Row*> sentRows;
  std::string& text = buffers.text;
  text.clear();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (storedBefore.count(rows[i]->messageId)) {
      verdicts[i] = Verdict::Duplicate;
      continue;
    }
    sent.push_back(i);
    sentRows.push_back(rows[i]);
    StatementBuilder::appendLoadRow(*rows[i], text);
  }
  if (sent.empty()) return BulkResult::Settled;

  // 2. The load, in autocommit: what it stores stays stored.
  buffers.loadedUnsettled = true;  // from here a fault leaves these rows in doubt
  db::Connection::LoadResult loaded = connection.loadLocal(loadSql_, text);
  std::vector<bool> warned(sent.size(), false);
  bool onlyNotes = true;
  if (loaded.warnings > 0) {
    // Read at once: the next statement would clear them. Level, Code, Message.
    for (const auto& w : connection.query("SHOW WARNINGS")) {
      if (w.size() < 3 || (w[0] && *w[0] == "Note")) continue;
      onlyNotes = false;
      std::size_t line = w[2] ? warnedLine(*w[2]) : 0;
      if (line >= 1 && line <= sent.size()) warned[line - 1] = true;
    }
  }
  if (loaded.rows == sent.size() && onlyNotes) {
    for (std::size_t i : sent) verdicts[i] = Verdict::Inserted;
    buffers.loadedUnsettled = false;
    return BulkResult::Settled;
  }

  // 3. Not every row went in unchanged: compare what is stored with what was sent.
  sql.clear();
  statements_.fetchStored(sentRows, escape, sql);
  auto stored = connection.query(sql);
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
        verdicts[sent[k]] = Verdict::Inserted;
        break;
      case Settlement::Duplicate:
        verdicts[sent[k]] = Verdict::Duplicate;
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
    connection.execute(sql);
  }
  buffers.loadedUnsettled = false;
  return BulkResult::Settled;
}

std::vector<kit::EventResult> BatchWriter::write(std::span<const Row* const> rows,
                                                 std::size_t maxRowsPerStatement) const {
  std::vector<kit::EventResult> results(rows.size());
  if (rows.empty()) return results;
  std::size_t maxRows = std::max<std::size_t>(1, maxRowsPerStatement);

  // Copies of a messageId are chained in input order (nextCopy); the first of each chain goes in
  // the first round. Found by sorting indices, which allocates nothing per row.
  constexpr std::size_t kNone = static_cast<std::size_t>(-1);
  std::vector<std::size_t> order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    int c = rows[x]->messageId.compare(rows[y]->messageId);
    return c < 0 || (c == 0 && x < y);
  });
  std::vector<std::size_t> nextCopy(rows.size(), kNone);
  std::vector<std::size_t> round;
  for (std::size_t k = 0; k < order.size(); ++k) {
    bool first = k == 0 || rows[order[k - 1]]->messageId != rows[order[k]]->messageId;
    if (first) round.push_back(order[k]);
    if (k + 1 < order.size() && rows[order[k + 1]]->messageId == rows[order[k]]->messageId)
      nextCopy[order[k]] = order[k + 1];
  }
  std::sort(round.begin(), round.end());

  while (!round.empty()) {
    deliver(rows, round, maxRows, results);
    std::vector<std::size_t> next;
    for (std::size_t i : round) {
      std::size_t later = nextCopy[i];
      if (results[i].outcome == kit::Outcome::Rejected && later != kNone) {
        // Refused by the server: the copy did not claim the messageId; the next one may.
        next.push_back(later);
        continue;
      }
      for (; later != kNone; later = nextCopy[later]) {
        if (results[i].outcome == kit::Outcome::Failed)
          results[later] = results[i];
        else
          results[later] = outcome::duplicate();
      }
    }
    std::sort(next.begin(), next.end());
    round = std::move(next);
  }
  return results;
}

void BatchWriter::deliver(std::span<const Row* const> rows, const std::vector<std::size_t>& indices,
                          std::size_t maxRows, std::vector<kit::EventResult>& results) const {
  struct Work {
    std::vector<Item> items;
    // Duplicate-key errors this work has met: the first makes it look again, later ones split
    // it; a single row looks once more after its own (it may be ours, committed in doubt),
    // then the server's word is final.
    unsigned duplicateErrors = 0;
    // New rows are the common case: insert straight away and look up what is stored only
    // after a duplicate-key error (or when an earlier answer was lost), which halves the
    // server's work per batch. Once a work has had to look, its pieces keep looking.
    bool lookFirst = false;
    // Rows a bulk load could not take cleanly go in with INSERT, which can tell why.
    bool noBulk = false;
  };
  std::deque<Work> queue;
  {
    Work all;
    all.items.reserve(indices.size());
    for (std::size_t i : indices) all.items.push_back({i});
    queue.push_back(std::move(all));
  }

  Backoff backoff(retry_);
  db::ConnectionPool::Lease lease;
  Escaper escape = [&lease](std::string_view value, std::string& out) {
    lease->appendEscaped(value, out);
  };
  std::string sql;
  BulkBuffers bulkBuffers;
  std::vector<Verdict> verdicts;
  std::vector<const Row*> batch;
  auto rowsOf = [&](const std::vector<Item>& items) -> std::span<const Row* const> {
    batch.clear();
    for (const Item& item : items) batch.push_back(rows[item.index]);
    return batch;
  };
  auto endAll = [&](const std::vector<Item>& current, const kit::EventResult& r) {
    for (const Item& item : current) results[item.index] = r;
    for (const Work& w : queue)
      for (const Item& item : w.items) results[item.index] = r;
    queue.clear();
  };
  auto splitInHalves = [&](std::vector<Item>& items, unsigned duplicateErrors, bool lookFirst) {
    std::size_t half = items.size() / 2;
    Work second{std::vector<Item>(items.begin() + static_cast<std::ptrdiff_t>(half), items.end()),
                duplicateErrors, lookFirst, true};
    items.resize(half);
    queue.push_front(std::move(second));
    queue.push_front(Work{std::move(items), duplicateErrors, lookFirst, true});
  };

  while (!queue.empty()) {
    Work work = std::move(queue.front());
    queue.pop_front();
    enum class Phase { Connecting, LookingUp, Inserting } phase = Phase::Connecting;
    bulkBuffers.loadedUnsettled = false;
    std::vector<Item> toInsert;
    try {
      if (!lease) lease = pool_->acquire();

      // The longest prefix that fits one statement; the rest waits its turn.
      const std::size_t budget =
          lease->maxAllowedPacket() > kPacketLeeway ? lease->maxAllowedPacket() - kPacketLeeway : 0;
      std::size_t size = statements_.insertHeaderSize(), fits = 0;
      while (fits < work.items.size() && fits < maxRows) {
        const Row& row = *rows[work.items[fits].index];
        // The exact bound reads every byte: needed only near the limit.
        std::size_t add = StatementBuilder::insertSizeQuickBound(row);
        if (size + add > budget) add = StatementBuilder::insertSizeBound(row);
        if (size + add > budget) break;
        size += add;
        ++fits;
      }
      if (fits == 0) {
        const Item tooLarge = work.items.front();
        results[tooLarge.index] = outcome::rejected(fmt::format(
            "the row needs about {} bytes but the server takes statements of at most {} bytes "
            "(max_allowed_packet)",
            StatementBuilder::insertSizeBound(*rows[tooLarge.index]), lease->maxAllowedPacket()));
        work.items.erase(work.items.begin());
        if (!work.items.empty()) queue.push_front(std::move(work));
        continue;
      }
      if (fits < work.items.size()) {
        Work rest{std::vector<Item>(work.items.begin() + static_cast<std::ptrdiff_t>(fits),
                                    work.items.end()),
                  work.duplicateErrors, work.lookFirst, work.noBulk};
        work.items.resize(fits);
        queue.push_front(std::move(rest));
      }

      bool anyInDoubt = std::any_of(work.items.begin(), work.items.end(),
                                    [](const Item& i) { return i.inDoubt; });
      if (!work.lookFirst && !anyInDoubt) {
        toInsert = work.items;
        phase = Phase::Inserting;
        if (!work.noBulk && bulkAvailable()) {
          BulkResult r = bulkStore(*lease, rowsOf(toInsert), bulkBuffers, verdicts);
          if (r == BulkResult::Stored) {
            for (const Item& item : toInsert) results[item.index] = outcome::inserted();
            backoff.progressed();
            continue;
          }
          if (r == BulkResult::Settled) {
            // Rows the load did not settle go in with INSERT, which looks first.
            Work rest{{}, work.duplicateErrors, true, true};
            for (std::size_t k = 0; k < toInsert.size(); ++k) {
              if (verdicts[k] == Verdict::Inserted)
                results[toInsert[k].index] = outcome::inserted();
              else if (verdicts[k] == Verdict::Duplicate)
                results[toInsert[k].index] = outcome::duplicate();
              else
                rest.items.push_back(toInsert[k]);
            }
            backoff.progressed();
            if (!rest.items.empty()) queue.push_front(std::move(rest));
            continue;
          }
          Work again{std::move(work.items), work.duplicateErrors, r == BulkResult::NotClean, true};
          // A settled load that failed after it started may have stored some rows: compare.
          if (bulkBuffers.loadedUnsettled)
            for (Item& item : again.items) item.inDoubt = true;
          queue.push_front(std::move(again));
          continue;
        }
        sql.clear();
        statements_.insert(rowsOf(toInsert), escape, sql);
        lease->execute(sql);
        for (const Item& item : toInsert) results[item.index] = outcome::inserted();
        backoff.progressed();
        continue;
      }

      // Which of these are stored already?
      phase = Phase::LookingUp;
      sql.clear();
      statements_.findStored(rowsOf(work.items), escape, sql);
      auto stored = lease->query(sql);
      std::unordered_map<std::string_view, const db::Row*> storedById;
      for (const auto& row : stored)
        if (!row.empty() && row[0]) storedById.emplace(*row[0], &row);
      for (const Item& item : work.items) {
        auto found = storedById.find(rows[item.index]->messageId);
        if (found == storedById.end()) {
          toInsert.push_back(item);
          continue;
        }
        // Stored: by someone else first, or by our own earlier attempt whose answer was lost.
        // Even an identical stored row does not prove the second (another sender may have
        // stored the same event in that window), and only the statement whose answer arrived
        // may claim the row: so a row found stored is a duplicate (docs/reliability.md).
        results[item.index] = outcome::duplicate();
      }
      if (toInsert.empty()) {
        backoff.progressed();
        continue;
      }

      phase = Phase::Inserting;
      sql.clear();
      statements_.insert(rowsOf(toInsert), escape, sql);
      lease->execute(sql);
      for (const Item& item : toInsert) results[item.index] = outcome::inserted();
      backoff.progressed();
    } catch (const db::Error& e) {
      std::vector<Item>& pending = phase == Phase::Inserting ? toInsert : work.items;
      switch (e.errorClass()) {
        case db::ErrorClass::Retryable:
          // A settled LOAD DATA that stored rows before the fault: they may be ours.
          if (phase == Phase::Inserting && (e.outcomeUnknown() || bulkBuffers.loadedUnsettled))
            for (Item& item : pending) item.inDoubt = true;
          lease.markBroken();
          lease.release();
          if (!backoff.waitAfterFault()) {
            endAll(pending, outcome::failed(e, backoff.faultingFor().count()));
            return;
          }
          queue.push_front(
              Work{std::move(pending), work.duplicateErrors, work.lookFirst, work.noBulk});
          break;
        case db::ErrorClass::BadRow:
          if (pending.size() == 1)
            results[pending.front().index] =
                outcome::rejected("the server refused the row: " + serverReason(e), "BAD_REQUEST");
          else
            splitInHalves(pending, work.duplicateErrors, work.lookFirst);
          break;
        case db::ErrorClass::Duplicate:
          if (!work.lookFirst) {  // the optimistic INSERT met a stored copy: now look
            queue.push_front(Work{std::move(pending), work.duplicateErrors, true});
            break;
          }
          // Someone stored one of these between the lookup and the INSERT (another writer, or
          // our own earlier attempt whose answer was lost), or the server equates two messageIds
          // the lookup told apart. Look again; if that does not settle it, split until the row
          // stands alone and has looked once more — then the server's word is final.
          if (work.duplicateErrors == 0 || (pending.size() == 1 && work.duplicateErrors == 1))
            queue.push_front(Work{std::move(pending), work.duplicateErrors + 1, true});
          else if (pending.size() == 1)
            results[pending.front().index] = outcome::duplicate();
          else
            splitInHalves(pending, work.duplicateErrors, true);
          break;
        case db::ErrorClass::Authentication:
        case db::ErrorClass::Fatal:
          endAll(pending, outcome::failed(e));
          return;
      }
    }
  }
}

}  // namespace actions::singlestore
