#include "liquid/filters.h"

#include <algorithm>
#include <string>
#include <vector>

#include "liquid/error.h"
#include "liquid/filter_groups.h"

namespace actions::liquid {
namespace {

// Segment registers these to throw when they run (they are harmless to parse).
constexpr std::string_view kDisabled[] = {"array_to_sentence_string",
                                          "concat",
                                          "find",
                                          "find_exp",
                                          "find_index",
                                          "find_index_exp",
                                          "group_by",
                                          "group_by_exp",
                                          "has",
                                          "has_exp",
                                          "map",
                                          "newline_to_br",
                                          "reject",
                                          "reject_exp",
                                          "reverse",
                                          "sort",
                                          "sort_natural",
                                          "uniq",
                                          "where_exp",
                                          "type"};

std::vector<FilterDefinition> buildRegistry() {
  std::vector<FilterDefinition> all;
  for (auto group : {stringFilters(), arrayFilters(), mathFilters(), webFilters(), dateFilters(),
                     miscFilters()}) {
    all.insert(all.end(), group.begin(), group.end());
  }
  for (std::string_view name : kDisabled) {
    auto it = std::find_if(all.begin(), all.end(), [&](const auto& f) { return f.name == name; });
    if (it != all.end())
      it->function = nullptr;
    else
      all.push_back({name, nullptr});
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return all;
}

const std::vector<FilterDefinition>& registry() {
  static const std::vector<FilterDefinition> all = buildRegistry();
  return all;
}

}  // namespace

std::span<const FilterDefinition> allFilters() {
  return registry();
}

const FilterDefinition* findFilter(std::string_view name) {
  const auto& all = registry();
  auto it = std::lower_bound(all.begin(), all.end(), name,
                             [](const auto& f, std::string_view n) { return f.name < n; });
  return it != all.end() && it->name == name ? &*it : nullptr;
}

void throwDisabledFilter(std::string_view name) {
  throw RenderFailure("filter \"" + std::string(name) + "\" is disabled");
}

}  // namespace actions::liquid
