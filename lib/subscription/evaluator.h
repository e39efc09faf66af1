// Evaluates a parsed subscription against an event the way upstream's validate() does.
#pragma once

#include "subscription/ast.h"
#include "subscription/evaluation_error.h"

namespace actions::subscription {

// True when `event` satisfies `root` (a group). Throws EvaluationError.
bool evaluate(const Node& root, const json::Value& event);

}  // namespace actions::subscription
