// include/actions/json_text.h over the JSON layer.
#include "actions/json_text.h"

#include "json/json.h"
#include "json/reader.h"

namespace actions {
namespace {

// Builds the outline from the reader's account: values begun and not yet ended are on a stack,
// so a value's depth is the stack's size when it begins.
class OutlineScanner final : public json::detail::Scanner {
 public:
  explicit OutlineScanner(JsonObjectOutline& out) : out_(out) {}

  void begin(json::detail::ScanKind kind, std::size_t at) override {
    std::size_t depth = open_.size();
    if (depth == 0) {
      out_.kind = kindOf(kind);
    } else if (depth == 1 && out_.kind == JsonKind::Object) {
      JsonMember& m = out_.members.back();  // its key came first
      m.kind = kindOf(kind);
      m.begin = at;
    } else if (depth == 2 && isArrayMember()) {
      JsonPart& e = out_.members.back().elements.emplace_back();
      e.kind = kindOf(kind);
      e.begin = at;
    }
    open_.push_back(kind);
  }
  void key(std::string_view name) override {
    std::size_t owner = open_.size() - 1;  // the object the key is in
    if (owner == 0 && out_.kind == JsonKind::Object)
      out_.members.emplace_back().key.assign(name);
    else if (JsonPart* part = partAt(owner))
      part->keys.emplace_back(name);
  }
  void string(std::string_view value) override {
    if (JsonPart* part = partAt(open_.size() - 1)) part->string.assign(value);
  }
  void end(std::size_t at) override {
    if (JsonPart* part = partAt(open_.size() - 1)) part->end = at;
    open_.pop_back();
  }

 private:
  static JsonKind kindOf(json::detail::ScanKind k) {
    static_assert(static_cast<int>(json::detail::ScanKind::Array) ==
                  static_cast<int>(JsonKind::Array));
    return static_cast<JsonKind>(static_cast<int>(k));
  }
  bool isArrayMember() const {
    return out_.kind == JsonKind::Object && open_.size() >= 2 &&
           open_[1] == json::detail::ScanKind::Array;
  }
  // The outlined part the open value at `depth` is: a member's value (1) or an element of an
  // array member (2); nothing deeper.
  JsonPart* partAt(std::size_t depth) {
    if (depth == 1 && out_.kind == JsonKind::Object) return &out_.members.back();
    if (depth == 2 && isArrayMember()) return &out_.members.back().elements.back();
    return nullptr;
  }

  JsonObjectOutline& out_;
  std::vector<json::detail::ScanKind> open_;  // values begun and not yet ended
};

}  // namespace

void appendJsonString(std::string_view text, std::string& out) {
  json::appendQuoted(text, out);
}

std::optional<std::string> outlineJsonObject(std::string_view text, JsonObjectOutline& out) {
  out = {};
  OutlineScanner scanner(out);
  if (json::detail::scan(text, scanner, json::kMaxDepth)) return std::nullopt;
  out = {};
  json::Document doc;
  if (auto error = json::parse(text, doc)) return error->describe();
  return "invalid JSON";  // the two readers disagree (none known)
}

std::optional<std::string> withoutJsonMember(std::string_view object, std::string_view key) {
  json::Document doc;
  if (json::parse(object, doc) || !doc.IsObject()) return std::nullopt;
  json::Value name(key.data(), static_cast<rapidjson::SizeType>(key.size()));
  doc.EraseMember(name);  // json::parse keeps one member per key
  return json::stringify(doc);
}

}  // namespace actions
