#include "cors.h"

#include <algorithm>
#include <cctype>

namespace serve {
namespace {

// What analytics.js sends besides the CORS-safelisted headers.
constexpr std::string_view kDefaultAllowedHeaders = "Content-Type, Authorization, X-Retry-Count";
constexpr std::size_t kMaxRequestedHeaders = 512;

bool hasHeader(const Answer& a, std::string_view name) {
  return std::any_of(a.headers.begin(), a.headers.end(),
                     [&](const auto& h) { return h.first == name; });
}

// A list of header names: letters, digits, '-', ',' and spaces only, so it can be echoed.
bool headerList(std::string_view s) {
  if (s.empty() || s.size() > kMaxRequestedHeaders) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ',' || c == ' ';
  });
}

}  // namespace

Cors::Cors(std::vector<std::string> origins) {
  for (auto& o : origins) {
    if (o == "*") continue;
    while (!o.empty() && o.back() == '/') o.pop_back();
    origins_.push_back(std::move(o));
  }
  any_ = origins_.empty();
}

bool Cors::allows(std::string_view origin) const {
  if (any_ || origin.empty()) return true;
  return std::find(origins_.begin(), origins_.end(), origin) != origins_.end();
}

void Cors::decorate(Answer& answer, std::string_view origin) const {
  if (hasHeader(answer, "Access-Control-Allow-Origin")) return;
  if (any_) {
    answer.headers.emplace_back("Access-Control-Allow-Origin", "*");
  } else {
    if (!hasHeader(answer, "Vary")) answer.headers.emplace_back("Vary", "Origin");
    if (origin.empty() || !allows(origin)) return;
    answer.headers.emplace_back("Access-Control-Allow-Origin", std::string(origin));
  }
  answer.headers.emplace_back("Access-Control-Expose-Headers", "Retry-After");
}

Answer Cors::preflight(std::string_view origin, std::string_view requestedHeaders) const {
  if (!allows(origin)) {
    Answer refused = errorAnswer(403, "this origin may not send events here (--cors-origin)");
    decorate(refused, origin);
    return refused;
  }
  Answer a;
  a.status = 204;
  a.contentType.clear();
  decorate(a, origin);
  a.headers.emplace_back("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
  a.headers.emplace_back("Access-Control-Allow-Headers", headerList(requestedHeaders)
                                                             ? std::string(requestedHeaders)
                                                             : std::string(kDefaultAllowedHeaders));
  a.headers.emplace_back("Access-Control-Max-Age", "86400");
  return a;
}

}  // namespace serve
