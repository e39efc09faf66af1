// @json: JSON.stringify of a value ("encode"), or JSON.parse of a string ("decode"; text that
// does not parse is given back as it is).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <unordered_map>

#include "mapping/directives/registry.h"
#include "mapping/js/stringify.h"

namespace actions::mapping::directives {
namespace {

// A JSON number token: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool isJsonNumber(std::string_view t) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
    return i > start;
  };
  if (i < t.size() && t[i] == '-') ++i;
  if (i < t.size() && t[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < t.size() && t[i] == '.' && (++i, !digits())) return false;
  if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < t.size() && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == t.size();
}

// JSON.parse reads numbers beyond the double range as Infinity, which RapidJSON refuses. Such
// tokens are rewritten as RapidJSON's Infinity literal, accepted only where no literal of that
// kind was written (JSON.parse would refuse one). Nothing when there is nothing to rewrite.
std::optional<std::string> withInfinityLiterals(std::string_view text) {
  std::string out;
  bool rewritten = false;
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '"') {  // copy a string as it is
      std::size_t j = i + 1;
      while (j < text.size() && text[j] != '"') j += text[j] == '\\' ? 2 : 1;
      j = std::min(j + 1, text.size());
      out.append(text.substr(i, j - i));
      i = j;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < text.size() && std::strchr("0123456789+-.eE", text[j]) && text[j] != '\0') ++j;
      std::string token(text.substr(i, j - i));
      if (isJsonNumber(token) && std::isinf(std::strtod(token.c_str(), nullptr))) {
        out += c == '-' ? "-Infinity" : "Infinity";
        rewritten = true;
      } else {
        out += token;
      }
      i = j;
    } else if (c == 'I' || c == 'N') {
      return std::nullopt;
    } else {
      out.push_back(c);
      ++i;
    }
  }
  if (!rewritten) return std::nullopt;
  return out;
}

// A copy in JavaScript's terms: key order, and a repeated key keeping its first place with its
// last value (as json::parse gives it; needed when parsing went around it).
Value copyCollapsingKeys(const Value& v, Allocator& alloc, unsigned depth) {
  if (depth >= js::kMaxValueDepth) js::throwTooDeep();
  if (v.IsArray()) {
    Value out(rapidjson::kArrayType);
    for (const auto& e : v.GetArray()) out.PushBack(copyCollapsingKeys(e, alloc, depth + 1), alloc);
    return out;
  }
  if (!v.IsObject()) return Value(v, alloc);
  Value out(rapidjson::kObjectType);
  std::unordered_map<std::string_view, rapidjson::SizeType> seen;
  for (const auto& m : v.GetObject()) {
    auto [it, fresh] = seen.try_emplace(js::keyOf(m.name), out.MemberCount());
    if (fresh)
      out.AddMember(Value(m.name, alloc), copyCollapsingKeys(m.value, alloc, depth + 1), alloc);
    else
      out.MemberBegin()[it->second].value = copyCollapsingKeys(m.value, alloc, depth + 1);
  }
  js::sortMembers(out);
  return out;
}

// JSON.parse(text), or nothing when it throws. Repeated keys keep their first place with their
// last value, and numbers beyond the range of a double are Infinity, as in JSON.parse.
bool parseLikeJavaScript(std::string_view text, Allocator& alloc, Value& out) {
  json::Document doc;
  if (!json::parse(text, doc, js::kMaxValueDepth)) {
    out = js::copy(doc, alloc);  // JSON.parse gives JavaScript key order
    return true;
  }
  std::optional<std::string> rewritten = withInfinityLiterals(text);
  if (!rewritten) return false;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag |
                              rapidjson::kParseValidateEncodingFlag |
                              rapidjson::kParseNanAndInfFlag;
  doc.Parse<kFlags>(rewritten->data(), rewritten->size());
  if (doc.HasParseError()) return false;
  out = copyCollapsingKeys(doc, alloc, 0);
  return true;
}

class Json final : public Node {
 public:
  enum class Direction { Encode, Decode, Neither };
  Json(Direction d, NodePtr value) : direction_(d), value_(std::move(value)) {}

  Result eval(const Value& payload, EvalContext& ctx, Mode mode) const override {
    Result r = value_->eval(payload, ctx, direction_ == Direction::Decode ? mode : Mode::Raw);
    if (direction_ == Direction::Neither) return Result::undefined();
    const Value& v = r.value();
    if (direction_ == Direction::Encode) {
      std::string text;
      if (!js::stringify(v, text)) return Result::undefined();
      return Result::owned(Value(text, ctx.alloc));
    }
    if (!v.IsString() || js::isUndefined(v)) return r;
    Value parsed;
    if (!parseLikeJavaScript(js::keyOf(v), ctx.alloc, parsed)) return r;
    return Result::owned(std::move(parsed));
  }

 private:
  Direction direction_;
  NodePtr value_;
};

}  // namespace

NodePtr compileJson(const Value& options, Compiler& compiler) {
  if (!options.IsObject()) return compiler.failing("@json requires an object with a \"value\" key");
  if (!truthyOption(options, "mode")) return compiler.failing("@json requires a \"mode\" key");
  if (!truthyOption(options, "value")) return compiler.failing("@json requires a \"value\" key");
  const Value& mode = *option(options, "mode");
  Json::Direction d = mode == "encode"   ? Json::Direction::Encode
                      : mode == "decode" ? Json::Direction::Decode
                                         : Json::Direction::Neither;
  return std::make_unique<Json>(d, compiler.resolvable(*option(options, "value")));
}

}  // namespace actions::mapping::directives
