// The body of a 200 answer: {"success":true}, and the skipped and rejected events listed with
// their reasons, so nothing a client sent vanishes without a word. The lists are capped (a body
// of 250,000 non-objects must not become a 40 MB answer); the totals always count everything.
#include <fmt/format.h>

#include <cctype>

#include "actions/tracking.h"
#include "json/json.h"

namespace actions::tracking {
namespace {

void appendEntry(const EventAnswer& a, std::string& out) {
  out += "{\"index\":";
  out += std::to_string(a.index);
  out += ",\"messageId\":";
  if (a.messageId)
    json::appendQuoted(*a.messageId, out);
  else
    out += "null";
  out += ",\"reason\":";
  json::appendQuoted(a.reason, out);
  out += ",\"status\":";
  out += std::to_string(a.status);
  if (!a.errorType.empty()) {
    out += ",\"errorType\":";
    json::appendQuoted(a.errorType, out);
  }
  out += ",\"error\":";
  json::appendQuoted(a.error, out);
  out += '}';
}

struct Listing {
  std::string entries;
  std::size_t total = 0;
};

}  // namespace

std::string successBody(const std::vector<EventAnswer>& answers, const AnswerLimits& limits) {
  Listing skipped, rejected;
  std::size_t listed = 0, bytes = 0;
  std::string entry;
  for (const auto& a : answers) {
    Listing* list = a.outcome == Outcome::Skipped    ? &skipped
                    : a.outcome == Outcome::Rejected ? &rejected
                                                     : nullptr;
    if (!list) continue;
    ++list->total;
    if (listed >= limits.maxListed) continue;
    entry.clear();
    appendEntry(a, entry);
    if (bytes + entry.size() > limits.maxBytes) {
      listed = limits.maxListed;  // the lists stop here; later, shorter entries are not added
      continue;
    }
    if (!list->entries.empty()) list->entries += ',';
    list->entries += entry;
    bytes += entry.size() + 1;
    ++listed;
  }
  std::string out = "{\"success\":true";
  for (auto [name, list] : {std::pair{"skipped", &skipped}, std::pair{"rejected", &rejected}}) {
    if (!list->total) continue;
    out += fmt::format(",\"{}\":[{}],\"{}Total\":{}", name, list->entries, name, list->total);
  }
  out += '}';
  return out;
}

std::string reasonOf(Outcome outcome, std::string_view errorType) {
  switch (outcome) {
    case Outcome::Skipped:
      return "subscription";
    case Outcome::Rejected:
      return "validation";
    case Outcome::Failed: {
      std::string r(errorType.empty() ? std::string_view("unknown_error") : errorType);
      for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return r;
    }
    case Outcome::Inserted:
    case Outcome::Duplicate:
    case Outcome::Validated:
      break;
  }
  return "";
}

}  // namespace actions::tracking
