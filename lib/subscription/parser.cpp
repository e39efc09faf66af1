#include "subscription/parser.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "json/js_text.h"
#include "subscription/js_value.h"

namespace actions::subscription {

namespace {

struct FieldLookup {
  bool found = false;
  // Upstream keys conditions by the identifier's first segment in a plain JavaScript object, so
  // the names Object.prototype carries also "find" an entry: it then consumes an operator and a
  // value but records nothing.
  std::optional<Field> field;  // empty for the Object.prototype names
};

FieldLookup lookupField(std::string_view first) {
  static constexpr std::pair<std::string_view, Field> kFields[] = {
      {"type", Field::Type},     {"event", Field::Event},     {"name", Field::Name},
      {"userId", Field::UserId}, {"context", Field::Context}, {"properties", Field::Properties},
      {"traits", Field::Traits}};
  for (const auto& [name, field] : kFields)
    if (first == name) return {true, field};
  if (isObjectPrototypeName(first)) return {true, std::nullopt};
  return {};
}

Op opNamed(std::string_view name) {
  static constexpr std::pair<std::string_view, Op> kOps[] = {
      {"=", Op::Equals},
      {"!=", Op::NotEquals},
      {"number_equals", Op::NumberEquals},
      {"number_not_equals", Op::NumberNotEquals},
      {"<", Op::Less},
      {"<=", Op::LessOrEqual},
      {">", Op::Greater},
      {">=", Op::GreaterOrEqual},
      {"contains", Op::Contains},
      {"not_contains", Op::NotContains},
      {"starts_with", Op::StartsWith},
      {"not_starts_with", Op::NotStartsWith},
      {"ends_with", Op::EndsWith},
      {"not_ends_with", Op::NotEndsWith},
      {"exists", Op::Exists},
      {"not_exists", Op::NotExists},
      {"is_true", Op::IsTrue},
      {"is_false", Op::IsFalse}};
  for (const auto& [n, op] : kOps)
    if (name == n) return op;
  return Op::Unknown;
}

bool startsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool isFunction(const Token& token) {
  return token.type == TokenType::Ident && (token.value == "contains" || token.value == "match");
}

// A token's value as upstream's getTokenValue() gives it: a string without its double quotes,
// a number, a boolean, or the token's text.
using Raw = std::variant<std::string, double, bool>;

Raw rawValue(const Token& token) {
  if (token.type == TokenType::String) {
    std::string_view v = token.value;
    if (startsWith(v, "\"")) v.remove_prefix(1);
    if (!v.empty() && v.back() == '"') v.remove_suffix(1);
    return std::string(v);
  }
  if (token.type == TokenType::Number) return json::text::toNumber(token.value);
  if (token.type == TokenType::Ident && (token.value == "true" || token.value == "false"))
    return token.value == "true";
  return token.value;
}

std::string jsString(const Raw& raw) {
  if (const auto* s = std::get_if<std::string>(&raw)) return *s;
  if (const auto* d = std::get_if<double>(&raw)) {
    std::string text;
    json::appendNumber(*d, text);
    return text;
  }
  return std::get<bool>(raw) ? "true" : "false";
}

double jsNumber(const Raw& raw) {
  if (const auto* s = std::get_if<std::string>(&raw)) return json::text::toNumber(*s);
  if (const auto* d = std::get_if<double>(&raw)) return *d;
  return std::get<bool>(raw) ? 1 : 0;
}

Expected expectedOf(const Raw& raw) {
  return {jsString(raw), jsNumber(raw)};
}

Path pathOf(std::string name) {
  Path path;
  path.text = std::move(name);
  if (path.text.empty()) return path;
  // get() takes every run of characters other than '[', '.' and ']' as one key.
  std::string_view rest = path.text;
  while (!rest.empty()) {
    std::size_t start = rest.find_first_not_of("[.]");
    if (start == std::string_view::npos) break;
    rest.remove_prefix(start);
    std::size_t end = std::min(rest.find_first_of("[.]"), rest.size());
    path.segments.emplace_back(rest.substr(0, end));
    rest.remove_prefix(end);
  }
  path.kind = path.segments.empty() ? Path::Kind::Invalid : Path::Kind::Segments;
  return path;
}

// The path below `prefix`: upstream strips "prefix." and keeps anything else as it is.
Path pathBelow(std::string_view name, std::string_view prefix) {
  if (startsWith(name, prefix) && name.size() > prefix.size() && name[prefix.size()] == '.')
    name.remove_prefix(prefix.size() + 1);
  return pathOf(std::string(name));
}

std::string_view prefixOf(Field field) {
  switch (field) {
    case Field::Properties:
      return "properties";
    case Field::Traits:
      return "traits";
    case Field::Context:
      return "context";
    default:
      return "";
  }
}

bool hasPath(Field field) {
  return field == Field::Properties || field == Field::Traits || field == Field::Context;
}

Node conditionNode(Field field, std::string_view name, Op op, Expected expected,
                   std::size_t column) {
  Node node;
  node.kind = Node::Kind::Condition;
  node.column = column;
  node.condition.field = field;
  if (hasPath(field)) node.condition.path = pathBelow(name, prefixOf(field));
  node.condition.op = op;
  node.condition.expected = std::move(expected);
  return node;
}

// upstream's String(value).slice(1): the first UTF-16 code unit goes, which leaves half of a
// supplementary character behind (a lone low surrogate).
Expected withoutFirstUnit(const std::string& text) {
  Expected e;
  if (!text.empty()) {
    json::text::Decoded first = json::text::decodeAt(text, 0);
    if (first.codePoint >= 0x10000)
      e.text = json::text::surrogateText(json::text::lowSurrogateOf(first.codePoint));
    e.text += text.substr(first.length);
  }
  e.number = json::text::toNumber(e.text);
  return e;
}

// upstream's String(value).slice(0, -1), only ever applied to text ending in an ASCII '*' or '"'.
Expected withoutLastUnit(const std::string& text) {
  Expected e;
  e.text = text.empty() ? text : text.substr(0, text.size() - 1);
  e.number = json::text::toNumber(e.text);
  return e;
}

// Hands out tokens front to back, as upstream's tokens.shift() does.
class TokenQueue {
 public:
  explicit TokenQueue(Tokens tokens) : tokens_(std::move(tokens)) {}
  const Token* shift() { return head_ < tokens_.size() ? &tokens_[head_++] : nullptr; }
  const Token* front() const { return head_ < tokens_.size() ? &tokens_[head_] : nullptr; }
  std::size_t lastColumn() const { return tokens_.empty() ? 1 : tokens_.back().column; }

