// How the spool's store was chosen (docs/serve.md, "The spool"): the same durable-queue workload
// on the project's segmented log (actions::Spool) and on the embedded stores Debian packages —
// SQLite in WAL mode, LMDB, RocksDB — each as fast as it can be made to go:
//
//   append   T threads, each appending A batches of B records (~700-byte Send Data payloads,
//            as requests of B events arrive); an append returns once its records are durable
//            (fsync'd). SQLite and LMDB have one writer at a time, so they get the same group
//            commit the log has (appends that arrive during a commit share the next one);
//            RocksDB groups concurrent synced writes itself. "sqlite-1txn" is SQLite with one
//            transaction per append, as the library alone gives it.
//   drain    one consumer reads the records in order, 1,000 at a time, and removes them
//            (acknowledgements need not be synced: a lost one only means a duplicate later).
//
// Each store runs in A/B pairs with the log (alternating which goes first), so a machine whose
// load drifts affects both sides of a pair alike; the medians of the runs and of the per-pair
// ratios (store / log) are printed.
// usage: spool_stores [ROUNDS=5] [THREADS=16] [APPENDS=100] [BATCH=50] [DIR=$TMPDIR]
#include <actions/spool.h>
#include <lmdb.h>
#include <rocksdb/db.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using Payloads = std::vector<std::string_view>;

void check(bool ok, const std::string& what) {
  if (!ok) throw std::runtime_error(what);
}

std::string bigEndian(std::uint64_t v) {
  std::string k(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) k[i] = static_cast<char>(v & 0xff);
  return k;
}

// Leader/follower group commit over a store with one writer: `commit` writes every pending
// batch in one durable transaction.
class GroupCommit {
 public:
  explicit GroupCommit(std::function<void(const std::vector<const Payloads*>&)> commit)
      : commit_(std::move(commit)) {}
  void append(const Payloads& p) {
    std::unique_lock lk(m_);
    std::uint64_t mine = open_;
    pending_.push_back(&p);
    while (done_ < mine) {
      if (busy_) {
        cv_.wait(lk);
        continue;
      }
      busy_ = true;
      std::vector<const Payloads*> group;
      group.swap(pending_);
      std::uint64_t id = open_++;
      lk.unlock();
      commit_(group);
      lk.lock();
      done_ = id;
      busy_ = false;
      cv_.notify_all();
    }
  }

 private:
  std::function<void(const std::vector<const Payloads*>&)> commit_;
  std::mutex m_;
  std::condition_variable cv_;
  std::vector<const Payloads*> pending_;
  std::uint64_t open_ = 1, done_ = 0;
  bool busy_ = false;
};

struct Store {
  virtual ~Store() = default;
  virtual void append(const Payloads& p) = 0;
  // Reads up to n records in order and removes them; returns how many.
  virtual std::size_t drain(std::size_t n) = 0;
};

struct LogStore : Store {
  actions::Spool spool;
  explicit LogStore(const std::string& dir) : spool(dir) {}
  void append(const Payloads& p) override { check(spool.append(p).ok(), "log append"); }
  std::size_t drain(std::size_t n) override {
    auto records = spool.read(n, 64 << 20, std::chrono::milliseconds(0));
    if (!records.empty()) spool.acknowledge(records.back().sequence);
    return records.size();
  }
};

struct SqliteStore : Store {
  sqlite3* db = nullptr;
  sqlite3_stmt* insert = nullptr;
  std::mutex m;
  std::unique_ptr<GroupCommit> group;
  std::uint64_t next = 1, drained = 0;

