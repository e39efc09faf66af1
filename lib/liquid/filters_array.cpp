// Array filters (liquidjs's filters/array) that Segment leaves enabled. A non-array input counts
// as a one-element array, nil as an empty one.
#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "liquid/error.h"
#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

// Array.prototype.join: null and undefined elements print as nothing.
Value join(FilterContext& ctx, const Value& input, const Args& args) {
  std::vector<Value> items = toArray(input);
  Value sepArg = toPrimitive(argument(args, 0));
  std::string separator = sepArg.isNullOrUndefined() ? " " : toOutput(sepArg);
  double size = jsLength(separator) * static_cast<double>(items.empty() ? 0 : items.size() - 1);
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out.append(separator);
    const Value& e = items[i];
    if (e.isNullOrUndefined()) {
      size += e.isUndefined() ? 9 : 4;  // liquidjs counts String(e): "undefined", "null"
      continue;
    }
    std::size_t before = out.size();
    appendJsString(e, out);
    size += jsLength(std::string_view(out).substr(before));
  }
  ctx.countSteps(items.size());
  ctx.useMemory(size);
  return Value::string(std::move(out));
}

Value first(FilterContext&, const Value& input, const Args&) {
  Value v = toPrimitive(input);
  return isArrayLike(v) ? readArrayElement(v, 0) : Value::borrowedString("");
}

Value last(FilterContext&, const Value& input, const Args&) {
  Value v = toPrimitive(input);
  return isArrayLike(v) ? readArrayElement(v, -1) : Value::borrowedString("");
}

// `(v && v.length) || 0`: strings and arrays have a length; objects only if they have the key.
Value size(FilterContext&, const Value& input, const Args&) {
  if (!isJsTruthy(input)) return Value::number(0);
  Value length;
  switch (input.kind()) {
    case Value::Kind::String:
      length = Value::number(jsLength(input.asString()));
      break;
    case Value::Kind::Array:
      length = Value::number(static_cast<double>(input.arraySize()));
      break;
    case Value::Kind::Object:
      length = readProperty(input, Value::borrowedString("length"));
      break;
    default:
      break;
  }
  return isJsTruthy(length) ? length : Value::number(0);
}

// Reads a dot-separated path from `item` (sum's property).
Value readDotted(const Value& item, std::string_view path) {
  Value v = item;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = path.find('.', start);
    std::string_view key = path.substr(start, dot == std::string_view::npos ? dot : dot - start);
    v = readProperty(v, Value::borrowedString(key));
    if (dot == std::string_view::npos) return v;
    start = dot + 1;
  }
}

Value sum(FilterContext& ctx, const Value& input, const Args& args) {
  std::vector<Value> items = toArray(input);
  const Value& property = argument(args, 0);
  std::string path = isJsTruthy(property) ? toOutput(property) : std::string();
  double total = 0;
  for (const Value& item : items) {
    double d = toNumber(isJsTruthy(property) ? readDotted(item, path) : item);
    if (!std::isnan(d)) total += d;
  }
  ctx.countSteps(items.size());
  return Value::number(total);
}

Value compact(FilterContext& ctx, const Value& input, const Args&) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size()));
  ctx.countSteps(items.size());
  std::vector<Value> kept;
  for (const Value& v : items) {
    if (!toPrimitive(v).isNullOrUndefined()) kept.push_back(v);
  }
  return Value::array(std::move(kept));
}

Value push(FilterContext& ctx, const Value& input, const Args& args) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size() + 1));
  ctx.countSteps(items.size());
  items.push_back(argument(args, 0));
  return Value::array(std::move(items));
}

Value unshift(FilterContext& ctx, const Value& input, const Args& args) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size()));
  ctx.countSteps(items.size());
  items.insert(items.begin(), argument(args, 0));
  return Value::array(std::move(items));
}

Value pop(FilterContext& ctx, const Value& input, const Args&) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size()));
  ctx.countSteps(items.size());
  if (!items.empty()) items.pop_back();
  return Value::array(std::move(items));
}

Value shift(FilterContext& ctx, const Value& input, const Args&) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size()));
  ctx.countSteps(items.size());
  if (!items.empty()) items.erase(items.begin());
  return Value::array(std::move(items));
}

// JavaScript's ToIntegerOrInfinity clamped into [0, length] relative to the end when negative,
// as Array.prototype.slice treats its bounds.
std::size_t sliceBound(double d, std::size_t length) {
  if (std::isnan(d)) return 0;
  d = std::trunc(d);
  double n = static_cast<double>(length);
  if (d < 0) d = std::max(0.0, n + d);
  return static_cast<std::size_t>(std::min(d, n));
}

