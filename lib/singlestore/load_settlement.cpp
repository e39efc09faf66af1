#include "singlestore/load_settlement.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>

#include "db/error.h"

namespace actions::singlestore {
namespace {

unsigned number(const std::optional<std::string>& text) {
  return text ? static_cast<unsigned>(std::strtoul(text->c_str(), nullptr, 10)) : 0;
}

bool mentionsDuplicate(std::string_view message) {
  constexpr std::string_view word = "duplicate";
  return std::search(message.begin(), message.end(), word.begin(), word.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != message.end();
}

}  // namespace

std::vector<Notice> noticesFrom(const std::vector<db::Row>& rows) {
  std::vector<Notice> out;
  for (const auto& r : rows)
    if (r.size() >= 3) out.push_back({r[0].value_or(""), number(r[1]), r[2].value_or("")});
  return out;
}

bool ignoredClause(unsigned code) {
  switch (code) {
    case 1235:  // ER_NOT_SUPPORTED_YET
    case 1287:  // ER_WARN_DEPRECATED_SYNTAX
    case 1706:  // SingleStore: "Feature '...' is not supported by SingleStore"
      return true;
    default:
      return false;
  }
}

bool duplicateKey(unsigned code, std::string_view message) {
  return db::classify(code, "23000", message) == db::ErrorClass::Duplicate ||
         mentionsDuplicate(message);
}

std::vector<SkippedLine> skippedFrom(const std::vector<db::Row>& rows) {
  std::vector<SkippedLine> out;
  for (const auto& r : rows)
    if (r.size() >= 3) out.push_back({number(r[0]), number(r[1]), r[2].value_or("")});
  return out;
}

std::optional<std::vector<LoadVerdict>> judgeLoad(std::size_t sent, std::uint64_t stored,
                                                  const std::vector<SkippedLine>& skipped,
                                                  const std::vector<Notice>& notices) {
  for (const Notice& n : notices)
    if (!ignoredClause(n.code) && !duplicateKey(n.code, n.message)) return std::nullopt;
  std::set<std::size_t> lines;
  for (const SkippedLine& s : skipped) {
    if (s.line < 1 || s.line > sent || !duplicateKey(s.code, s.message)) return std::nullopt;
    lines.insert(s.line);
  }
  if (stored + lines.size() != sent) return std::nullopt;
  std::vector<LoadVerdict> verdicts(sent, LoadVerdict::Inserted);
  for (std::size_t line : lines) verdicts[line - 1] = LoadVerdict::Duplicate;
  return verdicts;
}

std::vector<Settlement> settleLoadedRows(const std::vector<SentRow>& rows,
                                         std::uint64_t storedByLoad) {
  std::size_t exact = 0, differing = 0;
  for (const SentRow& r : rows) {
    if (r.stored == SentRow::Stored::Exactly) ++exact;
    if (r.stored == SentRow::Stored::Otherwise) ++differing;
  }
  const std::uint64_t altered = storedByLoad > exact ? storedByLoad - exact : 0;
  std::vector<Settlement> out;
  out.reserve(rows.size());
  for (const SentRow& r : rows) {
    switch (r.stored) {
      case SentRow::Stored::No:
        out.push_back(Settlement::NotStored);
        break;
      case SentRow::Stored::Exactly:
        out.push_back(Settlement::Inserted);
        break;
      case SentRow::Stored::Otherwise: {
        bool ours = altered > 0 && (differing <= altered || r.warned);
        out.push_back(ours ? Settlement::OursAltered : Settlement::Duplicate);
        break;
      }
    }
  }
  return out;
}

std::size_t warnedLine(std::string_view message) {
  constexpr std::string_view word = "row ";
  std::size_t at = message.rfind(word);
  if (at == std::string_view::npos) return 0;
  std::size_t line = 0, i = at + word.size();
  for (; i < message.size() && message[i] >= '0' && message[i] <= '9'; ++i)
    line = line * 10 + static_cast<std::size_t>(message[i] - '0');
  return i == at + word.size() ? 0 : line;
}

}  // namespace actions::singlestore
