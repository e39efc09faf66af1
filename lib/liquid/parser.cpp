#include "liquid/parser.h"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>

#include "json/js_text.h"
#include "json/json.h"
#include "liquid/error.h"
#include "liquid/lexer.h"
#include "liquid/limits.h"

namespace actions::liquid {
namespace {

// Segment registers these tags to fail as soon as they are parsed.
constexpr std::array<std::string_view, 6> kDisabledTags = {"case",   "for",    "include",
                                                           "layout", "render", "tablerow"};

constexpr std::array<std::string_view, 10> kOperatorWords = {
    "==", "!=", ">", "<", ">=", "<=", "contains", "not", "and", "or"};
constexpr std::array<Operator, 10> kOperators = {Operator::Equal,
                                                 Operator::NotEqual,
                                                 Operator::Greater,
                                                 Operator::Less,
                                                 Operator::GreaterOrEqual,
                                                 Operator::LessOrEqual,
                                                 Operator::Contains,
                                                 Operator::Not,
                                                 Operator::And,
                                                 Operator::Or};

constexpr std::array<std::string_view, 6> kLiteralWords = {"true", "false", "nil",
                                                           "null", "empty", "blank"};

int precedence(Operator op) {
  switch (op) {
    case Operator::Not:
      return 1;
    case Operator::And:
    case Operator::Or:
      return 0;
    default:
      return 2;
  }
}

Value literalValue(std::size_t index) {
  switch (index) {
    case 0:
      return Value::boolean(true);
    case 1:
      return Value::boolean(false);
    case 2:
    case 3:
      return Value::special(Value::Kind::Nil);
    case 4:
      return Value::special(Value::Kind::Empty);
    default:
      return Value::special(Value::Kind::Blank);
  }
}

// An error a tag raises while it is built (a JavaScript Error in liquidjs): it takes the position
// of the tag being parsed.
class TagError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TokenStream {
  std::vector<Token> tokens;
  std::size_t next = 0;
  const Token* take() { return next < tokens.size() ? &tokens[next++] : nullptr; }
};

bool isHex(char16_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool isOctal(char16_t c) {
  return c >= '0' && c <= '7';
}
unsigned hexValue(char16_t c) {
  if (c >= 'a') return c - 87;
  if (c >= 'A') return c - 55;
  return c - 48;
}

// The one-letter escapes of a string literal (\b \f \n \r \t \v).
std::optional<char16_t> letterEscape(char16_t c) {
  switch (c) {
    case u'b':
      return u'\b';
    case u'f':
      return u'\f';
    case u'n':
      return u'\n';
    case u'r':
      return u'\r';
    case u't':
      return u'\t';
    case u'v':
      return u'\v';
    default:
      return std::nullopt;
  }
}

// The content of a quoted literal with liquidjs's escapes (\n, \u0041, \101, \"), computed on
// UTF-16 as liquidjs does. `quoted` includes the quotes (the closing one may be missing).
std::string parseStringLiteral(std::string_view quoted) {
  const std::u16string s = json::text::toUtf16(quoted);
  std::u16string out;
  for (std::size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] != u'\\') {
      out.push_back(s[i]);
      continue;
    }
    char16_t next = s[i + 1];
    if (auto escaped = letterEscape(next)) {
      out.push_back(*escaped);
      ++i;
      continue;
    }
    if (next == u'u') {
      unsigned v = 0;
      std::size_t j = i + 2;
      while (j <= i + 5) {
        // Past the end liquidjs reads `undefined`, which its hex test accepts and then fails on.
        if (j >= s.size())
          throw TagError("Cannot read properties of undefined (reading 'charCodeAt')");
        if (!isHex(s[j])) break;
        v = v * 16 + hexValue(s[j++]);
      }
      i = j - 1;
      out.push_back(static_cast<char16_t>(v));
    } else if (!isOctal(next)) {
      out.push_back(s[++i]);
    } else {
      unsigned v = 0;
      std::size_t j = i + 1;
      while (j <= i + 3 && j < s.size() && isOctal(s[j])) v = v * 8 + hexValue(s[j++]);
      i = j - 1;
      out.push_back(static_cast<char16_t>(v));
    }
  }
  return json::text::fromUtf16(out);
}

class Parser {
 public:
  explicit Parser(std::string_view source) : src_(source) {}

