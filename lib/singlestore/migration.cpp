#include "singlestore/migration.h"

#include <algorithm>
#include <charconv>

#include "db/error.h"

namespace actions::singlestore {
namespace {

std::string literal(db::Connection& c, std::string_view value) {
  std::string out = "'";
  c.appendEscaped(value, out);
  out += "'";
  return out;
}

// Column names of `table` and the collation of its messageId column ("" for a binary type);
// no names when the table does not exist (or the user cannot see it).
struct ColumnsOf {
  std::vector<std::string> names;
  std::string messageIdCollation;
};

ColumnsOf columnsOf(db::Connection& c, const TableRef& table) {
  ColumnsOf out;
  for (auto& row :
       c.query("SELECT COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS "
               "WHERE TABLE_SCHEMA = " +
               literal(c, table.database) + " AND TABLE_NAME = " + literal(c, table.table))) {
    if (row.empty() || !row[0]) continue;
    out.names.push_back(*row[0]);
    std::string name = *row[0];
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    if (name == "messageid" && row.size() > 1 && row[1]) out.messageIdCollation = *row[1];
  }
  return out;
}

std::uint64_t number(const std::optional<std::string>& text) {
  std::uint64_t n = 0;
  if (text) std::from_chars(text->data(), text->data() + text->size(), n);
  return n;
}

// Seconds since the epoch of 'YYYY-MM-DD HH:MM:SS[.ffffff]' (the server's DATETIME text).
std::optional<std::int64_t> epochSeconds(const std::optional<std::string>& text) {
  if (!text || text->size() < 19) return std::nullopt;
  auto field = [&](std::size_t at, std::size_t length) {
    int v = 0;
    std::from_chars(text->data() + at, text->data() + at + length, v);
    return v;
  };
  int y = field(0, 4), m = field(5, 2), d = field(8, 2);
  // Days from the civil date (H. Hinnant's algorithm).
  y -= m <= 2;
  int era = (y >= 0 ? y : y - 399) / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = static_cast<std::int64_t>(era) * 146097 + doe - 719468;
  return days * 86400 + field(11, 2) * 3600 + field(14, 2) * 60 + field(17, 2);
}

std::string describe(const ChunkRange& range) {
  return "timestamps " + (range.from ? "from " + *range.from : std::string("from the first")) +
         (range.to ? " to before " + *range.to : std::string(" to the last"));
}

}  // namespace

MigrationResult migrateTable(const Settings& settings, const MigrationOptions& options) {
  MigrationResult result;
  result.source = makeTableRef(settings.dbName, options.fromTable);
  result.destination = makeTableRef(settings.dbName, settings.tableName);
  if (result.source.table == result.destination.table)
    throw db::Error(0, "",
                    "--from names the settings' own tableName " + result.destination.qualified() +
                        ": migrate-table copies another table into it; set tableName to a new "
                        "table",
                    db::ErrorClass::Fatal);
  if (options.chunkRows == 0)
    throw db::Error(0, "", "the chunk size must be at least one row", db::ErrorClass::Fatal);

  db::ConnectOptions connect = settings.connectOptions();
  // One chunk is one statement over up to chunkRows rows: it may run for minutes on a loaded
  // server, longer than a delivery's read timeout.
  connect.readTimeoutSec = std::max(connect.readTimeoutSec, 3600u);
  db::Connection c(connect);
  result.dialect = detectDialect(c);

  ColumnsOf source = columnsOf(c, result.source);
  if (source.names.empty())
    throw db::Error(0, "",
                    "table " + result.source.qualified() +
                        " does not exist (or the settings' user cannot see it)",
                    db::ErrorClass::Fatal);
  std::string why;
  auto layout = recognizeLayout(source.names, &why);
  if (!layout)
    throw db::Error(0, "", "table " + result.source.qualified() + " cannot be migrated: " + why,
                    db::ErrorClass::Fatal);
  result.layout = *layout;

  ServerTraits server = serverTraits(c, result.dialect);
  ColumnsOf destination = columnsOf(c, result.destination);
  result.destinationCreated = destination.names.empty();
  if (options.dryRun) {
    // An existing destination is checked as a run would check it (which only reads it).
    if (result.destinationCreated)
      result.statements.push_back(createTableSql(server, result.destination));
    else
      ensureTable(c, result.dialect, result.destination);
  } else {
    // Created when missing, checked when it exists: the same table send would write to.
    ensureTable(c, result.dialect, result.destination);
    destination = columnsOf(c, result.destination);
  }
  // A dry run's missing destination would be created with the server's exact collation.
  MigrationTables tables{result.dialect, result.layout, result.source, result.destination,
                         destination.names.empty() ? std::string(server.exactCollation())
                                                   : destination.messageIdCollation};
  MigrationStatements sql(tables);

  auto survey = c.query(sql.survey());
  if (survey.empty() || survey[0].size() < 4 + MigrationStatements::unstorableReasons().size())
    throw db::Error(0, "", "the server gave no answer to the survey of the source table",
                    db::ErrorClass::Fatal);
  const db::Row& s = survey[0];
  result.sourceRows = number(s[0]);
  result.unstorableRows = number(s[3]);
  for (std::size_t i = 0; i < MigrationStatements::unstorableReasons().size(); ++i)
    if (std::uint64_t n = number(s[4 + i]); n > 0)
      result.unstorableByReason.emplace_back(MigrationStatements::unstorableReasons()[i], n);
  if (result.unstorableRows > 0)
    for (auto& row : c.query(sql.unstorableExamples(5)))
      if (row.size() == 2)
        result.unstorableExamples.emplace_back(row[0].value_or("(NULL)"), row[1].value_or(""));

  std::uint64_t storable = result.sourceRows - std::min(result.sourceRows, result.unstorableRows);
  std::size_t expected =
      static_cast<std::size_t>((storable + options.chunkRows - 1) / options.chunkRows);
  auto first = epochSeconds(s[1]), last = epochSeconds(s[2]);
  if (expected <= 1 || !first || !last) {
    result.chunks.push_back({});
  } else {
    HistogramUnit unit = histogramUnit(*last - *first, expected);
    std::vector<std::pair<std::string, std::uint64_t>> buckets;
    for (auto& row : c.query(sql.histogram(unit)))
      if (row.size() == 2 && row[0]) buckets.emplace_back(*row[0], number(row[1]));
    try {
      result.chunks = planChunks(buckets, unit, options.chunkRows);
    } catch (const std::invalid_argument& e) {
      throw db::Error(0, "", e.what(), db::ErrorClass::Fatal);
    }
  }

  if (options.dryRun) {
    result.distinctMessageIds = number(c.query(sql.distinctMessageIds()).at(0).at(0));
    result.alreadyStored =
        result.destinationCreated ? 0 : number(c.query(sql.alreadyStored()).at(0).at(0));
    for (auto& range : result.chunks) result.statements.push_back(sql.copyChunk(range));
    return result;
  }

  std::optional<db::Connection> writer(std::move(c));
  for (std::size_t i = 0; i < result.chunks.size(); ++i) {
    const ChunkRange& range = result.chunks[i];
    std::string statement = sql.copyChunk(range);
    Backoff backoff(options.retry);
    std::uint64_t inserted = 0;
    for (;;) {
      try {
        if (!writer) writer.emplace(connect);
        // query(), not execute(): execute() drains further results, which resets the count.
        writer->query(statement);
        inserted = writer->affectedRows();
        break;
      } catch (const db::Error& e) {
        // Running the chunk again is safe: it stores only what is not stored yet.
        bool transient =
            e.retryable() || e.errorClass() == db::ErrorClass::Duplicate || e.outcomeUnknown();
        if (transient && backoff.waitAfterFault()) {
          // A connection that failed mid-statement is not reused; a refused one is not open.
          if (e.outcomeUnknown() || e.retryable()) writer.reset();
          continue;
        }
        throw db::Error(e.code(), e.sqlstate(),
                        "chunk " + std::to_string(i + 1) + " of " +
                            std::to_string(result.chunks.size()) + " (" + describe(range) +
                            ") failed: " + e.what(),
                        e.errorClass());
      }
    }
    result.inserted += inserted;
    if (options.onChunk) options.onChunk({i, result.chunks.size(), inserted, range});
  }
  return result;
}

}  // namespace actions::singlestore
