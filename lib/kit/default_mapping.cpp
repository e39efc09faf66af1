#include "kit/default_mapping.h"

#include <stdexcept>

namespace actions::kit {

void defaultMapping(const ActionDefinition& action, json::Document& out) {
  if (!action.defaultMappingJson.empty()) {
    if (auto err = json::parse(action.defaultMappingJson, out))
      throw std::invalid_argument("the default mapping is not JSON: " + err->describe());
    return;
  }
  out.SetObject();
  auto& alloc = out.GetAllocator();
  for (const auto& [key, field] : action.fields) {
    if (!field.defaultJson) continue;
    json::Document d;
    if (auto err = json::parse(*field.defaultJson, d))
      throw std::invalid_argument("the default of field " + key +
                                  " is not JSON: " + err->describe());
    out.AddMember(json::Value(key.c_str(), alloc), json::Value(d, alloc), alloc);
  }
}

}  // namespace actions::kit