  NodeList parseTokens(TokenStream& stream) {
    NodeList nodes;
    while (const Token* t = stream.take()) {
      if (auto node = parseToken(*t, stream)) nodes.push_back(std::move(*node));
    }
    return nodes;
  }

  std::optional<Operand> parsePath() {
    Scanner scan(src_, 0, src_.size());
    scan.skipBlank();
    std::vector<Operand> keys = readProperties(scan, true);
    if (keys.empty()) return std::nullopt;
    Operand path;
    path.kind = Operand::Kind::Path;
    path.keys = std::move(keys);
    return path;
  }

 private:
  // Counts nesting (blocks in blocks, brackets in brackets) against kMaxNestingDepth.
  class Nesting {
   public:
    Nesting(Parser& parser, std::size_t offset) : parser_(parser) {
      if (++parser_.depth_ > kMaxNestingDepth) {
        throwAt(parser_.src_, offset, "liquid template nesting is too deep");
      }
    }
    ~Nesting() { --parser_.depth_; }
    Nesting(const Nesting&) = delete;
    Nesting& operator=(const Nesting&) = delete;

   private:
    Parser& parser_;
  };

  std::string_view textOf(const Token& t) const { return src_.substr(t.begin, t.end - t.begin); }
  std::string_view argsOf(const Token& t) const {
    return t.contentEnd > t.argsBegin ? src_.substr(t.argsBegin, t.contentEnd - t.argsBegin)
                                      : std::string_view();
  }
  std::string rest(const Scanner& scan) const {
    return std::string(src_.substr(scan.pos(), scan.end() - scan.pos()));
  }
  [[noreturn]] void fail(const Scanner& scan, std::string_view message) const {
    throwAt(src_, scan.pos(), message);
  }
  std::string notClosed(const Token& t) const {
    return "tag " + std::string(textOf(t)) + " not closed";
  }
  void expectNoArguments(const Token& t) const {
    std::string_view args = argsOf(t);
    if (args.empty()) return;
    std::string message = "unexpected ";
    json::appendQuoted(args, message);
    throw TagError(message);
  }

  // One token: text, an output, or a tag (which may take the tokens of its body from `stream`).
  std::optional<Node> parseToken(const Token& t, TokenStream& stream) {
    try {
      switch (t.kind) {
        case Token::Kind::Text: {
          std::size_t b = t.begin + t.textTrimLeft;
          std::size_t e = t.end >= t.textTrimRight ? t.end - t.textTrimRight : 0;
          if (e <= b) return std::nullopt;
          return Node{t.begin, TextNode{std::string(src_.substr(b, e - b))}};
        }
        case Token::Kind::Output: {
          Scanner scan(src_, t.contentBegin, t.contentEnd);
          return Node{t.begin, OutputNode{readFilteredValue(scan)}};
        }
        case Token::Kind::Tag: {
          Nesting nesting(*this, t.begin);
          return parseTag(t, stream);
        }
      }
    } catch (const TagError& e) {
      throwAt(src_, t.begin, e.what());
    }
    return std::nullopt;
  }

  std::optional<Node> parseTag(const Token& t, TokenStream& stream) {
    const std::string_view name = t.name;
    for (std::string_view disabled : kDisabledTags) {
      if (name == disabled) throw TagError("tag \"" + std::string(name) + "\" is disabled");
    }
    Scanner args(src_, t.argsBegin, t.contentEnd);
    if (name == "assign") return Node{t.begin, parseAssign(args)};
    if (name == "if") return Node{t.begin, parseIf(t, args, stream)};
    if (name == "unless") return Node{t.begin, parseUnless(t, args, stream)};
    if (name == "capture") return Node{t.begin, parseCapture(t, args, stream)};
    if (name == "echo") {
      args.skipBlank();
      OutputNode out;
      if (!args.atEnd()) out.value = readFilteredValue(args);
      return Node{t.begin, std::move(out)};
    }
    if (name == "increment" || name == "decrement") {
      auto [b, e] = args.readIdentifier();
      return Node{t.begin, CounterNode{std::string(src_.substr(b, e - b)), name == "increment"}};
    }
    if (name == "cycle") return Node{t.begin, parseCycle(t, args)};
    if (name == "liquid") {
      TokenStream lines{tokenizeLiquidTag(src_, t.argsBegin, args.end())};
      return Node{t.begin, SequenceNode{parseTokens(lines), false}};
    }
    if (name == "block") {
      SequenceNode block{{}, true};
      while (const Token* next = stream.take()) {
        if (next->kind == Token::Kind::Tag && next->name == "endblock") {
          return Node{t.begin, std::move(block)};
        }
        if (auto node = parseToken(*next, stream)) block.body.push_back(std::move(*node));
      }
      throw TagError(notClosed(t));
    }
    if (name == "comment") {
      while (const Token* next = stream.take()) {
        if (next->kind == Token::Kind::Tag && next->name == "endcomment") return std::nullopt;
      }
      throw TagError(notClosed(t));
    }
    if (name == "raw") {
      std::string raw;
      while (const Token* next = stream.take()) {
        if (next->kind == Token::Kind::Tag && next->name == "endraw") {
          if (raw.empty()) return std::nullopt;
          return Node{t.begin, TextNode{std::move(raw)}};
        }
        raw.append(textOf(*next));
      }
      throw TagError(notClosed(t));
    }
    if (name == "#") {
      checkInlineComment(argsOf(t));
      return std::nullopt;
    }
    if (name == "break" || name == "continue") return Node{t.begin, StopNode{}};
    throw TagError("tag \"" + std::string(name) + "\" not found");
  }

