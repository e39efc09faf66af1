#include "liquid/error.h"

#include "json/js_text.h"
#include "json/json.h"

namespace actions::liquid {
namespace {

// 1-based line and column (in UTF-16 units, as liquidjs counts them) of byte `offset`.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view source, std::size_t offset) {
  std::size_t line = 1;
  std::size_t column = 1;
  offset = std::min(offset, source.size());
  for (std::size_t i = 0; i < offset;) {
    if (source[i] == '\n') {
      ++line;
      column = 1;
      ++i;
      continue;
    }
    json::text::Decoded d = json::text::decodeAt(source, i);
    column += json::text::utf16Units(d.codePoint);
    i += d.length;
  }
  return {line, column};
}

}  // namespace

std::string withPosition(std::string_view source, std::size_t offset, std::string_view message) {
  auto [line, column] = lineColumn(source, offset);
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
  if (json::text::utf16Length(s) > kWidth) {
    cut.assign(s.substr(0, json::text::offsetOfUtf16(s, kWidth - 3)));
    cut.append("...");
    s = cut;
  }
  std::string out;
  json::appendQuoted(s, out);
  return out;
}

}  // namespace actions::liquid
