// FQL lexer: a one-for-one port of @segment/fql-ts's Lexer, quirks included (keywords and
// operators only count when followed by a terminator, a closing quote followed by a letter
// starts a new string, strings have no escapes, identifiers escape any character with '\').
#pragma once

#include <string_view>

#include "subscription/token.h"

namespace actions::subscription {

// Tokenises `expression`, ending with an Eos token. Throws SubscriptionError naming the problem
// and its column where upstream's lexer fails (which makes upstream refuse the expression).
Tokens lex(std::string_view expression);

}  // namespace actions::subscription
