#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "json/fast_reader.h"
#include "json/json.h"

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
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return wellFormed(s, n) && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return wellFormed(s, n) && doc_.Key(s, n, copy);
  }
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
  bool loneSurrogate() const { return loneSurrogate_; }

 private:
  // The reader turns a lone "\udc00"-style escape into the UTF-8 bytes of a surrogate, which no
  // UTF-8 consumer (the server included) accepts: refuse it here (ED A0..BF starts one).
  bool wellFormed(const char* s, rapidjson::SizeType n) {
    for (const char* p = s; (p = static_cast<const char*>(std::memchr(p, '\xED', s + n - p)));) {
      if (p + 1 < s + n && static_cast<unsigned char>(p[1]) >= 0xA0) {
        loneSurrogate_ = true;
        return false;
      }
      ++p;
    }
    return true;
  }
  bool enter() {
    if (++depth_ > maxDepth_) tooDeep_ = true;
    return !tooDeep_;
  }
  Document& doc_;
  unsigned maxDepth_;
  unsigned depth_ = 0;
  bool tooDeep_ = false;
  bool loneSurrogate_ = false;
};

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

std::string ParseError::describe() const {
  return "invalid JSON at line " + std::to_string(line) + ", column " + std::to_string(column) +
         ": " + message;
}

std::optional<ParseError> parse(std::string_view text, Document& doc, unsigned maxDepth) {
  // Nearly every event is plain JSON that the quick reader builds on its own.
  switch (detail::parseCommonCase(text, doc, maxDepth)) {
    case detail::FastParse::Done:
      return std::nullopt;
    case detail::FastParse::DoneCheckKeys:
      collapseAllDuplicateKeys(doc);
      return std::nullopt;
    case detail::FastParse::Declined:
      break;
  }
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag |
                              rapidjson::kParseValidateEncodingFlag;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader reader;
  rapidjson::ParseResult result;
  bool deep = false, surrogate = false;
  auto generate = [&](Document& d) {
    DepthLimitedHandler handler(d, maxDepth);
    result = reader.Parse<kFlags>(stream, handler);
    deep = handler.tooDeep();
    surrogate = handler.loneSurrogate();
    return !result.IsError();
  };
  doc.Populate(generate);
  std::size_t offset = result.Offset();
  bool tooDeep = deep && result.Code() == rapidjson::kParseErrorTermination;
  bool badSurrogate = surrogate && result.Code() == rapidjson::kParseErrorTermination;
  // A NUL byte looks like the end of input to the reader; name it for what it is.
  if (!result.IsError() && stream.Tell() < text.size()) {
    result.Set(rapidjson::kParseErrorDocumentRootNotSingular, stream.Tell());
    offset = stream.Tell();
  }
  if (!result.IsError()) {
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
  } else if (badSurrogate) {
    err.message = "a \\u escape encodes half of a surrogate pair, which is not valid Unicode";
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
