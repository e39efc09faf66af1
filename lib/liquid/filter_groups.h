// The filters of each family, as the registry (filters.cpp) assembles them. Each family lives in
// its own file: filters_string.cpp, filters_array.cpp, filters_math.cpp, filters_web.cpp (HTML
// and URL), filters_date.cpp, filters_misc.cpp (default, json, encodings, hashes).
#pragma once

#include <cstddef>
#include <span>

#include "liquid/filters.h"

namespace actions::liquid {

std::span<const FilterDefinition> stringFilters();
std::span<const FilterDefinition> arrayFilters();
std::span<const FilterDefinition> mathFilters();
std::span<const FilterDefinition> webFilters();
std::span<const FilterDefinition> dateFilters();
std::span<const FilterDefinition> miscFilters();

}  // namespace actions::liquid
