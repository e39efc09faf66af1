#include "singlestore/load_settlement.h"

namespace actions::singlestore {

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