  SqliteStore(const std::string& dir, bool groupCommit) {
    fs::create_directories(dir);
    check(sqlite3_open((dir + "/spool.db").c_str(), &db) == SQLITE_OK, "sqlite open");
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=FULL");
    exec("CREATE TABLE records(seq INTEGER PRIMARY KEY, at INTEGER, payload BLOB)");
    check(sqlite3_prepare_v2(db, "INSERT INTO records VALUES(?,?,?)", -1, &insert, nullptr) ==
              SQLITE_OK,
          "sqlite prepare");
    if (groupCommit)
      group = std::make_unique<GroupCommit>([this](const auto& batches) { write(batches); });
  }
  ~SqliteStore() override {
    sqlite3_finalize(insert);
    sqlite3_close(db);
  }
  void exec(const char* sql) {
    char* err = nullptr;
    check(sqlite3_exec(db, sql, nullptr, nullptr, &err) == SQLITE_OK,
          std::string("sqlite: ") + (err ? err : sql));
  }
  void write(const std::vector<const Payloads*>& batches) {
    std::lock_guard lk(m);
    exec("BEGIN");
    for (const Payloads* p : batches)
      for (auto v : *p) {
        sqlite3_bind_int64(insert, 1, static_cast<sqlite3_int64>(next++));
        sqlite3_bind_int64(insert, 2, 0);
        sqlite3_bind_blob(insert, 3, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
        check(sqlite3_step(insert) == SQLITE_DONE, "sqlite insert");
        sqlite3_reset(insert);
      }
    exec("COMMIT");
  }
  void append(const Payloads& p) override {
    if (group)
      group->append(p);
    else
      write({&p});
  }
  std::size_t drain(std::size_t n) override {
    std::lock_guard lk(m);
    exec("PRAGMA synchronous=NORMAL");  // acknowledgements need not be synced
    sqlite3_stmt* select = nullptr;
    sqlite3_prepare_v2(db, "SELECT seq, payload FROM records WHERE seq > ? ORDER BY seq LIMIT ?",
                       -1, &select, nullptr);
    sqlite3_bind_int64(select, 1, static_cast<sqlite3_int64>(drained));
    sqlite3_bind_int64(select, 2, static_cast<sqlite3_int64>(n));
    std::size_t got = 0;
    std::uint64_t last = drained;
    std::string copy;
    while (sqlite3_step(select) == SQLITE_ROW) {
      last = static_cast<std::uint64_t>(sqlite3_column_int64(select, 0));
      copy.assign(static_cast<const char*>(sqlite3_column_blob(select, 1)),
                  static_cast<std::size_t>(sqlite3_column_bytes(select, 1)));
      ++got;
    }
    sqlite3_finalize(select);
    if (got) {
      std::string del = "DELETE FROM records WHERE seq <= " + std::to_string(last);
      exec(del.c_str());
      drained = last;
    }
    return got;
  }
};

struct LmdbStore : Store {
  MDB_env* env = nullptr;
  MDB_dbi dbi = 0;
  GroupCommit group{[this](const auto& batches) { write(batches); }};
  std::uint64_t next = 1;