// slice: `length` elements (or characters, by code point) from `begin`; negative begins count
// from the end.
Value slice(FilterContext& ctx, const Value& input, const Args& args) {
  Value v = toPrimitive(input);
  if (v.isNullOrUndefined()) return Value::array({});
  const bool isArray = v.isArray();
  std::string s = isArray ? std::string() : toOutput(v);
  const Value& beginArg = argument(args, 0);
  double begin = beginArg.isUndefined() ? std::nan("") : toNumber(toPrimitive(beginArg));
  const Value& lengthArg = argument(args, 1);
  double length = numberOr(lengthArg, 1);
  double count = isArray ? static_cast<double>(v.arraySize())
                         : static_cast<double>(json::text::codePointCount(s));
  if (begin < 0) begin += count;
  if (begin < 0 || length < 0) return isArray ? Value::array({}) : Value::borrowedString("");
  ctx.useMemory(length);
  if (isArray) {
    std::size_t from = sliceBound(begin, v.arraySize());
    // `begin + length` in JavaScript: a string on either side concatenates.
    Value b = toPrimitive(beginArg);
    Value l = lengthArg.isUndefined() ? Value::number(1) : toPrimitive(lengthArg);
    double end = begin + length;
    if (b.isString() || l.isString()) {
      end = json::text::toNumber(toJsString(b) + toJsString(l));
      if (toNumber(b) < 0) end = std::nan("");  // a negative begin was rewritten as a number
    }
    std::size_t to = sliceBound(end, v.arraySize());
    std::vector<Value> items;
    ctx.countSteps(to > from ? to - from : 0);
    for (std::size_t i = from; i < to; ++i) items.push_back(v.arrayAt(i));
    return Value::array(std::move(items));
  }
  std::size_t start = json::text::advanceCodePoints(s, 0, loopCount(begin));
  std::size_t end = json::text::advanceCodePoints(s, start, loopCount(length));
  return Value::string(s.substr(start, end - start));
}

// where: the elements whose property equals the value, or is truthy when no value is given.
Value where(FilterContext& ctx, const Value& input, const Args& args) {
  std::vector<Value> items = toArray(input);
  ctx.useMemory(static_cast<double>(items.size()));
  std::string property = toOutput(argument(args, 0));
  const bool testTruthy = args.size() < 2 || args[1].isUndefined();
  // liquidjs parses the property before looking at any element, so a bad one always fails.
  ctx.readScopePath(Value(), property);
  std::vector<Value> kept;
  for (const Value& item : items) {
    ctx.countSteps(1);
    Value v = ctx.readScopePath(item, property);
    if (testTruthy ? isTruthy(v) : liquidEquals(v, args[1])) kept.push_back(item);
  }
  return Value::array(std::move(kept));
}

// sample: a random element (or `count` of them); nothing depends on which.
Value sample(FilterContext& ctx, const Value& input, const Args& args) {
  Value v = toPrimitive(input);
  if (v.isNullOrUndefined()) return Value::array({});
  std::vector<Value> items;
  if (v.isArray()) {
    items = toArray(v);
    ctx.useMemory(static_cast<double>(items.size()));
  } else {
    std::string s = toOutput(v);
    ctx.useMemory(jsLength(s));
    for (std::size_t i = 0; i < s.size();) {
      std::size_t n = json::text::decodeAt(s, i).length;
      items.push_back(Value::string(s.substr(i, n)));
      i += n;
    }
  }
  ctx.countSteps(items.size());
  thread_local std::mt19937 random{std::random_device{}()};
  std::shuffle(items.begin(), items.end(), random);
  const Value& countArg = argument(args, 0);
  if (countArg.isUndefined() || (countArg.isNumber() && countArg.asNumber() == 1)) {
    return items.empty() ? Value() : items.front();
  }
  items.resize(sliceBound(toNumber(toPrimitive(countArg)), items.size()));
  return Value::array(std::move(items));
}

constexpr FilterDefinition kFilters[] = {
    {"join", join},       {"first", first}, {"last", last},       {"size", size}, {"sum", sum},
    {"compact", compact}, {"push", push},   {"unshift", unshift}, {"pop", pop},   {"shift", shift},
    {"slice", slice},     {"where", where}, {"sample", sample},
};

}  // namespace

std::span<const FilterDefinition> arrayFilters() {
  return kFilters;
}

}  // namespace actions::liquid
