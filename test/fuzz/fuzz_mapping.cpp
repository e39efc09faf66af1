// Input: a mapping and an event separated by a newline. Compiles the mapping, applies it.
#include <cstdint>
#include <string_view>

#include "json/json.h"
#include "mapping/mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto nl = text.find('\n');
  std::string_view mappingText = text.substr(0, nl);
  std::string_view eventText = nl == std::string_view::npos ? "{}" : text.substr(nl + 1);
  actions::json::Document mappingDoc, eventDoc;
  if (actions::json::parse(mappingText, mappingDoc) || actions::json::parse(eventText, eventDoc))
    return 0;
  try {
    auto compiled = actions::mapping::CompiledMapping::compile(mappingDoc);
    actions::json::Document out;
    actions::json::Value result;
    if (compiled.apply(eventDoc, result, out.GetAllocator()))
      (void)actions::json::stringify(result);
  } catch (const actions::mapping::MappingError&) {
  } catch (const actions::mapping::ApplyError&) {
  }
  return 0;
}
