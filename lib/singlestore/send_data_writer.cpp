#include "singlestore/send_data_writer.h"

#include <mysqld_error.h>

#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>
#include <vector>

#include "singlestore/batch_writer.h"
#include "singlestore/row_encoder.h"

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

WritePath writePathFromEnvironment(WritePath fallback) {
  const char* v = std::getenv("ACTIONS_SINGLESTORE_WRITE_PATH");
  if (!v) return fallback;
  std::string_view name = v;
  if (name == "auto") return WritePath::Auto;
  if (name == "load-data") return WritePath::LoadData;
  if (name == "load-data-settled") return WritePath::LoadDataSettled;
  if (name == "insert") return WritePath::Insert;
  return fallback;
}

SendDataWriter::SendDataWriter(const Settings& settings, WriterOptions options)
    : settings_(settings), options_(options) {
  options_.retry.retries = &retries_;
  options_.writePath = writePathFromEnvironment(options_.writePath);
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

std::string SendDataWriter::checkConnection() {
  try {
    auto lease = pool_->acquire();
    if (!lease->ping()) {
      lease.markBroken();
      return "the server did not answer a ping";
    }
    return {};
  } catch (const db::Error& e) {
    return e.what();
  }
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
      auto lease = pool_->acquire();
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
  if (results.size() != payloads.size())
    throw std::invalid_argument("SendDataWriter::write: results and payloads differ in size");
  if (!deadlines.empty() && deadlines.size() != payloads.size())
    throw std::invalid_argument("SendDataWriter::write: one deadline per payload, or none");
  RetryPolicy retry = options_.retry;
  if (!deadlines.empty()) {
    auto earliest = *std::min_element(deadlines.begin(), deadlines.end());
    if (earliest != std::chrono::steady_clock::time_point::max()) retry.deadline = earliest;
  }

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
    if (auto failure = ensureTableOnce(database, retry)) {
      for (std::size_t i : indices) results[i] = *failure;
      continue;
    }
    std::vector<const Row*> groupRows;
    groupRows.reserve(indices.size());
    for (std::size_t i : indices) groupRows.push_back(&rows[i]);
    std::optional<BulkLoad> bulk;
    if (options_.bulkLoad) {
      Dialect d = dialect().value_or(Dialect::MySql);
      WritePath path = options_.writePath;
      // No SingleStore document says a transaction covers LOAD DATA: settle it instead.
      bool settle = d == Dialect::SingleStore || path == WritePath::LoadDataSettled;
      bool arrays = path == WritePath::Auto;
      bulk = BulkLoad{d, &bulkRefused_, arrays ? &arraysRefused_ : nullptr, settle};
    }
    BatchWriter writer(pool_, makeTableRef(database, settings_.tableName), retry, bulk);
    auto answers = writer.write(groupRows, batchSize);
    for (std::size_t k = 0; k < indices.size(); ++k) results[indices[k]] = std::move(answers[k]);
  }
}

}  // namespace actions::singlestore
