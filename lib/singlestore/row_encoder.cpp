#include "singlestore/row_encoder.h"

#include <fmt/format.h>

#include <cmath>

#include "kit/timestamp.h"
#include "singlestore/settings.h"

namespace actions::singlestore {
namespace {

// Reads a required or optional text column; returns the problem, or empty.
std::string textColumn(const json::Value& payload, const char* key, bool required,
                       std::optional<std::string>& out) {
  auto it = payload.FindMember(key);
  if (it == payload.MemberEnd() || it->value.IsNull()) {
    if (required) return fmt::format("{} is required", key);
    out.reset();
    return "";
  }
  if (!it->value.IsString()) return fmt::format("{} must be a string", key);
  std::string_view text(it->value.GetString(), it->value.GetStringLength());
  if (required && text.empty()) return fmt::format("{} must not be empty", key);
  auto chars = utf8Length(text);
  if (!chars) return fmt::format("{} is not valid UTF-8 text", key);
  if (*chars > kMaxVarcharChars)
    return fmt::format("{} has {} characters but the column holds at most {}", key, *chars,
                       kMaxVarcharChars);
  out.emplace(text);
  return "";
}

}  // namespace

std::optional<std::size_t> utf8Length(std::string_view s) {
  std::size_t chars = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    std::size_t n;
    uint32_t cp;
    if (c < 0x80) {
      ++p;
      ++chars;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      n = 2, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 3, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 4, cp = c & 0x07;
    } else {
      return std::nullopt;
    }
    if (static_cast<std::size_t>(end - p) < n) return std::nullopt;
    for (std::size_t i = 1; i < n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < minimum[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
    p += n;
    ++chars;
  }
  return chars;
}

std::string encodeRow(const json::Value& payload, Row& row) {
  if (!payload.IsObject()) return "the payload must be an object";
  std::optional<std::string> text;
  if (auto why = textColumn(payload, "messageId", true, text); !why.empty()) return why;
  row.messageId = std::move(*text);
  if (auto why = textColumn(payload, "type", true, text); !why.empty()) return why;
  row.type = std::move(*text);
  if (auto why = textColumn(payload, "event", false, text); !why.empty()) return why;
  row.event = std::move(text);

  auto ts = payload.FindMember("timestamp");
  if (ts == payload.MemberEnd() || ts->value.IsNull()) return "timestamp is required";
  auto parsed = kit::parseTimestamp(ts->value);
  if (!parsed.micros) return parsed.error;
  row.timestampMicros = *parsed.micros;

  auto message = payload.FindMember("message");
  if (message == payload.MemberEnd() || message->value.IsNull()) return "message is required";
  row.message.clear();
  json::stringify(message->value, row.message);

  row.database.clear();
  auto db = payload.FindMember("database");
  if (db != payload.MemberEnd() && !db->value.IsNull()) {
    if (!db->value.IsString()) return "database must be a string";
    std::string_view name(db->value.GetString(), db->value.GetStringLength());
    if (!name.empty()) {
      if (auto why = databaseProblem(name); !why.empty()) return "database " + why;
      if (!utf8Length(name)) return "database is not valid UTF-8 text";
      row.database.assign(name);
    }
  }
  return "";
}

std::optional<std::size_t> maxBatchSizeOf(const json::Value& payload) {
  if (!payload.IsObject()) return std::nullopt;
  auto it = payload.FindMember("max_batch_size");
  if (it == payload.MemberEnd() || !it->value.IsNumber()) return std::nullopt;
  double d = json::toDouble(it->value);
  if (!std::isfinite(d) || d < 1) return std::nullopt;
  return static_cast<std::size_t>(std::min(d, 1e9));
}

}  // namespace actions::singlestore
