#include "singlestore/send_data_writer.h"

#include <mysqld_error.h>

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <vector>

#include "db/transaction.h"
#include "singlestore/batch_writer.h"
#include "singlestore/row_encoder.h"
#include "singlestore/statements.h"

namespace actions::singlestore {
namespace {

constexpr std::size_t kDefaultBatchSize = 1000;
constexpr std::size_t kMaxBatchSize = 10000;

db::ConnectOptions connectOptionsFor(const Settings& s, const WriterOptions& o) {
  db::ConnectOptions c = s.connectOptions();
  c.connectTimeoutSec = o.connectTimeoutSec;
  c.readTimeoutSec = o.readTimeoutSec;
  c.writeTimeoutSec = o.writeTimeoutSec;
  c.localInfile = o.bulkLoad;
  return c;
}

}  // namespace

std::string_view toString(WritePath path) {
  switch (path) {
    case WritePath::Auto:
      return "auto";
    case WritePath::LoadData:
      return "load-data";
    case WritePath::LoadDataSettled:
      return "load-data-settled";
    case WritePath::Insert:
      return "insert";
  }
  return "auto";
}

std::optional<WritePath> parseWritePath(std::string_view name) {
  for (WritePath p :
       {WritePath::Auto, WritePath::LoadData, WritePath::LoadDataSettled, WritePath::Insert})
    if (name == toString(p)) return p;
  return std::nullopt;
}

SendDataWriter::SendDataWriter(const Settings& settings, WriterOptions options)
    : settings_(settings), options_(options) {
  options_.retry.retries = &retries_;
  if (options_.writePath == WritePath::Insert) options_.bulkLoad = false;
  db::PoolOptions poolOptions;
  poolOptions.maxOpen = std::max<std::size_t>(1, options_.maxConnections);
  poolOptions.maxIdle = poolOptions.maxOpen;
  pool_ = std::make_shared<db::ConnectionPool>(connectOptionsFor(settings_, options_), poolOptions);
}

std::optional<Dialect> SendDataWriter::dialect() const {
  std::lock_guard lock(mutex_);
  return dialect_;
}

void SendDataWriter::prepare() {
  TableRef table = makeTableRef(settings_.dbName, settings_.tableName);
  auto lease = pool_->acquire();
  Dialect d = detectDialect(*lease);
  ensureTable(*lease, d, table);
  std::lock_guard lock(mutex_);
  dialect_ = d;
  readyDatabases_.insert(settings_.dbName);
}

namespace {

// Why a check failed, in words that name no address, user or password.
std::string publicReason(const db::Error& e) {
  std::string number = " (errno " + std::to_string(e.code()) + ")";
  if (e.timedOutAtDeadline()) return "the database did not answer in time";
  switch (e.errorClass()) {
    case db::ErrorClass::Retryable:
      return "the database cannot be reached" + number;
    case db::ErrorClass::Authentication:
      return "the database refused the login" + number;
    default:
      return "the database cannot be used" + number;
  }
}

bool refusesWritesAsReadOnly(const db::Error& e) {
  return e.code() == ER_OPTION_PREVENTS_STATEMENT || e.code() == ER_READ_ONLY_MODE;
}

}  // namespace

ConnectionCheck SendDataWriter::check(std::chrono::milliseconds bound) {
  auto deadline = std::chrono::steady_clock::now() + bound;
  try {
    db::Connection c(connectOptionsFor(settings_, options_), deadline);
    // SHOW VARIABLES answers an empty set where the server has no such variable.
    auto readOnly = c.query("SHOW VARIABLES LIKE 'read\\_only'");
    bool flagged = !readOnly.empty() && readOnly[0].size() > 1 && readOnly[0][1] &&
                   (*readOnly[0][1] == "ON" || *readOnly[0][1] == "1");
    if (!flagged) return {};
    // read_only spares users with a privilege to write through it (SUPER, READ_ONLY ADMIN):
    // only a write says whether this user's writes are refused. A probe row, rolled back.
    TableRef table = makeTableRef(settings_.dbName, settings_.tableName);
    // (A missing table counts as refused: under read_only this user could not create it either.)
    Row probe;
    probe.messageId = "actions-singlestore-ready-probe-" + std::to_string(std::random_device{}());
    probe.type = "track";
    probe.message = "{}";
    probe.timestampMicros = std::chrono::duration_cast<std::chrono::microseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
    const Row* rows[] = {&probe};
    std::string sql;
    StatementBuilder(table).insert(
        rows, [&c](std::string_view v, std::string& out) { c.appendEscaped(v, out); }, sql);
    try {
      db::Transaction tx(c);
      c.execute(sql);
      tx.abort();
      return {};
    } catch (const db::Error& e) {
      if (refusesWritesAsReadOnly(e) || e.code() == ER_NO_SUCH_TABLE)
        return {"the database refuses writes: it is read-only (read_only is ON)", e.what()};
      if (e.errorClass() == db::ErrorClass::Duplicate) return {};  // a write went that far
      throw;
    }
  } catch (const db::Error& e) {
    return {publicReason(e), e.what()};
  }
}

std::string SendDataWriter::checkConnection(std::chrono::milliseconds bound) {
  return check(bound).reason;
}

std::optional<kit::EventResult> SendDataWriter::ensureTableOnce(const std::string& database,
                                                                const RetryPolicy& retry) {
  {
    std::lock_guard lock(mutex_);
    if (readyDatabases_.count(database)) return std::nullopt;
  }
  Backoff backoff(retry);
  for (;;) {
    try {
      TableRef table = makeTableRef(database, settings_.tableName);
      auto lease = pool_->acquire(backoff.attemptDeadline());
      std::optional<Dialect> known = dialect();
      Dialect d = known ? *known : detectDialect(*lease);
      try {
        ensureTable(*lease, d, table);
      } catch (const db::Error& e) {
        if (e.retryable()) lease.markBroken();
        throw;
      }
      std::lock_guard lock(mutex_);
      dialect_ = d;
      readyDatabases_.insert(database);
      return std::nullopt;
    } catch (const db::Error& e) {
      if (e.retryable() && backoff.waitAfterFault()) continue;
      if (e.retryable()) return outcome::failed(e, backoff.faultingFor().count());
      if (e.code() == ER_BAD_DB_ERROR && database != settings_.dbName)
        return outcome::rejected(
            "the payload's database " + quoteIdentifier(database) + " does not exist: " + e.what(),
            "BAD_REQUEST");
      return outcome::failed(e);
    }
  }
}

void SendDataWriter::write(std::span<const json::Value* const> payloads,
                           std::span<kit::EventResult> results,
                           std::span<const std::chrono::steady_clock::time_point> deadlines) {
  using Clock = std::chrono::steady_clock;
  if (results.size() != payloads.size())
    throw std::invalid_argument("SendDataWriter::write: results and payloads differ in size");
  if (!deadlines.empty() && deadlines.size() != payloads.size())
    throw std::invalid_argument("SendDataWriter::write: one deadline per payload, or none");

  // Stage 1: payloads to rows; a payload that cannot be a row is answered here.
  std::vector<Row> rows(payloads.size());
  std::vector<bool> encoded(payloads.size(), false);
  std::size_t batchSize = options_.batchSize;
  std::size_t smallestOfPayloads = std::numeric_limits<std::size_t>::max();
  for (std::size_t i = 0; i < payloads.size(); ++i) {
    if (!payloads[i]) {
      results[i] = outcome::rejected("no payload");
      continue;
    }
    std::string why = encodeRow(*payloads[i], rows[i]);
    if (!why.empty()) {
      results[i] = outcome::rejected(std::move(why));
      continue;
    }
    encoded[i] = true;
    if (auto n = maxBatchSizeOf(*payloads[i]))
      smallestOfPayloads = std::min(smallestOfPayloads, *n);
  }
  if (batchSize == 0)
    batchSize = smallestOfPayloads == std::numeric_limits<std::size_t>::max() ? kDefaultBatchSize
                                                                              : smallestOfPayloads;
  batchSize = std::min(batchSize, kMaxBatchSize);

  // Stage 2: one group per target database, input order kept inside each.
  std::map<std::string, std::vector<std::size_t>> groups;
  for (std::size_t i = 0; i < rows.size(); ++i)
    if (encoded[i])
      groups[rows[i].database.empty() ? settings_.dbName : rows[i].database].push_back(i);

  // Stage 3: each group into its table.
  for (auto& [database, indices] : groups) {
    std::vector<const Row*> groupRows;
    std::vector<Clock::time_point> groupDeadlines;
    groupRows.reserve(indices.size());
    for (std::size_t i : indices) {
      groupRows.push_back(&rows[i]);
      if (!deadlines.empty()) groupDeadlines.push_back(deadlines[i]);
    }
    // Making the table is the group's step: it may take until the group's last deadline.
    RetryPolicy retry = options_.retry;
    if (!groupDeadlines.empty())
      retry.deadline = *std::max_element(groupDeadlines.begin(), groupDeadlines.end());
    if (auto failure = ensureTableOnce(database, retry)) {
      for (std::size_t i : indices) results[i] = *failure;
      continue;
    }
    std::optional<BulkLoad> bulk;
    Dialect d = dialect().value_or(Dialect::MySql);
    if (options_.bulkLoad) {
      WritePath path = options_.writePath;
      LoadMode mode = path == WritePath::LoadDataSettled ? LoadMode::Settle : defaultLoadMode(d);
      bulk = BulkLoad{d, &bulkFlags_, path == WritePath::Auto, mode};
    }
    TableRef table = makeTableRef(database, settings_.tableName);
    BatchWriter writer(pool_, table, options_.retry, bulk,
                       [d, table](db::Connection& c) { ensureTable(c, d, table); });
    auto answers = writer.write(groupRows, batchSize, groupDeadlines);
    for (std::size_t k = 0; k < indices.size(); ++k) results[indices[k]] = std::move(answers[k]);
  }
}

}  // namespace actions::singlestore
