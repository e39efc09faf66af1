// UTF-8 walking for the places where JavaScript counts or maps characters (UTF-16 units).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace actions::mapping::js {

// Decodes the code point at `s[i]` and advances `i`. A malformed byte decodes as U+FFFD and
// advances by one, so a walk always terminates.
char32_t decodeUtf8(std::string_view s, std::size_t& i);
void appendUtf8(char32_t cp, std::string& out);

// JavaScript's String length: UTF-16 code units.
std::size_t utf16Length(std::string_view s);

}  // namespace actions::mapping::js
