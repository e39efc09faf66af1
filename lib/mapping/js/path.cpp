#include "mapping/js/path.h"

#include "json/js_text.h"

namespace actions::mapping::js {
namespace {

bool isQuoteOrDigit(char c) {
  return c == '"' || c == '\'' || (c >= '0' && c <= '9');
}

// One step of get(): obj[key] for the JSON types, with what JavaScript gives for the few
// properties a path can reach on arrays and strings (length, indices).
Result step(const Value& obj, const std::string& key, EvalContext& ctx) {
  if (obj.IsObject()) {
    auto it = obj.FindMember(Value(rapidjson::StringRef(key.data(), key.size())));
    return it == obj.MemberEnd() ? Result::undefined() : Result::borrowed(it->value);
  }
  if (obj.IsArray()) {
    std::uint32_t index;
    if (key == "length") return Result::owned(Value(obj.Size()));
    if (isArrayIndex(key, &index) && index < obj.Size()) return Result::borrowed(obj[index]);
    return Result::undefined();
  }
  if (obj.IsString()) {
    std::string_view s(obj.GetString(), obj.GetStringLength());
    std::uint32_t index;
    if (key == "length")
      return Result::owned(Value(static_cast<std::uint64_t>(json::text::utf16Length(s))));
    if (isArrayIndex(key, &index)) {
      // The UTF-16 unit at `index` (half of a surrogate pair is a lone surrogate).
      if (auto unit = json::text::codeUnitAt(s, index))
        return Result::owned(Value(*unit, ctx.alloc));
    }
    return Result::undefined();
  }
  return Result::undefined();  // numbers and true have no own properties
}

}  // namespace

Path Path::parse(std::string_view path) {
  Path p;
  if (path.empty() || path == ".") return p;
  // Splits on "." , on "[" before a quote or digit, and on a run of "]" after one; then drops
  // empty parts and every quote character.
  std::string part;
  bool any = false;  // the part had characters before its quotes were dropped
  auto flush = [&] {
    if (any) p.keys_.push_back(part);
    part.clear();
    any = false;
  };
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '.') {
      flush();
    } else if (c == '[' && i + 1 < path.size() && isQuoteOrDigit(path[i + 1])) {
      flush();
    } else if (c == ']' && i > 0 && isQuoteOrDigit(path[i - 1])) {
      flush();
      while (i + 1 < path.size() && path[i + 1] == ']') ++i;
    } else {
      any = true;
      if (c != '"' && c != '\'') part.push_back(c);
    }
  }
  flush();
  return p;
}

std::string stripRootMarker(std::string_view path) {
  std::string s(path);
  auto pos = s.find("$.");
  if (pos != std::string::npos) s.erase(pos, 2);
  return s;
}

Path Path::parseDirective(std::string_view path) {
  return parse(stripRootMarker(path));
}

Result Path::get(const Value& payload, EvalContext& ctx) const {
  Result cur = Result::borrowed(payload);
  for (const auto& key : keys_) {
    if (!truthy(cur.value())) return cur;  // `prevObj && prevObj[key]`
    Result next = step(cur.value(), key, ctx);
    cur = std::move(next);
  }
  return cur;
}

}  // namespace actions::mapping::js
