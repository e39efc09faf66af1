#include "singlestore/delivery.h"

#include <fmt/format.h>
#include <mysqld_error.h>

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "db/transaction.h"

namespace actions::singlestore {
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

}  // namespace

Delivery::Delivery(const Setup& setup, std::span<const Row* const> rows,
                   std::span<const Clock::time_point> deadlines,
                   std::span<kit::EventResult> results)
    : setup_(setup), rows_(rows), deadlines_(deadlines), results_(results), backoff_(setup.retry) {}

std::span<const Row* const> Delivery::rowsOf(const std::vector<Item>& items) {
  batch_.clear();
  for (const Item& item : items) batch_.push_back(rows_[item.index]);
  return batch_;
}

std::optional<Delivery::Clock::time_point> Delivery::earliestDeadline(
    const std::vector<Item>& items) const {
  if (deadlines_.empty() || items.empty()) return std::nullopt;
  Clock::time_point t = deadlines_[items.front().index];
  for (const Item& item : items) t = std::min(t, deadlines_[item.index]);
  return t;
}

std::optional<Delivery::Clock::time_point> Delivery::latestDeadline(
    const std::vector<Item>& current) const {
  if (deadlines_.empty()) return std::nullopt;
  std::optional<Clock::time_point> t;
  auto consider = [&](const std::vector<Item>& items) {
    for (const Item& item : items)
      if (!t || deadlines_[item.index] > *t) t = deadlines_[item.index];
  };
  consider(current);
  for (const Work& w : queue_) consider(w.items);
  return t;
}

void Delivery::endAll(const std::vector<Item>& current, const kit::EventResult& r) {
  for (const Item& item : current) results_[item.index] = r;
  for (const Work& w : queue_)
    for (const Item& item : w.items) results_[item.index] = r;
  queue_.clear();
}

void Delivery::splitInHalves(std::vector<Item>& items, unsigned duplicateErrors, bool lookFirst) {
  std::size_t half = items.size() / 2;
  Work second{std::vector<Item>(items.begin() + static_cast<std::ptrdiff_t>(half), items.end()),
              duplicateErrors, lookFirst, true};
  items.resize(half);
  queue_.push_front(std::move(second));
  queue_.push_front(Work{std::move(items), duplicateErrors, lookFirst, true});
}

bool Delivery::expire(Work& work) {
  if (deadlines_.empty()) return !work.items.empty();
  const auto now = Clock::now();
  auto past = [&](const Item& item) { return deadlines_[item.index] <= now; };
  for (const Item& item : work.items)
    if (past(item)) results_[item.index] = outcome::expired(lastFault_ ? &*lastFault_ : nullptr);
  std::erase_if(work.items, past);
  return !work.items.empty();
}

void Delivery::run(const std::vector<std::size_t>& indices) {
  {
    Work all;
    all.items.reserve(indices.size());
    for (std::size_t i : indices) all.items.push_back({i});
    queue_.push_back(std::move(all));
  }
  while (!queue_.empty()) {
    Work work = std::move(queue_.front());
    queue_.pop_front();
    if (!expire(work)) continue;
    phase_ = Phase::Connecting;
    toInsert_.clear();
    bulkBuffers_.loadedUnsettled = false;
    try {
      attempt(work);
    } catch (const db::Error& e) {
      if (!onFault(e, work)) return;
    }
  }
}