  AssignNode parseAssign(Scanner& args) {
    auto [b, e] = args.readIdentifier();
    if (e == b) fail(args, "expected variable name");
    args.skipBlank();
    if (args.peek() != '=') fail(args, "expected \"=\"");
    args.setPos(args.pos() + 1);
    return AssignNode{std::string(src_.substr(b, e - b)), readFilteredValue(args)};
  }

  ConditionalNode parseIf(const Token& t, Scanner& args, TokenStream& stream) {
    ConditionalNode node;
    node.branches.push_back({readFilteredValue(args), false, {}});
    bool inElse = false;
    while (const Token* next = stream.take()) {
      if (next->kind == Token::Kind::Tag) {
        if (next->name == "elsif") {
          if (inElse) throw TagError("unexpected elsif after else");
          Scanner condition(src_, next->argsBegin, next->contentEnd);
          node.branches.push_back({readFilteredValue(condition), false, {}});
          continue;
        }
        if (next->name == "else") {
          expectNoArguments(*next);
          if (inElse) throw TagError("duplicated else");
          inElse = true;
          continue;
        }
        if (next->name == "endif") {
          expectNoArguments(*next);
          return node;
        }
      }
      auto parsed = parseToken(*next, stream);
      if (!parsed) continue;
      (inElse ? node.elseBody : node.branches.back().body).push_back(std::move(*parsed));
    }
    throw TagError(notClosed(t));
  }

  // unless ignores what follows a second else, and elsif branches after an else.
  ConditionalNode parseUnless(const Token& t, Scanner& args, TokenStream& stream) {
    ConditionalNode node;
    node.branches.push_back({readFilteredValue(args), true, {}});
    int elseCount = 0;
    bool discarding = false;
    while (const Token* next = stream.take()) {
      if (next->kind == Token::Kind::Tag) {
        if (next->name == "elsif") {
          if (elseCount > 0) {
            discarding = true;
          } else {
            Scanner condition(src_, next->argsBegin, next->contentEnd);
            node.branches.push_back({readFilteredValue(condition), false, {}});
          }
          continue;
        }
        if (next->name == "else") {
          ++elseCount;
          discarding = false;
          continue;
        }
        if (next->name == "endunless") return node;
      }
      auto parsed = parseToken(*next, stream);
      if (!parsed || discarding) continue;
      if (elseCount == 0)
        node.branches.back().body.push_back(std::move(*parsed));
      else if (elseCount == 1)
        node.elseBody.push_back(std::move(*parsed));
    }
    throw TagError(notClosed(t));
  }

  CaptureNode parseCapture(const Token& t, Scanner& args, TokenStream& stream) {
    CaptureNode node;
    auto [b, e] = args.readIdentifier();
    if (e > b) {
      node.name = std::string(src_.substr(b, e - b));
    } else if (auto quoted = args.readQuoted()) {
      node.name = parseStringLiteral(src_.substr(quoted->first, quoted->second - quoted->first));
    } else {
      fail(args, "invalid capture name");
    }
    while (const Token* next = stream.take()) {
      if (next->kind == Token::Kind::Tag && next->name == "endcapture") return node;
      if (auto parsed = parseToken(*next, stream)) node.body.push_back(std::move(*parsed));
    }
    throw TagError(notClosed(t));
  }