  explicit LmdbStore(const std::string& dir) {
    fs::create_directories(dir);
    check(mdb_env_create(&env) == 0, "lmdb create");
    mdb_env_set_mapsize(env, std::size_t(8) << 30);
    check(mdb_env_open(env, dir.c_str(), MDB_NOTLS, 0644) == 0, "lmdb open");
    MDB_txn* txn = nullptr;
    mdb_txn_begin(env, nullptr, 0, &txn);
    check(mdb_dbi_open(txn, nullptr, 0, &dbi) == 0, "lmdb dbi");
    mdb_txn_commit(txn);
  }
  ~LmdbStore() override { mdb_env_close(env); }
  void write(const std::vector<const Payloads*>& batches) {
    MDB_txn* txn = nullptr;
    check(mdb_txn_begin(env, nullptr, 0, &txn) == 0, "lmdb begin");
    for (const Payloads* p : batches)
      for (auto v : *p) {
        std::string k = bigEndian(next++);
        MDB_val key{k.size(), k.data()}, val{v.size(), const_cast<char*>(v.data())};
        check(mdb_put(txn, dbi, &key, &val, MDB_APPEND) == 0, "lmdb put");
      }
    check(mdb_txn_commit(txn) == 0, "lmdb commit");  // synced: data pages, then the meta page
  }
  void append(const Payloads& p) override { group.append(p); }
  std::size_t drain(std::size_t n) override {
    mdb_env_set_flags(env, MDB_NOSYNC, 1);  // acknowledgements need not be synced
    MDB_txn* txn = nullptr;
    mdb_txn_begin(env, nullptr, 0, &txn);
    MDB_cursor* cur = nullptr;
    mdb_cursor_open(txn, dbi, &cur);
    MDB_val key, val;
    std::size_t got = 0;
    std::string copy;
    int rc = mdb_cursor_get(cur, &key, &val, MDB_FIRST);
    while (rc == 0 && got < n) {
      copy.assign(static_cast<const char*>(val.mv_data), val.mv_size);
      check(mdb_cursor_del(cur, 0) == 0, "lmdb del");
      ++got;
      rc = mdb_cursor_get(cur, &key, &val, MDB_GET_CURRENT);
      if (rc != 0) rc = mdb_cursor_get(cur, &key, &val, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    mdb_txn_commit(txn);
    mdb_env_set_flags(env, MDB_NOSYNC, 0);
    return got;
  }
};

struct RocksStore : Store {
  std::unique_ptr<rocksdb::DB> db;
  std::mutex m;
  std::uint64_t next = 1, drained = 0;

  explicit RocksStore(const std::string& dir) {
    rocksdb::Options o;
    o.create_if_missing = true;
    o.enable_pipelined_write = true;
    rocksdb::DB* raw = nullptr;
    auto s = rocksdb::DB::Open(o, dir, &raw);
    check(s.ok(), "rocksdb open: " + s.ToString());
    db.reset(raw);
  }
  void append(const Payloads& p) override {
    rocksdb::WriteBatch batch;
    {
      std::lock_guard lk(m);  // sequence numbers in order of arrival
      for (auto v : p) batch.Put(bigEndian(next++), rocksdb::Slice(v.data(), v.size()));
    }
    rocksdb::WriteOptions w;
    w.sync = true;  // concurrent synced writes join one write group: one fsync
    check(db->Write(w, &batch).ok(), "rocksdb write");
  }
  std::size_t drain(std::size_t n) override {
    std::string lower = bigEndian(drained + 1);
    rocksdb::Slice lowerSlice(lower);
    rocksdb::ReadOptions r;
    r.iterate_lower_bound = &lowerSlice;
    std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(r));
    std::size_t got = 0;
    std::string copy, lastKey;
    for (it->Seek(lowerSlice); it->Valid() && got < n; it->Next()) {
      copy = it->value().ToString();
      lastKey = it->key().ToString();
      ++got;
    }
    if (got) {
      std::uint64_t last = 0;
      for (unsigned char c : lastKey) last = (last << 8) | c;
      std::string end = bigEndian(last + 1);
      db->DeleteRange(rocksdb::WriteOptions(), db->DefaultColumnFamily(), lower, end);
      drained = last;
    }
    return got;
  }
};

std::unique_ptr<Store> makeStore(const std::string& kind, const std::string& dir) {
  if (kind == "log") return std::make_unique<LogStore>(dir);
  if (kind == "sqlite-wal") return std::make_unique<SqliteStore>(dir, true);
  if (kind == "sqlite-1txn") return std::make_unique<SqliteStore>(dir, false);
  if (kind == "lmdb") return std::make_unique<LmdbStore>(dir);
  return std::make_unique<RocksStore>(dir);
}

std::uint64_t diskBytes(const std::string& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

struct Result {
  double appendPerSecond = 0, p50Ms = 0, p99Ms = 0, drainPerSecond = 0, bytesPerRecord = 0;
};

Result runOnce(const std::string& kind, const std::string& dir, int threads, int appends,
               int batch) {
  fs::remove_all(dir);
  auto store = makeStore(kind, dir);
  std::string pad(560, 'x');
  std::vector<std::vector<std::string>> texts(threads);
  for (int t = 0; t < threads; ++t)
    for (int k = 0; k < batch; ++k)
      texts[t].push_back("{\"messageId\":\"m-" + std::to_string(t) + "-" + std::to_string(k) +
                         "\",\"timestamp\":\"2026-01-01T00:00:00.000Z\",\"type\":\"track\","
                         "\"event\":\"Order Completed\",\"message\":{\"pad\":\"" +
                         pad + "\"}}");
  std::vector<double> latencies(static_cast<std::size_t>(threads) * appends);
  auto start = Clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      Payloads views(texts[t].begin(), texts[t].end());
      for (int a = 0; a < appends; ++a) {
        auto t0 = Clock::now();
        store->append(views);
        latencies[static_cast<std::size_t>(t) * appends + a] =
            std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
      }
    });
  for (auto& th : pool) th.join();
  double appendSeconds = std::chrono::duration<double>(Clock::now() - start).count();
  const double records = double(threads) * appends * batch;
  Result r;
  r.appendPerSecond = records / appendSeconds;
  r.bytesPerRecord = double(diskBytes(dir)) / records;
  std::sort(latencies.begin(), latencies.end());
  r.p50Ms = latencies[latencies.size() / 2];
  r.p99Ms = latencies[latencies.size() * 99 / 100];
  start = Clock::now();
  std::size_t drained = 0, got = 0;
  while ((got = store->drain(1000)) > 0) drained += got;
  if (drained != static_cast<std::size_t>(records))
    throw std::runtime_error(kind + " drained " + std::to_string(drained) + " records");
  r.drainPerSecond = records / std::chrono::duration<double>(Clock::now() - start).count();
  store.reset();
  fs::remove_all(dir);
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 5;
  int threads = argc > 2 ? std::atoi(argv[2]) : 16;
  int appends = argc > 3 ? std::atoi(argv[3]) : 100;
  int batch = argc > 4 ? std::atoi(argv[4]) : 50;
  const char* tmp = std::getenv("TMPDIR");
  std::string base = argc > 5 ? argv[5] : (tmp ? tmp : "/tmp");
  std::string work = base + "/spool-stores-" + std::to_string(::getpid());
  const std::vector<std::string> others = {"sqlite-wal", "lmdb", "rocksdb", "sqlite-1txn"};
  std::map<std::string, std::vector<Result>> results;
  std::map<std::string, std::vector<double>> appendRatio, drainRatio;  // store / log, per pair
  std::printf(
      "%d threads x %d appends x %d records of ~700 bytes, %d rounds of A/B pairs "
      "(the log, then the store, or the other way round), in %s\n",
      threads, appends, batch, rounds, base.c_str());
  try {
    for (int round = 0; round < rounds; ++round) {
      for (std::size_t k = 0; k < others.size(); ++k) {
        // Each store runs next to a run of the log, in alternating order.
        std::vector<std::string> pair = {"log", others[k]};
        if ((round + k) % 2) std::swap(pair[0], pair[1]);
        Result r[2];
        for (int j = 0; j < 2; ++j) {
          r[j] = runOnce(pair[j], work + "/" + pair[j], threads, appends, batch);
          std::fprintf(stderr,
                       "round %d %-11s append %8.0f rec/s p50 %6.2f ms p99 %6.2f ms, "
                       "drain %8.0f rec/s\n",
                       round + 1, pair[j].c_str(), r[j].appendPerSecond, r[j].p50Ms, r[j].p99Ms,
                       r[j].drainPerSecond);
          results[pair[j]].push_back(r[j]);
        }
        const Result& log = pair[0] == "log" ? r[0] : r[1];
        const Result& other = pair[0] == "log" ? r[1] : r[0];
        appendRatio[others[k]].push_back(other.appendPerSecond / log.appendPerSecond);
        drainRatio[others[k]].push_back(other.drainPerSecond / log.drainPerSecond);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "spool_stores: %s\n", e.what());
    fs::remove_all(work);
    return 1;
  }
  fs::remove_all(work);
  std::printf("%-12s %13s %8s %8s %13s %10s %15s %14s\n", "store", "append rec/s", "p50 ms",
              "p99 ms", "drain rec/s", "disk B/rec", "append vs log", "drain vs log");
  std::vector<std::string> kinds = {"log"};
  kinds.insert(kinds.end(), others.begin(), others.end());
  for (const auto& kind : kinds) {
    std::vector<double> a, p50, p99, d, b;
    for (const auto& r : results[kind]) {
      a.push_back(r.appendPerSecond);
      p50.push_back(r.p50Ms);
      p99.push_back(r.p99Ms);
      d.push_back(r.drainPerSecond);
      b.push_back(r.bytesPerRecord);
    }
    const double vsAppend = kind == "log" ? 1.0 : median(appendRatio[kind]);
    const double vsDrain = kind == "log" ? 1.0 : median(drainRatio[kind]);
    std::printf("%-12s %13.0f %8.2f %8.2f %13.0f %10.0f %15.2f %14.2f\n", kind.c_str(), median(a),
                median(p50), median(p99), median(d), median(b), vsAppend, vsDrain);
  }
  return 0;
}
