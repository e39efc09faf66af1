// Parses arbitrary bytes and, when they are JSON, checks that writing and re-reading is stable.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "json/json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  actions::json::Document doc;
  if (actions::json::parse(text, doc)) return 0;
  std::string once = actions::json::stringify(doc);
  actions::json::Document again;
  if (actions::json::parse(once, again)) std::abort();  // our own output must always parse
  if (actions::json::stringify(again) != once) std::abort();
  (void)actions::json::toJsString(doc);
  return 0;
}