 private:
  Tokens tokens_;
  std::size_t head_ = 0;
};

std::string at(std::size_t column) {
  return " at column " + std::to_string(column);
}

class Parser {
 public:
  // One level of upstream's parse(): the group's tokens up to its Eos. `nested` is true inside
  // parentheses. Returns a Hole when the level holds nothing.
  Node level(TokenQueue& tokens, bool nested) {
    std::vector<Node> nodes;
    bool isOr = false;
    const Token* token = tokens.shift();
    while (token && token->type != TokenType::Eos) {
      if (token->type == TokenType::Ident) {
        condition(*token, tokens, nodes);
        if (isFunction(*token)) function(*token, tokens, nodes, false);
      }
      if (token->type == TokenType::Operator && token->value == "!") {
        const Token* name = tokens.front();
        if (!name) throw SubscriptionError("\"!\"" + at(token->column) + " ends the expression");
        if (isFunction(*name)) function(*tokens.shift(), tokens, nodes, true);
      }
      if (token->type == TokenType::ParenLeft) nodes.push_back(group(*token, tokens, nested));
      if (token->type == TokenType::Conditional) isOr = token->value == "or";
      token = tokens.shift();
    }
    if (nodes.size() == 1) return std::move(nodes.front());
    Node result;
    if (nodes.size() > 1) {
      result.kind = Node::Kind::Group;
      result.isOr = isOr;
      result.children = std::move(nodes);
      result.column = result.children.front().column;
    }
    return result;
  }

 private:
  void condition(const Token& token, TokenQueue& tokens, std::vector<Node>& nodes) {
    std::string_view value = token.value;
    FieldLookup lookup = lookupField(value.substr(0, value.find('.')));
    if (!lookup.found) return;
    const Token* op = tokens.shift();
    if (!op)
      throw SubscriptionError("\"" + token.value + "\"" + at(token.column) + " has no operator");
    const Token* operand = tokens.shift();
    if (!operand) {
      throw SubscriptionError("\"" + token.value + "\"" + at(token.column) +
                              " has no value to compare with");
    }
    if (!lookup.field) return;
    Field field = *lookup.field;
    const bool eq = op->value == "=", ne = op->value == "!=";
    const bool isTrue = eq && operand->value == "true";
    const bool isFalse = eq && operand->value == "false";
    const bool isExists = ne && operand->value == "null";
    const bool isNotExists = eq && operand->value == "null";
    const bool isNumberEquals = eq && operand->type == TokenType::Number;
    const bool isNumberNotEquals = ne && operand->type == TokenType::Number;
    Raw raw = rawValue(*operand);
    Op named = opNamed(op->value);
    auto push = [&](Op o, Expected e) {
      nodes.push_back(conditionNode(field, token.value, o, std::move(e), token.column));
    };
    switch (field) {
      case Field::Type:
      case Field::Event:
        push(named, expectedOf(jsString(raw)));
        return;
      case Field::Name:
      case Field::UserId:
        if (isExists) return push(Op::Exists, {});
        if (isNotExists) return push(Op::NotExists, {});
        if (field == Field::UserId && isTrue) return push(Op::IsTrue, {});
        if (field == Field::UserId && isFalse) return push(Op::IsFalse, {});
        push(named, expectedOf(jsString(raw)));
        return;
      default:
        if (isExists) return push(Op::Exists, {});
        if (isNotExists) return push(Op::NotExists, {});
        if (isTrue) return push(Op::IsTrue, {});
        if (isFalse) return push(Op::IsFalse, {});
        if (isNumberEquals) return push(Op::NumberEquals, expectedOf(raw));
        if (isNumberNotEquals) return push(Op::NumberNotEquals, expectedOf(raw));
        push(named, expectedOf(raw));
        return;
    }
  }