void Delivery::attempt(Work& work) {
  attemptStarted_ = Clock::now();
  if (!lease_)
    lease_ = setup_.pool.acquire(backoff_.attemptDeadline(earliestDeadline(work.items)));
  else
    lease_->setDeadline(backoff_.attemptDeadline(earliestDeadline(work.items)));

  // The longest prefix that fits one statement; the rest waits its turn.
  const std::size_t packet = lease_->maxAllowedPacket();
  const std::size_t budget = packet > kPacketLeeway ? packet - kPacketLeeway : 0;
  std::size_t fits = rowsInOneStatement(rowsOf(work.items), setup_.statements.insertHeaderSize(),
                                        budget, setup_.maxRows);
  if (fits == 0) {
    const Item tooLarge = work.items.front();
    results_[tooLarge.index] = outcome::rejected(fmt::format(
        "the row needs about {} bytes but the server takes statements of at most {} bytes "
        "(max_allowed_packet)",
        StatementBuilder::insertSizeBound(*rows_[tooLarge.index]), packet));
    work.items.erase(work.items.begin());
    if (!work.items.empty()) queue_.push_front(std::move(work));
    return;
  }
  if (fits < work.items.size()) {
    Work rest{
        std::vector<Item>(work.items.begin() + static_cast<std::ptrdiff_t>(fits), work.items.end()),
        work.duplicateErrors, work.lookFirst, work.noBulk};
    work.items.resize(fits);
    queue_.push_front(std::move(rest));
    // This statement's rows alone bound its waits.
    lease_->setDeadline(backoff_.attemptDeadline(earliestDeadline(work.items)));
  }

  bool anyInDoubt =
      std::any_of(work.items.begin(), work.items.end(), [](const Item& i) { return i.inDoubt; });
  if (!work.lookFirst && !anyInDoubt)
    storeNew(work);
  else
    lookUpThenInsert(work);
}

void Delivery::insert(const std::vector<Item>& items) {
  sql_.clear();
  db::Connection& c = *lease_;
  setup_.statements.insert(
      rowsOf(items),
      [&c](std::string_view value, std::string& out) { c.appendEscaped(value, out); }, sql_);
  db::Transaction tx(c);
  c.execute(sql_);
  tx.commit();
}

void Delivery::storeNew(Work& work) {
  using Result = BulkStore::Result;
  using Verdict = BulkStore::Verdict;
  toInsert_ = work.items;
  phase_ = Phase::Inserting;
  const BulkStore* bulk = setup_.bulk;
  if (!work.noBulk && bulk && bulk->available()) {
    Result r = bulk->store(*lease_, rowsOf(toInsert_), bulkBuffers_);
    if (r == Result::Stored) {
      for (const Item& item : toInsert_) results_[item.index] = outcome::inserted();
      backoff_.progressed();
      return;
    }
    if (r == Result::Settled) {
      // Rows the load did not settle go in with INSERT, which looks first.
      Work rest{{}, work.duplicateErrors, true, true};
      const auto& verdicts = bulkBuffers_.verdicts;
      for (std::size_t k = 0; k < toInsert_.size(); ++k) {
        if (verdicts[k] == Verdict::Inserted)
          results_[toInsert_[k].index] = outcome::inserted();
        else if (verdicts[k] == Verdict::Duplicate)
          results_[toInsert_[k].index] = outcome::duplicate();
        else
          rest.items.push_back(toInsert_[k]);
      }
      backoff_.progressed();
      if (!rest.items.empty()) queue_.push_front(std::move(rest));
      return;
    }
    Work again{std::move(work.items), work.duplicateErrors, r == Result::NotClean, true};
    // A load that committed on its own may have stored some rows: compare.
    if (bulkBuffers_.loadedUnsettled)
      for (Item& item : again.items) item.inDoubt = true;
    queue_.push_front(std::move(again));
    return;
  }
  insert(toInsert_);
  for (const Item& item : toInsert_) results_[item.index] = outcome::inserted();
  backoff_.progressed();
}

