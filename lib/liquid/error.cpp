#include "liquid/error.h"

#include "json/json.h"
#include "liquid/text.h"

namespace actions::liquid {

std::string withPosition(std::string_view source, std::size_t offset, std::string_view message) {
  auto [line, column] = text::lineColumn(source, offset);
  std::string out(message);
  out.append(", line:").append(std::to_string(line));
  out.append(", col:").append(std::to_string(column));
  return out;
}

void throwAt(std::string_view source, std::size_t offset, std::string_view message) {
  throw LiquidError(withPosition(source, offset, message));
}

std::string snapshot(std::string_view s) {
  constexpr std::size_t kWidth = 32;
  std::string cut;
  if (text::utf16Length(s) > kWidth) {
    cut.assign(s.substr(0, text::offsetOfUtf16(s, kWidth - 3)));
    cut.append("...");
    s = cut;
  }
  std::string out;
  json::appendQuoted(s, out);
  return out;
}

}  // namespace actions::liquid
