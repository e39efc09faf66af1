// The compiled form of a template: a tree of nodes (text, outputs, tags) whose expressions are
// already parsed, with every filter resolved in the registry. Immutable once built, so one
// program is rendered by many threads at once.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "liquid/filters.h"
#include "liquid/liquid.h"
#include "liquid/value.h"

namespace actions::liquid {

// A value in an expression: a literal, a variable path, or a range.
struct Operand {
  enum class Kind { Literal, Path, Range };
  Kind kind = Kind::Literal;
  Value literal;  // Literal (strings borrow from the program)
  std::unique_ptr<Operand>
      base;  // Path: what the path starts from ("abc".size), or none for a variable
  std::vector<Operand> keys;     // Path: the property keys, each itself an operand
  std::unique_ptr<Operand> low;  // Range (low..high)
  std::unique_ptr<Operand> high;
};

enum class Operator {
  Equal,
  NotEqual,
  Greater,
  Less,
  GreaterOrEqual,
  LessOrEqual,
  Contains,
  Not,
  And,
  Or
};

// An expression in postfix order (liquidjs evaluates operators by precedence with a stack).
struct ExpressionItem {
  bool isOperator = false;
  Operator op = Operator::Equal;
  Operand operand;
};

struct FilterArgument {
  std::optional<std::string> key;  // `name: value` arguments carry their name
  std::optional<Operand> value;    // none for a `name:` without value
};

struct FilterCall {
  std::string name;
  const FilterDefinition* definition = nullptr;  // none: an unknown filter passes its input on
  std::vector<FilterArgument> arguments;
};

// An expression followed by filters: `properties.name | upcase | append: "!"`.
struct FilteredValue {
  std::vector<ExpressionItem> expression;
  std::vector<FilterCall> filters;
};

struct Node;
using NodeList = std::vector<Node>;

struct TextNode {
  std::string text;
};
struct OutputNode {  // {{ value }} and {% echo value %}
  std::optional<FilteredValue> value;
};
struct ConditionalNode {  // {% if %} and {% unless %}, with their elsif and else branches
  struct Branch {
    FilteredValue condition;
    bool negated = false;  // unless's first branch
    NodeList body;
  };
  std::vector<Branch> branches;
  NodeList elseBody;
};
struct AssignNode {
  std::string name;
  FilteredValue value;
};
struct CaptureNode {
  std::string name;
  NodeList body;
};
struct CounterNode {  // {% increment %} and {% decrement %}
  std::string name;
  bool increment = true;
};
struct CycleNode {
  std::optional<Operand> group;
  std::vector<FilteredValue> candidates;
  std::string candidatesText;  // identifies the cycle together with the group
};
struct SequenceNode {  // {% liquid %} lines, and {% block %} (which also defines `block`)
  NodeList body;
  bool definesBlock = false;
};
struct StopNode {};  // {% break %} and {% continue %}: outside a loop they end the rendering

struct Node {
  std::size_t offset = 0;  // where in the source, for error messages
  std::variant<TextNode, OutputNode, ConditionalNode, AssignNode, CaptureNode, CounterNode,
               CycleNode, SequenceNode, StopNode>
      content;
};

struct Template::Program {
  std::string source;  // owned: literals and error positions refer to it
  NodeList nodes;
};

}  // namespace actions::liquid