  // contains(name, value) / match(name, value): upstream shifts five tokens without looking at
  // the punctuation, and silently drops a call on a field it does not know.
  void function(const Token& fn, TokenQueue& tokens, std::vector<Node>& nodes, bool negate) {
    const std::string& kind = fn.value;
    tokens.shift();  // "("
    const Token* name = tokens.shift();
    if (!name)
      throw SubscriptionError(kind + "()" + at(fn.column) + " is missing its 1st argument");
    tokens.shift();  // ","
    const Token* operand = tokens.shift();
    if (!operand)
      throw SubscriptionError(kind + "()" + at(fn.column) + " is missing its 2nd argument");
    tokens.shift();  // ")"

    Op op;
    Expected expected;
    std::string text = jsString(rawValue(*operand));
    if (kind == "contains") {
      op = negate ? Op::NotContains : Op::Contains;
      expected = expectedOf(text);
    } else if (operand->value.size() >= 2 &&
               operand->value.compare(operand->value.size() - 2, 2, "*\"") == 0) {
      op = negate ? Op::NotStartsWith : Op::StartsWith;
      expected = withoutLastUnit(text);
    } else {
      op = negate ? Op::NotEndsWith : Op::EndsWith;
      expected = withoutFirstUnit(text);
    }

    std::string_view target = name->value;
    std::optional<Field> field;
    if (target == "event")
      field = Field::Event;
    else if (target == "name")
      field = Field::Name;
    else if (target == "userId")
      field = Field::UserId;
    else if (startsWith(target, "properties"))
      field = Field::Properties;
    else if (startsWith(target, "traits"))
      field = Field::Traits;
    else if (startsWith(target, "context"))
      field = Field::Context;
    if (field) nodes.push_back(conditionNode(*field, target, op, std::move(expected), fn.column));
  }

  // "(" ... ")": the tokens up to the first ")" form a level of their own, so an inner "("
  // never finds its ")" — upstream's parentheses do not nest.
  Node group(const Token& open, TokenQueue& tokens, bool nested) {
    Tokens inner;
    for (const Token* t = tokens.shift();; t = tokens.shift()) {
      if (!t) {
        throw SubscriptionError("\"(\"" + at(open.column) + " has no matching \")\"" +
                                (nested ? " (parentheses cannot be nested)" : ""));
      }
      if (t->type == TokenType::ParenRight) break;
      inner.push_back(*t);
    }
    inner.push_back({TokenType::Eos, "eos", open.column});
    TokenQueue queue(std::move(inner));
    Node node = level(queue, true);
    if (node.kind == Node::Kind::Hole) node.column = open.column;
    return node;
  }
};

// Joins identifier, ".", identifier into one identifier, as upstream's normalize() does.
Tokens normalize(Tokens tokens) {
  Tokens out;
  out.reserve(tokens.size());
  for (std::size_t i = 0; i < tokens.size();) {
    if (!out.empty() && out.back().type == TokenType::Ident && tokens[i].type == TokenType::Dot &&
        i + 1 < tokens.size() && tokens[i + 1].type == TokenType::Ident) {
      out.back().value += '.';
      out.back().value += tokens[i + 1].value;
      i += 2;
    } else {
      out.push_back(std::move(tokens[i]));
      ++i;
    }
  }
  return out;
}

}  // namespace

Node parseTokens(Tokens tokens) {
  bool empty = tokens.size() <= 1;
  TokenQueue queue(normalize(std::move(tokens)));
  Node root = Parser().level(queue, false);
  if (root.kind == Node::Kind::Hole) {
    if (empty) throw SubscriptionError("the subscription is empty");
    if (root.column > 0)
      throw SubscriptionError("the parentheses" + at(root.column) + " are empty");
    throw SubscriptionError(
        "no condition found: a subscription needs a condition on type, event, name, userId, "
        "properties.*, traits.* or context.*, or a contains() / match() call on one of them");
  }
  if (root.kind == Node::Kind::Group) return root;
  Node group;
  group.kind = Node::Kind::Group;
  group.column = root.column;
  group.children.push_back(std::move(root));
  return group;
}

}  // namespace actions::subscription
