#include "subscription/subscription.h"

#include "subscription/ast.h"
#include "subscription/evaluator.h"
#include "subscription/lexer.h"
#include "subscription/parser.h"

namespace actions::subscription {

Subscription Subscription::parse(std::string_view expression) {
  auto ast = std::make_unique<Ast>();
  ast->root = parseTokens(lex(expression));
  return Subscription(std::move(ast));
}

bool Subscription::matches(const json::Value& event) const {
  try {
    return actions::subscription::evaluate(ast_->root, event);
  } catch (const EvaluationError& e) {
    throw SubscriptionError(e.what());
  }
}

std::optional<bool> Subscription::evaluate(const json::Value& event, std::string* error) const {
  try {
    return actions::subscription::evaluate(ast_->root, event);
  } catch (const EvaluationError& e) {
    if (error) *error = e.what();
    return std::nullopt;
  }
}

Subscription::Subscription(std::unique_ptr<const Ast> ast) : ast_(std::move(ast)) {}
Subscription::Subscription(Subscription&&) noexcept = default;
Subscription& Subscription::operator=(Subscription&&) noexcept = default;
Subscription::~Subscription() = default;

}  // namespace actions::subscription
