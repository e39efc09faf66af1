#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "json/json.h"

namespace actions::json {
namespace {

constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53

// Lays out shortest round-trip digits the way ECMAScript's Number::toString does:
// fixed notation for 1e-7 < |x| < 1e21, exponential otherwise.
void appendDigitsJs(std::string_view digits, int pointPos, std::string& out) {
  const int k = static_cast<int>(digits.size());
  const int n = pointPos;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    out.append(digits);
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out.append(digits.substr(0, n));
    out.push_back('.');
    out.append(digits.substr(n));
  } else if (-6 < n && n <= 0) {
    out.append("0.");
    out.append(static_cast<std::size_t>(-n), '0');
    out.append(digits);
  } else {
    out.push_back(digits[0]);
    if (k > 1) {
      out.push_back('.');
      out.append(digits.substr(1));
    }
    out.push_back('e');
    int e = n - 1;
    out.push_back(e < 0 ? '-' : '+');
    out.append(std::to_string(e < 0 ? -e : e));
  }
}

void appendInteger(int64_t v, std::string& out) {
  char buf[24];
  auto r = fmt::format_to_n(buf, sizeof buf, "{}", v);
  out.append(buf, r.size);
}

void writeValue(const Value& v, std::string& out);

}  // namespace

void appendNumber(double d, std::string& out) {
  if (std::isnan(d)) {
    out.append("NaN");
    return;
  }
  if (std::isinf(d)) {
    out.append(d < 0 ? "-Infinity" : "Infinity");
    return;
  }
  if (d == 0) {  // also -0, which JavaScript prints as 0
    out.push_back('0');
    return;
  }
  if (std::fabs(d) < kMaxSafeInteger && d == std::trunc(d)) {
    appendInteger(static_cast<int64_t>(d), out);
    return;
  }
  // {fmt} gives the shortest digits that round-trip; only their layout differs from JavaScript.
  char buf[40];
  auto r = fmt::format_to_n(buf, sizeof buf, "{}", d);
  std::string_view s(buf, r.size);
  if (s.front() == '-') {
    out.push_back('-');
    s.remove_prefix(1);
  }
  std::string_view mantissa = s;
  int exponent = 0;
  if (auto e = s.find('e'); e != std::string_view::npos) {
    mantissa = s.substr(0, e);
    exponent = std::stoi(std::string(s.substr(e + 1)));
  }
  char digits[32];
  int k = 0;
  int pointPos = -1;
  for (char c : mantissa) {
    if (c == '.') {
      pointPos = k;
    } else {
      digits[k++] = c;
    }
  }
  if (pointPos < 0) pointPos = k;
  pointPos += exponent;
  int first = 0;
  while (first < k - 1 && digits[first] == '0') {
    ++first;
    --pointPos;
  }
  int last = k;
  while (last > first + 1 && digits[last - 1] == '0') --last;
  appendDigitsJs(std::string_view(digits + first, last - first), pointPos, out);
}

double toDouble(const Value& number) {
  if (number.IsInt64()) return static_cast<double>(number.GetInt64());
  if (number.IsUint64()) return static_cast<double>(number.GetUint64());
  return number.GetDouble();
}

void appendNumber(const Value& number, std::string& out) {
  if (number.IsInt64()) {
    int64_t i = number.GetInt64();
    if (i > -(int64_t{1} << 53) && i < (int64_t{1} << 53)) {
      appendInteger(i, out);
      return;
    }
  }
  appendNumber(toDouble(number), out);
}

void appendQuoted(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + s.size() + 2);
  out.push_back('"');
  std::size_t runStart = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + runStart, i - runStart);
    runStart = i + 1;
    switch (c) {
      case '"': out.append("\\\""); break;
      case '\\': out.append("\\\\"); break;
      case '\b': out.append("\\b"); break;
      case '\f': out.append("\\f"); break;
      case '\n': out.append("\\n"); break;
      case '\r': out.append("\\r"); break;
      case '\t': out.append("\\t"); break;
      default:
        out.append("\\u00");
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xf]);
    }
  }
  out.append(s.data() + runStart, s.size() - runStart);
  out.push_back('"');
}

namespace {

// Iterative, so depth is limited only by memory, never by the stack.
void writeValue(const Value& root, std::string& out) {
  struct Frame {
    const Value* container;
    rapidjson::SizeType next;
  };
  std::vector<Frame> stack;
  const Value* v = &root;
  for (;;) {
    if (v) {
      switch (v->GetType()) {
        case rapidjson::kNullType: out.append("null"); break;
        case rapidjson::kFalseType: out.append("false"); break;
        case rapidjson::kTrueType: out.append("true"); break;
        case rapidjson::kNumberType: {
          double d = v->IsDouble() ? v->GetDouble() : 0;
          if (v->IsDouble() && !std::isfinite(d)) out.append("null");  // as JSON.stringify
          else appendNumber(*v, out);
          break;
        }
        case rapidjson::kStringType:
          appendQuoted(std::string_view(v->GetString(), v->GetStringLength()), out);
          break;
        case rapidjson::kObjectType:
          out.push_back('{');
          stack.push_back({v, 0});
          break;
        case rapidjson::kArrayType:
          out.push_back('[');
          stack.push_back({v, 0});
          break;
      }
    }
    if (stack.empty()) return;
    Frame& f = stack.back();
    if (f.container->IsObject()) {
      if (f.next == f.container->MemberCount()) {
        out.push_back('}');
        stack.pop_back();
        v = nullptr;
        continue;
      }
      if (f.next) out.push_back(',');
      const auto& m = f.container->MemberBegin()[f.next++];
      appendQuoted(std::string_view(m.name.GetString(), m.name.GetStringLength()), out);
      out.push_back(':');
      v = &m.value;
    } else {
      if (f.next == f.container->Size()) {
        out.push_back(']');
        stack.pop_back();
        v = nullptr;
        continue;
      }
      if (f.next) out.push_back(',');
      v = &(*f.container)[f.next++];
    }
  }
}

void appendJsStringDepth(const Value& v, std::string& out, unsigned depth) {
  switch (v.GetType()) {
    case rapidjson::kNullType: out.append("null"); return;
    case rapidjson::kFalseType: out.append("false"); return;
    case rapidjson::kTrueType: out.append("true"); return;
    case rapidjson::kNumberType: appendNumber(v, out); return;
    case rapidjson::kStringType: out.append(v.GetString(), v.GetStringLength()); return;
    case rapidjson::kObjectType: out.append("[object Object]"); return;
    case rapidjson::kArrayType: {
      if (depth > kMaxDepth) return;
      bool first = true;
      for (const auto& e : v.GetArray()) {
        if (!first) out.push_back(',');
        first = false;
        // Array.prototype.join prints null and undefined elements as empty strings.
        if (!e.IsNull()) appendJsStringDepth(e, out, depth + 1);
      }
      return;
    }
  }
}

}  // namespace

void stringify(const Value& v, std::string& out) { writeValue(v, out); }

std::string stringify(const Value& v) {
  std::string out;
  writeValue(v, out);
  return out;
}

void appendJsString(const Value& v, std::string& out) { appendJsStringDepth(v, out, 0); }

std::string toJsString(const Value& v) {
  std::string out;
  appendJsString(v, out);
  return out;
}

}  // namespace actions::json
