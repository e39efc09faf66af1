#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "json/as_written.h"
#include "json/js_text.h"
#include "json/json.h"
#include "json/reader.h"

namespace actions::json {
namespace {

// Forwards SAX events to the document while counting nesting, so a hostile document is
// refused before it is built rather than overflowing a later recursive walk.
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(Document& doc, unsigned maxDepth) : doc_(doc), maxDepth_(maxDepth) {}
  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  bool RawNumber(const char* s, rapidjson::SizeType n, bool copy) {
    return doc_.RawNumber(s, n, copy);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) { return doc_.String(s, n, copy); }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) { return doc_.Key(s, n, copy); }
  bool StartObject() { return enter() && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return enter() && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool tooDeep() const { return tooDeep_; }

 private:
  bool enter() {
    if (++depth_ > maxDepth_) tooDeep_ = true;
    return !tooDeep_;
  }
  Document& doc_;
  unsigned maxDepth_;
  unsigned depth_ = 0;
  bool tooDeep_ = false;
};

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The value of the four hex digits at `p` (inside `text`), or -1.
int hex4At(std::string_view text, std::size_t p) {
  if (text.size() - p < 4) return -1;
  int v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    int h = hexValue(text[p + i]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

// `text` with each lone surrogate escape written as \uFFFD: the same length, so RapidJSON's
// reader, which refuses such escapes, finds the text's real error at its real place. Nothing
// when there is none.
std::optional<std::string> withoutLoneSurrogates(std::string_view text) {
  std::optional<std::string> out;
  bool inString = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      inString = !inString;
    } else if (inString && c == '\\' && i + 1 < text.size()) {
      if (text[i + 1] != 'u') {
        ++i;  // a one-character escape
        continue;
      }
      int cp = hex4At(text, i + 2);
      if (cp < 0) continue;
      auto unit = static_cast<char32_t>(cp);
      bool pair = text::isHighSurrogate(unit) && i + 7 < text.size() && text[i + 6] == '\\' &&
                  text[i + 7] == 'u' &&
                  text::isLowSurrogate(static_cast<char32_t>(hex4At(text, i + 8)));
      if (pair) {
        i += 11;
      } else {
        if (text::isSurrogate(unit)) {
          if (!out) out.emplace(text);
          out->replace(i + 2, 4, "FFFD");
        }
        i += 5;
      }
    }
  }
  return out;
}

bool sameKey(const Value& a, const Value& b) {
  return a.GetStringLength() == b.GetStringLength() &&
         std::equal(a.GetString(), a.GetString() + a.GetStringLength(), b.GetString());
}

// JSON.parse keeps the last value of a repeated key at the place of its first occurrence.
void collapseDuplicateKeys(Value& object) {
  auto n = object.MemberCount();
  if (n < 2) return;
  auto begin = object.MemberBegin();
  bool any = false;
  if (n <= 16) {
    for (rapidjson::SizeType i = 1; i < n && !any; ++i)
      for (rapidjson::SizeType j = 0; j < i; ++j)
        if (sameKey(begin[i].name, begin[j].name)) {
          any = true;
          break;
        }
  } else {
    std::vector<std::string_view> keys;
    keys.reserve(n);
    for (auto it = begin; it != object.MemberEnd(); ++it)
      keys.emplace_back(it->name.GetString(), it->name.GetStringLength());
    std::sort(keys.begin(), keys.end());
    any = std::adjacent_find(keys.begin(), keys.end()) != keys.end();
  }
  if (!any) return;
  // Rare path: rebuild in order, moving later values onto the first occurrence.
  for (rapidjson::SizeType i = 0; i < object.MemberCount(); ++i) {
    for (rapidjson::SizeType j = i + 1; j < object.MemberCount();) {
      auto m = object.MemberBegin();
      if (sameKey(m[i].name, m[j].name)) {
        m[i].value = m[j].value;  // move
        object.EraseMember(m + j);
      } else {
        ++j;
      }
    }
  }
}

void collapseAllDuplicateKeys(Value& root) {
  std::vector<Value*> stack{&root};
  while (!stack.empty()) {
    Value* v = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      collapseDuplicateKeys(*v);
      for (auto& m : v->GetObject())
        if (m.value.IsObject() || m.value.IsArray()) stack.push_back(&m.value);
    } else if (v->IsArray()) {
      for (auto& e : v->GetArray())
        if (e.IsObject() || e.IsArray()) stack.push_back(&e);
    }
  }
}

}  // namespace