  CycleNode parseCycle(const Token& t, Scanner& args) {
    CycleNode node;
    const std::size_t begin = args.pos();
    std::optional<Operand> group = readValue(args);
    args.skipBlank();
    if (group) {
      if (args.peek() == ':') {
        node.group = std::move(group);
        args.setPos(args.pos() + 1);
      } else {
        args.setPos(begin);
      }
    }
    while (!args.atEnd()) {
      std::size_t candidateBegin = args.pos();
      node.candidates.push_back(readFilteredValue(args));
      if (node.candidates.size() > 1) node.candidatesText.push_back(',');
      node.candidatesText.append(src_.substr(candidateBegin, args.pos() - candidateBegin));
      args.readTo(",");
    }
    if (node.candidates.empty()) {
      fail(args, "empty candidates: \"" + std::string(textOf(t)) + "\"");
    }
    return node;
  }

  // Every line after the first of an inline comment must start with '#'.
  static void checkInlineComment(std::string_view body) {
    for (std::size_t nl = body.find('\n'); nl != std::string_view::npos;
         nl = body.find('\n', nl + 1)) {
      std::size_t i = nl + 1;
      while (i < body.size()) {
        json::text::Decoded d = json::text::decodeAt(body, i);
        if (!json::text::isJsWhitespace(d.codePoint)) break;
        i += d.length;
      }
      if (i < body.size() && body[i] != '#') {
        throw TagError("every line of an inline comment must start with a '#' character");
      }
    }
  }

  // --- expressions (liquidjs's Tokenizer) ---

  FilteredValue readFilteredValue(Scanner& scan) {
    FilteredValue value;
    value.expression = readExpression(scan);
    if (value.expression.empty()) fail(scan, "invalid value expression: " + snapshot(rest(scan)));
    value.filters = readFilters(scan);
    return value;
  }

  std::vector<ExpressionItem> readExpression(Scanner& scan) {
    std::vector<ExpressionItem> postfix;
    std::vector<Operator> pending;
    while (!scan.atEnd()) {
      if (auto op = scan.readKeyword(kOperatorWords.data(), kOperatorWords.size())) {
        Operator o = kOperators[*op];
        while (!pending.empty() && precedence(pending.back()) > precedence(o)) {
          postfix.push_back({true, pending.back(), {}});
          pending.pop_back();
        }
        pending.push_back(o);
        continue;
      }
      if (auto operand = readValue(scan)) {
        postfix.push_back({false, Operator::Equal, std::move(*operand)});
        continue;
      }
      break;
    }
    while (!pending.empty()) {
      postfix.push_back({true, pending.back(), {}});
      pending.pop_back();
    }
    return postfix;
  }

  std::optional<Operand> readValue(Scanner& scan, std::size_t* begin = nullptr) {
    scan.skipBlank();
    if (begin) *begin = scan.pos();
    Nesting nesting(*this, scan.pos());
    std::optional<Operand> base = readLiteral(scan);
    if (!base && scan.peek() == '(') base = readRange(scan);
    std::vector<Operand> keys = readProperties(scan, !base);
    if (keys.empty()) return base;
    Operand path;
    path.kind = Operand::Kind::Path;
    if (base) path.base = std::make_unique<Operand>(std::move(*base));
    path.keys = std::move(keys);
    return path;
  }

  // true, false, nil, null, empty, blank; a quoted string; a number.
  std::optional<Operand> readLiteral(Scanner& scan) {
    Operand literal;
    if (auto word = scan.readKeyword(kLiteralWords.data(), kLiteralWords.size())) {
      literal.literal = literalValue(*word);
      return literal;
    }
    if (auto quoted = scan.readQuoted()) {
      auto [b, e] = *quoted;
      literal.literal = Value::string(parseStringLiteral(src_.substr(b, e - b)));
      return literal;
    }
    if (auto number = scan.readNumber()) {
      auto [b, e] = *number;
      literal.literal = Value::number(json::text::toNumber(src_.substr(b, e - b)));
      return literal;
    }
    return std::nullopt;
  }

