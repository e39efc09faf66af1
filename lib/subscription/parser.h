// FQL parser: a one-for-one port of upstream's parseFql() over the lexer's tokens, including how
// it reads (or skips) whatever does not fit its expectations.
#pragma once

#include "subscription/ast.h"
#include "subscription/token.h"

namespace actions::subscription {

// Builds the tree for `tokens` (as lex() returns them). Throws SubscriptionError where upstream's
// parseFql() returns an error.
Node parseTokens(Tokens tokens);

}  // namespace actions::subscription
