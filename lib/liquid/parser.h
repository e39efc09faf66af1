// The parser: turns the lexer's tokens into the program's nodes, parsing each tag's arguments and
// each output's expression and filters once, at compile time. Tags Segment disables fail here,
// as they fail when liquidjs parses them.
#pragma once

#include <optional>
#include <string_view>

#include "liquid/program.h"

namespace actions::liquid {

// The nodes of a whole template. `source` must outlive the nodes (literals borrow from it).
// Throws LiquidError with liquidjs's message and position.
NodeList parseTemplate(std::string_view source);

// A variable path such as `a.b[0]["c d"]`, or nothing for an empty one (the `where` filter's
// property). `path` must outlive the operand. Throws LiquidError.
std::optional<Operand> parseScopePath(std::string_view path);

}  // namespace actions::liquid
