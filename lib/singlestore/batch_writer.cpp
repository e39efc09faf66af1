#include "singlestore/batch_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "singlestore/delivery.h"

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

namespace {

// What an operator can do about a SingleStore condition that retrying does not fix.
std::string remedy(const db::Error& e) {
  switch (e.code()) {
    case 1720:
      return " (SingleStore refuses writes while its tables use maximum_table_memory: free memory "
             "or raise the limit; retried only briefly)";
    case 2373:
      return " (SingleStore compiles no new statements while the cluster is over its license's "
             "capacity: reduce the capacity in use or install a license that covers it)";
    default:
      return "";
  }
}

}  // namespace

kit::EventResult failed(const db::Error& e, long long retriedForMs) {
  if (refusesTarget(e))
    return {403, kit::Outcome::Failed,
            "this user may not write there (the rows for other databases go on): " +
                std::string(e.what()),
            "FORBIDDEN"};
  switch (e.errorClass()) {
    case db::ErrorClass::Retryable:
      return {503, kit::Outcome::Failed,
              fmt::format("not delivered after retrying for {:.1f}s: {}{}",
                          static_cast<double>(retriedForMs) / 1000.0, e.what(), remedy(e)),
              "RETRYABLE_ERROR"};
    case db::ErrorClass::Authentication:
      return {401, kit::Outcome::Failed, e.what(), "INVALID_AUTHENTICATION"};
    default:
      return {500, kit::Outcome::Failed, e.what() + remedy(e), "INTERNAL_SERVER_ERROR"};
  }
}

kit::EventResult expired(const db::Error* lastFault) {
  std::string why = "not delivered before its deadline (the caller's time ran out)";
  if (lastFault) why += "; the last fault: " + std::string(lastFault->what()) + remedy(*lastFault);
  return {503, kit::Outcome::Failed, std::move(why), "RETRYABLE_ERROR"};
}

}  // namespace outcome

BatchWriter::BatchWriter(std::shared_ptr<db::ConnectionPool> pool, const TableRef& table,
                         RetryPolicy retry, std::optional<BulkLoad> bulk, TableMaker remakeTable)
    : pool_(std::move(pool)),
      table_(table),
      statements_(table),
      retry_(retry),
      remakeTable_(std::move(remakeTable)) {
  if (bulk) bulk_.emplace(table, *bulk);
}

std::vector<kit::EventResult> BatchWriter::write(
    std::span<const Row* const> rows, std::size_t maxRowsPerStatement,
    std::span<const Clock::time_point> deadlines) const {
  std::vector<kit::EventResult> results(rows.size());
  if (rows.empty()) return results;
  if (!deadlines.empty() && deadlines.size() != rows.size())
    throw std::invalid_argument("BatchWriter::write: one deadline per row, or none");
  Delivery::Setup setup{*pool_,       statements_,
                        retry_,       bulk_ ? &*bulk_ : nullptr,
                        remakeTable_, std::max<std::size_t>(1, maxRowsPerStatement)};

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
    Delivery(setup, rows, deadlines, results).run(round);
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

}  // namespace actions::singlestore