void Delivery::lookUpThenInsert(Work& work) {
  // Which of these are stored already?
  phase_ = Phase::LookingUp;
  sql_.clear();
  db::Connection& c = *lease_;
  setup_.statements.findStored(
      rowsOf(work.items),
      [&c](std::string_view value, std::string& out) { c.appendEscaped(value, out); }, sql_);
  auto stored = c.query(sql_);
  std::unordered_map<std::string_view, const db::Row*> storedById;
  for (const auto& row : stored)
    if (!row.empty() && row[0]) storedById.emplace(*row[0], &row);
  for (const Item& item : work.items) {
    auto found = storedById.find(rows_[item.index]->messageId);
    if (found == storedById.end()) {
      toInsert_.push_back(item);
      continue;
    }
    // Stored: by someone else first, or by our own earlier attempt whose answer was lost.
    // Even an identical stored row does not prove the second (another sender may have
    // stored the same event in that window), and only the statement whose answer arrived
    // may claim the row: so a row found stored is a duplicate (docs/reliability.md).
    results_[item.index] = outcome::duplicate();
  }
  if (toInsert_.empty()) {
    backoff_.progressed();
    return;
  }
  phase_ = Phase::Inserting;
  insert(toInsert_);
  for (const Item& item : toInsert_) results_[item.index] = outcome::inserted();
  backoff_.progressed();
}

bool Delivery::onFault(const db::Error& e, Work& work) {
  std::vector<Item>& pending = phase_ == Phase::Inserting ? toInsert_ : work.items;
  if (e.code() == ER_NO_SUCH_TABLE && setup_.remakeTable && !tableRemade_ && lease_) {
    // The table went missing (dropped): made again once per round, then the same rows again.
    // A statement the server refused stored nothing; rows in doubt stay in doubt.
    tableRemade_ = true;
    try {
      setup_.remakeTable(*lease_);
      queue_.push_front(
          Work{std::move(pending), work.duplicateErrors, work.lookFirst, work.noBulk});
      return true;
    } catch (const db::Error& again) {
      return onFault(again, work);
    }
  }
  switch (e.errorClass()) {
    case db::ErrorClass::Retryable: {
      // A statement whose answer was lost, or a settled LOAD DATA that stored rows before the
      // fault: its rows may be stored.
      if (phase_ == Phase::Inserting && (e.outcomeUnknown() || bulkBuffers_.loadedUnsettled))
        for (Item& item : pending) item.inDoubt = true;
      lease_.markBroken();
      lease_.release();
      lastFault_ = e;
      // A wait the deadline cut short was a fault from the moment it began.
      std::optional<Clock::time_point> began;
      if (e.timedOutAtDeadline()) began = attemptStarted_;
      if (!backoff_.waitAfterFault(latestDeadline(pending), began, e.retryAtMost())) {
        endAll(pending, outcome::failed(e, backoff_.faultingFor().count()));
        return false;
      }
      queue_.push_front(
          Work{std::move(pending), work.duplicateErrors, work.lookFirst, work.noBulk});
      return true;
    }
    case db::ErrorClass::BadRow:
      if (pending.size() == 1)
        results_[pending.front().index] =
            outcome::rejected("the server refused the row: " + serverReason(e), "BAD_REQUEST");
      else
        splitInHalves(pending, work.duplicateErrors, work.lookFirst);
      return true;
    case db::ErrorClass::Duplicate:
      if (!work.lookFirst) {  // the optimistic INSERT met a stored copy: now look
        queue_.push_front(Work{std::move(pending), work.duplicateErrors, true});
        return true;
      }
      // Someone stored one of these between the lookup and the INSERT (another writer, or
      // our own earlier attempt whose answer was lost), or the server equates two messageIds
      // the lookup told apart. Look again; if that does not settle it, split until the row
      // stands alone and has looked once more — then the server's word is final.
      if (work.duplicateErrors == 0 || (pending.size() == 1 && work.duplicateErrors == 1))
        queue_.push_front(Work{std::move(pending), work.duplicateErrors + 1, true});
      else if (pending.size() == 1)
        results_[pending.front().index] = outcome::duplicate();
      else
        splitInHalves(pending, work.duplicateErrors, true);
      return true;
    case db::ErrorClass::Authentication:
    case db::ErrorClass::Fatal:
      endAll(pending, outcome::failed(e));
      return false;
  }
  return false;
}

}  // namespace actions::singlestore
