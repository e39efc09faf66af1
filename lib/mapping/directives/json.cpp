// @json: JSON.stringify of a value ("encode"), or JSON.parse of a string ("decode"; text that
// does not parse is given back as it is).
#include <cstdlib>
#include <unordered_map>

#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include "mapping/directives/registry.h"
#include "mapping/js/stringify.h"

namespace actions::mapping::directives {
namespace {

// Forwards to a document, reading numbers as JavaScript does: too big for a double is Infinity.
struct JsNumberHandler {
  json::Document& doc;
  bool Null() { return doc.Null(); }
  bool Bool(bool b) { return doc.Bool(b); }
  bool Int(int i) { return doc.Int(i); }
  bool Uint(unsigned u) { return doc.Uint(u); }
  bool Int64(int64_t i) { return doc.Int64(i); }
  bool Uint64(uint64_t u) { return doc.Uint64(u); }
  bool Double(double d) { return doc.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    return doc.Double(std::strtod(std::string(s, n).c_str(), nullptr));
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc.Key(s, n, copy); }
  bool StartObject() { return doc.StartObject(); }
  bool EndObject(rapidjson::SizeType n) { return doc.EndObject(n); }
  bool StartArray() { return doc.StartArray(); }
  bool EndArray(rapidjson::SizeType n) { return doc.EndArray(n); }
};

// A copy of parsed JSON in JavaScript's terms: key order, and a repeated key keeping its first
// place with its last value.
Value copyParsed(const Value& v, Allocator& alloc, unsigned depth) {
  if (depth >= js::kMaxValueDepth) js::throwTooDeep();
  if (v.IsArray()) {
    Value out(rapidjson::kArrayType);
    for (const auto& e : v.GetArray()) out.PushBack(copyParsed(e, alloc, depth + 1), alloc);
    return out;
  }
  if (!v.IsObject()) return Value(v, alloc);
  Value out(rapidjson::kObjectType);
  std::unordered_map<std::string_view, rapidjson::SizeType> seen;
  for (const auto& m : v.GetObject()) {
    auto [it, fresh] = seen.try_emplace(js::keyOf(m.name), out.MemberCount());
    if (fresh)
      out.AddMember(Value(m.name, alloc), copyParsed(m.value, alloc, depth + 1), alloc);
    else
      out.MemberBegin()[it->second].value = copyParsed(m.value, alloc, depth + 1);
  }
  js::sortMembers(out);
  return out;
}

// JSON.parse(text), or nothing when it throws.
bool parseLikeJavaScript(std::string_view text, Allocator& alloc, Value& out) {
  json::Document doc;
  if (!json::parse(text, doc)) {
    out = copyParsed(doc, alloc, 0);
    return true;
  }
  // RapidJSON refuses numbers beyond the double range and deep nesting, which JSON.parse takes.
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag |
                              rapidjson::kParseNumbersAsStringsFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  bool ok = false;
  auto generate = [&](json::Document& d) {
    JsNumberHandler handler{d};
    ok = !reader.Parse<kFlags>(stream, handler).IsError();
    return ok;
  };
  doc.Populate(generate);
  if (!ok || stream.Tell() < text.size()) return false;
  out = copyParsed(doc, alloc, 0);
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
