// Math filters (liquidjs's filters/math): the input and every given argument become numbers
// (anything that is not a number counts as 0); a missing argument makes the result NaN, as the
// JavaScript arithmetic on `undefined` does.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "liquid/filter_groups.h"
#include "liquid/filter_support.h"

namespace actions::liquid {
namespace {

using Args = std::vector<Value>;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kMaxSafeInteger = 9007199254740991.0;

// The i-th argument as liquidjs's argumentsToNumber passes it: converted when given.
double numberArgument(const Args& args, std::size_t i) {
  return i < args.size() ? toLiquidNumber(args[i]) : kNaN;
}

Value abs(FilterContext&, const Value& input, const Args&) {
  return Value::number(std::fabs(toLiquidNumber(input)));
}

// Math.max / Math.min over the input and all arguments.
Value atLeast(FilterContext&, const Value& input, const Args& args) {
  double result = toLiquidNumber(input);
  for (const Value& a : args) {
    double d = toLiquidNumber(a);
    if (d > result || (d == 0 && result == 0 && !std::signbit(d))) result = d;
  }
  return Value::number(result);
}

Value atMost(FilterContext&, const Value& input, const Args& args) {
  double result = toLiquidNumber(input);
  for (const Value& a : args) {
    double d = toLiquidNumber(a);
    if (d < result || (d == 0 && result == 0 && std::signbit(d))) result = d;
  }
  return Value::number(result);
}

Value ceil(FilterContext&, const Value& input, const Args&) {
  return Value::number(std::ceil(toLiquidNumber(input)));
}

Value floor(FilterContext&, const Value& input, const Args&) {
  return Value::number(std::floor(toLiquidNumber(input)));
}

Value dividedBy(FilterContext&, const Value& input, const Args& args) {
  double quotient = toLiquidNumber(input) / numberArgument(args, 0);
  bool integer = args.size() > 1 && toLiquidNumber(args[1]) != 0;
  return Value::number(integer ? std::floor(quotient) : quotient);
}

Value minus(FilterContext&, const Value& input, const Args& args) {
  return Value::number(toLiquidNumber(input) - numberArgument(args, 0));
}

Value plus(FilterContext&, const Value& input, const Args& args) {
  return Value::number(toLiquidNumber(input) + numberArgument(args, 0));
}

// ((v % arg) + arg) % arg: the result takes the divisor's sign.
Value modulo(FilterContext&, const Value& input, const Args& args) {
  double d = numberArgument(args, 0);
  return Value::number(std::fmod(std::fmod(toLiquidNumber(input), d) + d, d));
}

Value times(FilterContext&, const Value& input, const Args& args) {
  return Value::number(toLiquidNumber(input) * numberArgument(args, 0));
}

// liquidjs moves the decimal point by rewriting the number's exponent in text:
// Number(`${mantissa}e${power + exponent}`).
double shiftDecimal(double n, double exponent) {
  std::string s;
  json::appendNumber(n, s);
  std::string mantissa = s;
  double power = 0;
  if (std::size_t e = s.find('e'); e != std::string::npos) {
    mantissa = s.substr(0, e);
    power = json::text::toNumber(s.substr(e + 1));
  }
  std::string shifted = mantissa + "e";
  json::appendNumber(power + exponent, shifted);
  return json::text::toNumber(shifted);
}

// Math.round: to the nearest integer, halves upward.
double jsRound(double x) {
  if (!std::isfinite(x)) return x;
  double r = std::floor(x);
  return x - r >= 0.5 ? r + 1 : r;
}

Value round(FilterContext&, const Value& input, const Args& args) {
  double v = toLiquidNumber(input);
  double digits = toLiquidNumber(argument(args, 0));
  double scaled = shiftDecimal(std::fabs(v), digits);
  if (!(scaled <= kMaxSafeInteger)) return Value::number(v);
  double rounded = shiftDecimal(jsRound(scaled), -digits);
  return Value::number(v < 0 ? -rounded : rounded);
}

constexpr FilterDefinition kFilters[] = {
    {"abs", abs},
    {"at_least", atLeast},
    {"at_most", atMost},
    {"ceil", ceil},
    {"divided_by", dividedBy},
    {"floor", floor},
    {"minus", minus},
    {"plus", plus},
    {"modulo", modulo},
    {"times", times},
    {"round", round},
};

}  // namespace

std::span<const FilterDefinition> mathFilters() {
  return kFilters;
}

}  // namespace actions::liquid
