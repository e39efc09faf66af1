// Input: an FQL expression and an event separated by a newline. Parses and matches.
#include <cstdint>
#include <string_view>

#include "json/json.h"
#include "subscription/subscription.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  std::string_view expression = text.substr(0, nl);
  std::string_view eventText = nl == std::string_view::npos ? "{}" : text.substr(nl + 1);
  actions::json::Document eventDoc;
  if (actions::json::parse(eventText, eventDoc)) eventDoc.SetObject();
  try {
    auto sub = actions::subscription::Subscription::parse(expression);
    (void)sub.matches(eventDoc);
  } catch (const actions::subscription::SubscriptionError&) {
  }
  return 0;
}