  std::vector<Operand> readProperties(Scanner& scan, bool isBegin) {
    std::vector<Operand> keys;
    for (;;) {
      if (scan.peek() == '[') {
        scan.setPos(scan.pos() + 1);
        std::optional<Operand> key = readValue(scan);
        if (!key) {
          key.emplace();
          key->literal = Value::borrowedString("");
        }
        if (!scan.readTo("]")) fail(scan, "[ not closed");
        keys.push_back(std::move(*key));
        continue;
      }
      if (isBegin && keys.empty()) {
        auto [b, e] = scan.readIdentifier();
        if (e > b) {
          keys.push_back(identifierKey(b, e));
          continue;
        }
      }
      if (scan.peek() == '.' && scan.peek(1) != '.') {
        scan.setPos(scan.pos() + 1);
        auto [b, e] = scan.readIdentifier();
        if (e == b) break;
        keys.push_back(identifierKey(b, e));
        continue;
      }
      break;
    }
    return keys;
  }

  Operand identifierKey(std::size_t b, std::size_t e) const {
    Operand key;
    key.literal = Value::borrowedString(src_.substr(b, e - b));
    return key;
  }

  // (low..high); grouped expressions are off in Segment's configuration.
  std::optional<Operand> readRange(Scanner& scan) {
    scan.skipBlank();
    if (scan.peek() != '(') return std::nullopt;
    scan.setPos(scan.pos() + 1);
    Operand low = readValueOrThrow(scan);
    scan.skipBlank();
    if (scan.peek() == '.' && scan.peek(1) == '.') {
      scan.setPos(scan.pos() + 2);
      Operand high = readValueOrThrow(scan);
      scan.skipBlank();
      char c = scan.peek();
      scan.setPos(scan.pos() + 1);
      if (c != ')') fail(scan, "invalid range syntax");
      Operand range;
      range.kind = Operand::Kind::Range;
      range.low = std::make_unique<Operand>(std::move(low));
      range.high = std::make_unique<Operand>(std::move(high));
      return range;
    }
    fail(scan, "invalid range syntax");
  }

  Operand readValueOrThrow(Scanner& scan) {
    std::optional<Operand> value = readValue(scan);
    if (!value) fail(scan, "unexpected token " + snapshot(rest(scan)) + ", value expected");
    return std::move(*value);
  }

  std::vector<FilterCall> readFilters(Scanner& scan) {
    std::vector<FilterCall> filters;
    while (auto filter = readFilter(scan)) filters.push_back(std::move(*filter));
    return filters;
  }

  std::optional<FilterCall> readFilter(Scanner& scan) {
    scan.skipBlank();
    if (scan.atEnd()) return std::nullopt;
    if (scan.peek() == ')' || scan.peek() == ',') return std::nullopt;
    char bar = scan.peek();
    scan.setPos(scan.pos() + 1);
    if (bar != '|') fail(scan, "expected \"|\" before filter");
    auto [nb, ne] = scan.readIdentifier();
    if (ne == nb) {
      if (!scan.atEnd()) fail(scan, "expected filter name");
      return std::nullopt;
    }
    FilterCall call;
    call.name = std::string(src_.substr(nb, ne - nb));
    call.definition = findFilter(call.name);
    scan.skipBlank();
    if (scan.peek() == ':') {
      do {
        scan.setPos(scan.pos() + 1);
        if (auto arg = readFilterArgument(scan)) call.arguments.push_back(std::move(*arg));
        scan.skipBlank();
        char c = scan.peek();
        if (!(scan.atEnd() || c == ',' || c == '|' || c == ')')) {
          fail(scan, "unexpected character " + snapshot(rest(scan)));
        }
      } while (scan.peek() == ',');
    } else if (!(scan.atEnd() || scan.peek() == '|' || scan.peek() == ')' || scan.peek() == ',')) {
      fail(scan, "expected \":\" after filter name");
    }
    return call;
  }

  std::optional<FilterArgument> readFilterArgument(Scanner& scan) {
    std::size_t begin = 0;
    std::optional<Operand> first = readValue(scan, &begin);
    if (!first) return std::nullopt;
    std::size_t end = scan.pos();
    scan.skipBlank();
    FilterArgument arg;
    if (scan.peek() != ':') {
      arg.value = std::move(first);
      return arg;
    }
    scan.setPos(scan.pos() + 1);
    arg.key = std::string(src_.substr(begin, end - begin));
    arg.value = readValue(scan);
    return arg;
  }

  std::string_view src_;
  std::size_t depth_ = 0;
};

}  // namespace

NodeList parseTemplate(std::string_view source) {
  TokenStream stream{tokenizeTemplate(source)};
  return Parser(source).parseTokens(stream);
}

std::optional<Operand> parseScopePath(std::string_view path) {
  return Parser(path).parsePath();
}

}  // namespace actions::liquid
