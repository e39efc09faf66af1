#include "liquid/evaluator.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "json/js_text.h"
#include "liquid/error.h"
#include "liquid/limits.h"
#include "liquid/parser.h"

namespace actions::liquid {
namespace {

const json::Value& emptyObject() {
  static const json::Value kEmpty(rapidjson::kObjectType);
  return kEmpty;
}

std::string tooLong(std::string_view what, std::size_t limit) {
  return "liquid " + std::string(what) + " is limited to " + std::to_string(limit) + " bytes";
}

// Where variables are looked up: the template's own scopes over the event, or (for the `where`
// filter) just one element of an array.
struct Lookup {
  const Value& root;
  bool templateScopes;
};

class Renderer final : public FilterContext {
 public:
  Renderer(const Template::Program& program, const json::Value& scope)
      : program_(program), event_(Value::fromJson(scope)) {}

  std::string run() {
    std::string out;
    renderList(program_.nodes, out);
    json::text::joinSurrogatePairs(out);  // halves that meet again in the output
    return out;
  }

  void useMemory(double count) override {
    if (!(count > 0)) return;
    if (memoryUsed_ + count > kMemoryLimit) throw RenderFailure("memory alloc limit exceeded");
    memoryUsed_ += count;
  }

  void countSteps(std::size_t count) override {
    steps_ += count;
    if (steps_ > kMaxRenderSteps) throw LiquidError("template render limit exceeded");
  }

  Value readScopePath(const Value& root, std::string_view path) override {
    // `where` reads the same path from every element: parse it once.
    if (!scopePath_ || *scopePath_ != path) {
      scopePath_ = std::make_unique<const std::string>(path);
      scopePathOperand_ = parseScopePath(*scopePath_);
    }
    if (!scopePathOperand_) return {};
    return evaluateOperand(*scopePathOperand_, Lookup{root, false});
  }

