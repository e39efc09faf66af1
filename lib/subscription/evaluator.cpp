#include "subscription/evaluator.h"

#include <string>
#include <string_view>

#include "json/js_text.h"
#include "subscription/js_value.h"

namespace actions::subscription {

namespace {

std::string_view topLevelKey(Field field) {
  switch (field) {
    case Field::Type:
      return "type";
    case Field::Event:
      return "event";
    case Field::Name:
      return "name";
    case Field::UserId:
      return "userId";
    case Field::Properties:
      return "properties";
    case Field::Traits:
      return "traits";
    case Field::Context:
      return "context";
  }
  return "";
}

// upstream's get(object, path): each key is read only while the value so far is truthy, so a
// falsy value part-way (0, "", false, null) is itself the result.
JsValue follow(JsValue value, const Path& path, std::size_t column) {
  switch (path.kind) {
    case Path::Kind::Empty:
      return {};
    case Path::Kind::Invalid:
      throw EvaluationError("the path \"" + path.text + "\" at column " + std::to_string(column) +
                            " names no property");
    case Path::Kind::Segments:
      break;
  }
  for (const std::string& key : path.segments) {
    if (!value.truthy()) return value;
    value = member(value, key);
  }
  return value;
}

bool compare(const JsValue& actual, const Condition& c) {
  using K = JsValue::Kind;
  const bool isString = actual.kind == K::String;
  const bool isNumber = actual.kind == K::Number;
  const Expected& e = c.expected;
  switch (c.op) {
    case Op::Equals:
      return actual.kind == K::String && actual.string == e.text;
    case Op::NotEquals:
      return !(actual.kind == K::String && actual.string == e.text);
    case Op::NumberEquals:
      return isNumber && actual.number == e.number;
    case Op::NumberNotEquals:
      return isNumber && actual.number != e.number;
    case Op::Less:
      return isNumber && actual.number < e.number;
    case Op::LessOrEqual:
      return isNumber && actual.number <= e.number;
    case Op::Greater:
      return isNumber && actual.number > e.number;
    case Op::GreaterOrEqual:
      return isNumber && actual.number >= e.number;
    case Op::Contains:
      return isString && json::text::includes(actual.string, e.text);
    case Op::NotContains:
      return isString && !json::text::includes(actual.string, e.text);
    case Op::StartsWith:
      return isString && json::text::startsWith(actual.string, e.text);
    case Op::NotStartsWith:
      return isString && !json::text::startsWith(actual.string, e.text);
    case Op::EndsWith:
      return isString && json::text::endsWith(actual.string, e.text);
    case Op::NotEndsWith:
      return isString && !json::text::endsWith(actual.string, e.text);
    case Op::Exists:
      return actual.kind != K::Undefined && actual.kind != K::Null;
    case Op::NotExists:
      return actual.kind == K::Undefined || actual.kind == K::Null;
    case Op::IsTrue:
      return actual.kind == K::Boolean && actual.boolean;
    case Op::IsFalse:
      return actual.kind == K::Boolean && !actual.boolean;
    case Op::Unknown:
      return false;
  }
  return false;
}

bool condition(const Node& node, const JsValue& event) {
  const Condition& c = node.condition;
  if (event.kind == JsValue::Kind::Null)
    throw EvaluationError("the event is null, so its \"" + std::string(topLevelKey(c.field)) +
                          "\" cannot be read");
  JsValue actual = member(event, topLevelKey(c.field));
  if (c.field == Field::Properties || c.field == Field::Traits || c.field == Field::Context)
    actual = follow(actual, c.path, node.column);
  return compare(actual, c);
}

bool node(const Node& n, const JsValue& event);

bool group(const Node& g, const JsValue& event) {
  for (const Node& child : g.children) {
    bool matched = node(child, event);
    if (g.isOr && matched) return true;
    if (!g.isOr && !matched) return false;
  }
  return !g.isOr;
}

// Groups nest at most two deep (upstream's parentheses do not nest), so recursion is bounded.
bool node(const Node& n, const JsValue& event) {
  switch (n.kind) {
    case Node::Kind::Group:
      return group(n, event);
    case Node::Kind::Condition:
      return condition(n, event);
    case Node::Kind::Hole:
      break;
  }
  throw EvaluationError("the parentheses at column " + std::to_string(n.column) +
                        " are empty and cannot be evaluated");
}

}  // namespace

bool evaluate(const Node& root, const json::Value& event) {
  return group(root, JsValue::of(event));
}

}  // namespace actions::subscription
