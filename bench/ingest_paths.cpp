// Which statement takes new rows fastest: the writer (BatchWriter) stores the same rows four
// times, each into a fresh table like segment_raw_data, once per path it can take — arrays of
// parameters (MariaDB's bulk execution), LOAD DATA LOCAL INFILE from memory in a transaction (the
// way SingleStore's Kafka connector runs it), the same in autocommit then settled (SingleStore's
// fallback), and multi-row INSERT (the path when the server allows neither). One connection, the
// same chunk size for all, so the statement is the only difference. Prints one JSON line per path.
//
// usage: ingest_paths SETTINGS.json ROWS.tsv [ROWS_PER_STATEMENT]
// ROWS.tsv: the rows in LOAD DATA's default format, as bench/baseline_rows.py writes them.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "db/pool.h"
#include "kit/timestamp.h"
#include "singlestore/batch_writer.h"
#include "singlestore/settings.h"
#include "singlestore/table.h"

namespace {

namespace ss = actions::singlestore;
namespace db = actions::db;

// One field of the default LOAD DATA format, unescaped; nullopt for \N.
std::optional<std::string> field(std::string_view text) {
  if (text == "\\N") return std::nullopt;
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == '0' ? '\0' : c;
  }
  return out;
}

std::vector<ss::Row> readRows(const char* path) {
  std::ifstream in(path);
  std::vector<ss::Row> rows;
  for (std::string line; std::getline(in, line);) {
    std::vector<std::optional<std::string>> f;
    for (std::size_t start = 0;;) {
      std::size_t tab = line.find('\t', start);
      f.push_back(field(std::string_view(line).substr(start, tab - start)));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (f.size() != 5 || !f[0] || !f[1] || !f[3] || !f[4]) {
      std::fprintf(stderr, "%s: line %zu is not a row of 5 fields\n", path, rows.size() + 1);
      std::exit(2);
    }
    ss::Row r;
    r.message = std::move(*f[0]);
    auto when = actions::kit::parseTimestamp(*f[1] + "Z");
    if (!when.micros) {
      std::fprintf(stderr, "%s: line %zu: %s\n", path, rows.size() + 1, when.error.c_str());
      std::exit(2);
    }
    r.timestampMicros = *when.micros;
    r.event = std::move(f[2]);
    r.messageId = std::move(*f[3]);
    r.type = std::move(*f[4]);
    rows.push_back(std::move(r));
  }
  return rows;
}

enum class Path { Arrays, LoadData, LoadDataSettled, Insert };

struct Timing {
  double seconds = 0;
  std::size_t inserted = 0;
};

Timing store(const ss::Settings& settings, Path path, const std::vector<const ss::Row*>& rows,
             std::size_t perStatement, const std::string& table) {
  auto options = settings.connectOptions();
  options.localInfile = true;
  db::PoolOptions one;
  one.maxOpen = one.maxIdle = 1;
  auto pool = db::ConnectionPool::shared(options, one);
  auto ref = ss::makeTableRef(settings.dbName, table);
  ss::Dialect dialect;
  {
    auto lease = pool->acquire();
    lease->execute("DROP TABLE IF EXISTS " + ref.qualified());
    dialect = ss::detectDialect(*lease);
    ss::ensureTable(*lease, dialect, ref);
  }
  ss::BulkFlags flags;
  std::optional<ss::BulkLoad> bulk;
  if (path == Path::Arrays) bulk = ss::BulkLoad{dialect, &flags, true};
  if (path == Path::LoadData)
    bulk = ss::BulkLoad{dialect, &flags, false, ss::defaultLoadMode(dialect)};
  if (path == Path::LoadDataSettled)
    bulk = ss::BulkLoad{dialect, &flags, false, ss::LoadMode::Settle};
  ss::BatchWriter writer(pool, ref, {}, bulk);
  Timing t;
  auto start = std::chrono::steady_clock::now();
  // Chunks as send hands them to a lane: each write() gets one batch.
  for (std::size_t at = 0; at < rows.size(); at += perStatement) {
    std::size_t n = std::min(perStatement, rows.size() - at);
    auto results = writer.write(std::span(rows).subspan(at, n), perStatement);
    for (auto& r : results) t.inserted += r.outcome == actions::kit::Outcome::Inserted;
  }
  t.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (flags.loadRefused || flags.arraysRefused) {
    std::fprintf(stderr, "the server refused the path under test\n");
    std::exit(1);
  }
  pool->acquire()->execute("DROP TABLE " + ref.qualified());
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s SETTINGS.json ROWS.tsv [ROWS_PER_STATEMENT]\n", argv[0]);
    return 2;
  }
  auto loaded = ss::loadSettingsFile(argv[1]);
  if (!loaded.settings) {
    std::fprintf(stderr, "%s: %s\n", argv[1],
                 loaded.problems.empty() ? "unusable" : loaded.problems[0].c_str());
    return 2;
  }
  const std::size_t perStatement = argc > 3 ? std::stoul(argv[3]) : 1000;
  auto rows = readRows(argv[2]);
  std::vector<const ss::Row*> ptrs;
  for (auto& r : rows) ptrs.push_back(&r);

  // Untimed: a tenth of the rows through each path, so no path pays for a cold server alone.
  std::vector<const ss::Row*> head(ptrs.begin(), ptrs.begin() + ptrs.size() / 10);
  for (Path p : {Path::Arrays, Path::LoadData, Path::LoadDataSettled, Path::Insert})
    store(*loaded.settings, p, head, perStatement, "ingest_warm_up");

  const std::pair<Path, const char*> paths[] = {
      {Path::Arrays, "arrays"},
      {Path::LoadData, "load_data"},                 // in a transaction, kept only when clean
      {Path::LoadDataSettled, "load_data_settled"},  // autocommit, then settled
      {Path::Insert, "insert"}};
  for (auto [path, name] : paths) {
    Timing t = store(*loaded.settings, path, ptrs, perStatement, std::string("ingest_") + name);
    if (t.inserted != rows.size()) {
      std::fprintf(stderr, "%s stored %zu of %zu rows\n", name, t.inserted, rows.size());
      return 1;
    }
    std::printf("{\"path\":\"%s\",\"rows\":%zu,\"rows_per_statement\":%zu,\"seconds\":%.3f}\n",
                name, rows.size(), perStatement, t.seconds);
  }
  return 0;
}