  double nowMilliseconds() override {
    using namespace std::chrono;
    return static_cast<double>(
        duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  }

 private:
  // Renders `nodes` into `out`. A failure without a position gets the position of the node it
  // happened in (liquidjs's RenderError).
  void renderList(const NodeList& nodes, std::string& out) {
    countSteps(1);
    for (const Node& node : nodes) {
      countSteps(1);
      try {
        renderNode(node, out);
      } catch (const RenderFailure& e) {
        throwAt(program_.source, node.offset, e.what());
      }
      if (stopped_) break;
    }
  }

  void checkSize(const std::string& out) const {
    if (out.size() > kMaxStringBytes)
      throw RenderFailure(tooLong("template output", kMaxStringBytes));
  }

  void renderNode(const Node& node, std::string& out) {
    const auto& c = node.content;
    if (const auto* t = std::get_if<TextNode>(&c)) {
      out.append(t->text);
      checkSize(out);
    } else if (const auto* o = std::get_if<OutputNode>(&c)) {
      if (o->value) {
        appendOutput(evaluate(*o->value, templateLookup()), out);
        checkSize(out);
      }
    } else if (const auto* cond = std::get_if<ConditionalNode>(&c)) {
      renderConditional(*cond, out);
    } else if (const auto* a = std::get_if<AssignNode>(&c)) {
      assigned_[a->name] = evaluate(a->value, templateLookup());
    } else if (const auto* capture = std::get_if<CaptureNode>(&c)) {
      std::string captured;
      renderList(capture->body, captured);
      assigned_[capture->name] = Value::string(std::move(captured));
    } else if (const auto* counter = std::get_if<CounterNode>(&c)) {
      renderCounter(*counter, out);
    } else if (const auto* cycle = std::get_if<CycleNode>(&c)) {
      renderCycle(*cycle, out);
    } else if (const auto* seq = std::get_if<SequenceNode>(&c)) {
      if (seq->definesBlock) ++blockDepth_;
      renderList(seq->body, out);
      if (seq->definesBlock) --blockDepth_;
    } else if (std::get_if<StopNode>(&c)) {
      // Outside a loop, break and continue stop everything that follows.
      stopped_ = true;
    }
  }

  void renderConditional(const ConditionalNode& node, std::string& out) {
    for (const auto& branch : node.branches) {
      bool truthy = isTruthy(evaluate(branch.condition, templateLookup()));
      if (branch.negated ? !truthy : truthy) {
        renderList(branch.body, out);
        return;
      }
    }
    renderList(node.elseBody, out);
  }

  // liquidjs keeps counters in the event object itself, so they also shadow its fields.
  void renderCounter(const CounterNode& node, std::string& out) {
    if (event_.isString() && hasOwnProperty(event_, node.name)) {
      // A string's length and characters cannot be assigned in JavaScript's strict mode.
      throw RenderFailure("Cannot assign to read only property '" + node.name +
                          "' of object '[object String]'");
    }
    double current = 0;
    if (auto it = counters_.find(node.name); it != counters_.end()) {
      current = it->second;
    } else if (hasOwnProperty(event_, node.name)) {
      Value v = readProperty(event_, Value::borrowedString(node.name));
      if (v.isNumber()) current = v.asNumber();
    }
    double next = node.increment ? current + 1 : current - 1;
    counters_[node.name] = next;
    json::appendNumber(node.increment ? current : next, out);
    checkSize(out);
  }

  void renderCycle(const CycleNode& node, std::string& out) {
    Value group = node.group ? evaluateOperand(*node.group, templateLookup()) : Value();
    std::string key = "cycle:";
    appendJsString(group, key);
    key.push_back(':');
    key.append(node.candidatesText);
    std::size_t& index = cycles_[key];
    const FilteredValue& candidate = node.candidates[index];
    index = (index + 1) % node.candidates.size();
    Value v = toPrimitive(evaluate(candidate, templateLookup()));
    if (isJsTruthy(v)) {
      appendOutput(v, out);
      checkSize(out);
    }
  }

  Lookup templateLookup() const { return Lookup{event_, true}; }

  Value evaluate(const FilteredValue& fv, const Lookup& lookup) {
    Value v = evaluateExpression(fv.expression, lookup);
    for (const FilterCall& filter : fv.filters) {
      countSteps(1);
      std::vector<Value> args;
      args.reserve(filter.arguments.size());
      for (const FilterArgument& a : filter.arguments) {
        Value arg = a.value ? evaluateOperand(*a.value, lookup) : Value();
        if (a.key) arg = Value::array({Value::borrowedString(*a.key), std::move(arg)});
        args.push_back(std::move(arg));
      }
      if (!filter.definition) continue;  // an unknown filter passes its input on
      if (!filter.definition->function) throwDisabledFilter(filter.name);
      v = filter.definition->function(*this, v, args);
      if (v.isString() && v.asString().size() > kMaxStringBytes) {
        throw RenderFailure(tooLong("string", kMaxStringBytes));
      }
      if (v.isArray() && v.arraySize() > kMaxArrayLength) {
        throw RenderFailure("liquid arrays are limited to " + std::to_string(kMaxArrayLength) +
                            " elements");
      }
    }
    return v;
  }

  Value evaluateExpression(const std::vector<ExpressionItem>& items, const Lookup& lookup) {
    if (items.size() == 1 && !items[0].isOperator) return evaluateOperand(items[0].operand, lookup);
    std::vector<Value> stack;
    auto pop = [&stack]() {
      if (stack.empty()) return Value();
      Value v = std::move(stack.back());
      stack.pop_back();
      return v;
    };
    for (const ExpressionItem& item : items) {
      if (!item.isOperator) {
        stack.push_back(evaluateOperand(item.operand, lookup));
        continue;
      }
      Value r = pop();
      if (item.op == Operator::Not) {
        stack.push_back(Value::boolean(!isTruthy(r)));
        continue;
      }
      Value l = pop();
      stack.push_back(Value::boolean(apply(item.op, l, r)));
    }
    return stack.empty() ? Value() : stack.front();
  }

  static bool apply(Operator op, const Value& l, const Value& r) {
    switch (op) {
      case Operator::Equal:
        return liquidEquals(l, r);
      case Operator::NotEqual:
        return !liquidEquals(l, r);
      case Operator::Greater:
        return liquidCompare(Comparison::Greater, l, r);
      case Operator::Less:
        return liquidCompare(Comparison::Less, l, r);
      case Operator::GreaterOrEqual:
        return liquidCompare(Comparison::GreaterOrEqual, l, r);
      case Operator::LessOrEqual:
        return liquidCompare(Comparison::LessOrEqual, l, r);
      case Operator::Contains:
        return liquidContains(l, r);
      case Operator::And:
        return isTruthy(l) && isTruthy(r);
      case Operator::Or:
        return isTruthy(l) || isTruthy(r);
      case Operator::Not:
        return !isTruthy(r);
    }
    return false;
  }

  Value evaluateOperand(const Operand& o, const Lookup& lookup) {
    switch (o.kind) {
      case Operand::Kind::Literal:
        return o.literal;
      case Operand::Kind::Range:
        return evaluateRange(o, lookup);
      case Operand::Kind::Path:
        break;
    }
    std::size_t first = 0;
    Value v;
    if (o.base) {
      v = evaluateOperand(*o.base, lookup);
    } else {
      v = lookupVariable(toPrimitive(evaluateOperand(o.keys[0], lookup)), lookup);
      first = 1;
    }
    for (std::size_t i = first; i < o.keys.size(); ++i) {
      v = readProperty(v, toPrimitive(evaluateOperand(o.keys[i], lookup)));
    }
    return v;
  }

  // The first name of a variable path: assigned variables, then counters, then the event's own
  // fields; anything else reads from an empty object (so `size` is 0).
  Value lookupVariable(const Value& key, const Lookup& lookup) {
    std::string name = propertyKey(key);
    if (lookup.templateScopes) {
      if (blockDepth_ > 0 && name == "block") return Value::special(Value::Kind::Block);
      if (!assigned_.empty()) {
        if (auto it = assigned_.find(name); it != assigned_.end()) return it->second;
      }
      if (!counters_.empty()) {
        if (auto it = counters_.find(name); it != counters_.end()) return Value::number(it->second);
      }
    }
    if (lookup.root.kind() == Value::Kind::Object) {  // the common case: one member lookup
      const json::Value& object = *lookup.root.json();
      auto it = object.FindMember(
          rapidjson::StringRef(name.data(), static_cast<rapidjson::SizeType>(name.size())));
      if (it != object.MemberEnd()) return Value::fromJson(it->value);
    } else if (hasOwnProperty(lookup.root, name)) {
      return readProperty(lookup.root, key);
    }
    return readProperty(Value::fromJson(emptyObject()), key);
  }

  Value evaluateRange(const Operand& o, const Lookup& lookup) {
    double low = toNumber(toPrimitive(evaluateOperand(*o.low, lookup)));
    double high = toNumber(toPrimitive(evaluateOperand(*o.high, lookup)));
    double count = high - low + 1;
    useMemory(count);
    std::vector<Value> items;
    if (count > 0)
      items.reserve(static_cast<std::size_t>(std::min(count, double(kMaxArrayLength))));
    for (double i = low; i < high + 1; i += 1) {
      if (items.size() >= kMaxArrayLength) {
        throw RenderFailure("liquid ranges are limited to " + std::to_string(kMaxArrayLength) +
                            " elements");
      }
      items.push_back(Value::number(i));
    }
    countSteps(items.size());
    return Value::array(std::move(items));
  }

  const Template::Program& program_;
  Value event_;
  std::unordered_map<std::string, Value> assigned_;
  std::unordered_map<std::string, double> counters_;
  std::unordered_map<std::string, std::size_t> cycles_;
  std::size_t blockDepth_ = 0;
  bool stopped_ = false;
  double memoryUsed_ = 0;
  std::size_t steps_ = 0;
  std::unique_ptr<const std::string> scopePath_;  // the operand borrows from it
  std::optional<Operand> scopePathOperand_;
};

}  // namespace

std::string renderProgram(const Template::Program& program, const json::Value& scope) {
  return Renderer(program, scope).run();
}

}  // namespace actions::liquid
