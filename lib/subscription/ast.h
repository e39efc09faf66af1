// The parsed subscription, in the shape upstream's parseFql() builds: groups whose children all
// join with one operator, and conditions on one field of the event.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "subscription/subscription.h"

namespace actions::subscription {

// Where a condition looks: the event's own fields, or a path below one of its objects.
enum class Field { Type, Event, Name, UserId, Properties, Traits, Context };

// Upstream's operator names. Anything else upstream lets through (an identifier or a stray
// token in operator position) never matches.
enum class Op {
  Equals,           // =
  NotEquals,        // !=
  NumberEquals,     // number_equals
  NumberNotEquals,  // number_not_equals
  Less,             // <
  LessOrEqual,      // <=
  Greater,          // >
  GreaterOrEqual,   // >=
  Contains,
  NotContains,
  StartsWith,
  NotStartsWith,
  EndsWith,
  NotEndsWith,
  Exists,
  NotExists,
  IsTrue,
  IsFalse,
  Unknown,
};

// The value a condition compares with, with both of its JavaScript conversions done once.
struct Expected {
  std::string text;   // String(value)
  double number = 0;  // Number(value)
};

// A path below properties / traits / context, split as upstream's get() splits it.
struct Path {
  enum class Kind {
    Segments,  // follow `segments`
    Empty,     // "" reads as undefined
    Invalid,   // only separators: upstream's get() throws
  } kind = Kind::Empty;
  std::vector<std::string> segments;
  std::string text;  // as written, for messages
};

struct Condition {
  Field field = Field::Type;
  Path path;  // for Properties, Traits, Context
  Op op = Op::Unknown;
  Expected expected;
};

struct Node {
  enum class Kind {
    Group,
    Condition,
    // What upstream pushes for "()": evaluating it throws.
    Hole,
  } kind = Kind::Hole;
  bool isOr = false;           // for groups
  std::vector<Node> children;  // for groups
  Condition condition;         // for conditions
  std::size_t column = 0;      // where it starts in the expression
};

struct Subscription::Ast {
  Node root;  // always a group
};

}  // namespace actions::subscription
