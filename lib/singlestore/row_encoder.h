// Stage 1 of the data path: a validated Send Data payload becomes one row of the table, or the
// reason it cannot be stored as it is (docs/contracts.md: never truncated silently). Pure: no
// server, no escaping — that is the statement builder's job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "json/json.h"

namespace actions::singlestore {

// One row, as the columns hold it.
struct Row {
  std::string database;  // the payload's `database`; empty: the settings' dbName
  std::string messageId;
  std::string type;
  std::optional<std::string> event;  // NULL when absent
  int64_t timestampMicros = 0;       // UTC, microseconds since the epoch (kit::parseTimestamp)
  std::string message;               // JSON.stringify of the payload's message
};

// The VARCHAR(255) columns count characters, as the server does.
inline constexpr std::size_t kMaxVarcharChars = 255;

// Fills `row` from `payload` (an object with messageId, timestamp, type, optional event,
// message, optional database). Returns the reason the payload cannot become a row — a missing or
// mistyped field, a value over 255 characters, text that is not UTF-8, an unusable timestamp or
// database name — or an empty string when `row` is ready.
std::string encodeRow(const json::Value& payload, Row& row);

// The payload's max_batch_size when it carries a usable one.
std::optional<std::size_t> maxBatchSizeOf(const json::Value& payload);

// Characters in UTF-8 text, or nullopt when `text` is not valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF are invalid).
std::optional<std::size_t> utf8Length(std::string_view text);

}  // namespace actions::singlestore
