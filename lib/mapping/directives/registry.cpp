#include "mapping/directives/registry.h"

namespace actions::mapping::directives {
namespace {

struct Entry {
  std::string_view name;
  Compile compile;
};

constexpr Entry kDirectives[] = {
    {"@if", compileIf},
    {"@case", compileCase},
    {"@replace", compileReplace},
    {"@arrayPath", compileArrayPath},
    {"@path", compilePath},
    {"@template", compileTemplate},
    {"@literal", compileLiteral},
    {"@flatten", compileFlatten},
    {"@json", compileJson},
    {"@merge", compileMerge},
    {"@transform", compileTransform},
    {"@excludeWhenNull", compileExcludeWhenNull},
    {"@liquid", compileLiquid},
};

}  // namespace

Compile find(std::string_view name) {
  for (const auto& e : kDirectives)
    if (e.name == name) return e.compile;
  return nullptr;
}

const Value* option(const Value& options, std::string_view key) {
  if (!options.IsObject()) return nullptr;
  auto it = options.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
  return it == options.MemberEnd() ? nullptr : &it->value;
}

bool truthyOption(const Value& options, std::string_view key) {
  const Value* v = option(options, key);
  return v && js::truthy(*v);
}

}  // namespace actions::mapping::directives