// parse() and parseKeepingText(): `inText` keeps unescaped strings in the text.
std::optional<ParseError> parse(std::string_view text, Document& doc, unsigned maxDepth,
                                bool& asWritten, bool inText);

std::string ParseError::describe() const {
  return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
         ": " + message;
}

std::optional<ParseError> parse(std::string_view text, Document& doc, unsigned maxDepth) {
  bool asWritten;
  return parse(text, doc, maxDepth, asWritten, false);
}

std::optional<ParseError> parseKeepingText(std::string_view text, Document& doc, bool& asWritten,
                                           unsigned maxDepth) {
  return parse(text, doc, maxDepth, asWritten, true);
}

std::optional<ParseError> parse(std::string_view text, Document& doc, unsigned maxDepth,
                                bool& asWritten, bool inText) {
  asWritten = false;
  switch (detail::read(text, doc, maxDepth, &asWritten, inText)) {
    case detail::ReadResult::Done:
      return std::nullopt;
    case detail::ReadResult::DoneCheckKeys:
      collapseAllDuplicateKeys(doc);
      return std::nullopt;
    case detail::ReadResult::Failed:
      break;
  }
  // Not JSON: RapidJSON's reader says where and why. It refuses lone surrogate escapes, which
  // are JSON, so it reads a copy without them.
  std::optional<std::string> rewritten = withoutLoneSurrogates(text);
  std::string_view checked = rewritten ? std::string_view(*rewritten) : text;
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::MemoryStream stream(checked.data(), checked.size());
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  bool deep = false;
  auto generate = [&](Document& d) {
    DepthLimitedHandler handler(d, maxDepth);
    result = reader.Parse<kFlags>(stream, handler);
    deep = handler.tooDeep();
    return !result.IsError();
  };
  doc.Populate(generate);
  std::size_t offset = result.Offset();
  bool tooDeep = deep && result.Code() == rapidjson::kParseErrorTermination;
  // A NUL byte looks like the end of input to the reader; name it for what it is.
  if (!result.IsError() && stream.Tell() < checked.size()) {
    result.Set(rapidjson::kParseErrorDocumentRootNotSingular, stream.Tell());
    offset = stream.Tell();
  }
  if (!result.IsError() && !rewritten) {
    // The two readers disagree (none known); RapidJSON's document stands, as it always did.
    asWritten = false;
    collapseAllDuplicateKeys(doc);
    return std::nullopt;
  }
  ParseError err;
  err.offset = std::min(offset, text.size());
  for (std::size_t i = 0; i < err.offset; ++i) {
    if (text[i] == '\n') {
      ++err.line;
      err.column = 1;
    } else {
      ++err.column;
    }
  }
  if (tooDeep) {
    err.message = "nesting deeper than " + std::to_string(maxDepth) + " levels";
  } else if (!result.IsError()) {
    err.message = "the reader could not read this document";
  } else if (err.offset < text.size() && text[err.offset] == '\0') {
    err.message = "NUL byte in input";
  } else {
    err.message = rapidjson::GetParseError_En(result.Code());
    if (!err.message.empty() && err.message.back() == '.') err.message.pop_back();
  }
  doc.SetNull();
  return err;
}

unsigned depthOf(const Value& root) {
  unsigned best = 0;
  std::vector<std::pair<const Value*, unsigned>> stack{{&root, 0}};
  while (!stack.empty()) {
    auto [v, d] = stack.back();
    stack.pop_back();
    if (v->IsObject()) {
      best = std::max(best, d + 1);
      for (auto& m : v->GetObject()) stack.emplace_back(&m.value, d + 1);
    } else if (v->IsArray()) {
      best = std::max(best, d + 1);
      for (auto& e : v->GetArray()) stack.emplace_back(&e, d + 1);
    }
  }
  return best;
}

}  // namespace actions::json
