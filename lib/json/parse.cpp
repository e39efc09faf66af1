// The reader's 16-byte scans over unescaped string runs and whitespace exist only for its
// StringStream, and only with these macros; no other file of the project parses a StringStream,
// so the faster specializations cannot meet a plain instantiation of the same template.
#if defined(__SSE4_2__)
#define RAPIDJSON_SSE42
#elif defined(__SSE2__)
#define RAPIDJSON_SSE2
#elif defined(__ARM_NEON)
#define RAPIDJSON_NEON
#endif

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "json/json.h"

namespace actions::json {
namespace {

// Whether `s` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past U+10FFFF):
// exactly what the reader's own encoding check accepts inside strings. Eight ASCII bytes are
// checked at a time.
bool isWellFormedUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ull) == 0) {
        p += 8;
        continue;
      }
    }
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    std::size_t left = static_cast<std::size_t>(end - p);
    auto cont = [&](std::size_t i) { return (p[i] & 0xC0) == 0x80; };
    if (c >= 0xC2 && c <= 0xDF) {
      if (left < 2 || !cont(1)) return false;
      p += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      if (left < 3 || !cont(1) || !cont(2)) return false;
      if (c == 0xE0 && p[1] < 0xA0) return false;   // overlong
      if (c == 0xED && p[1] >= 0xA0) return false;  // a surrogate
      p += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return false;
      if (c == 0xF0 && p[1] < 0x90) return false;   // overlong
      if (c == 0xF4 && p[1] >= 0x90) return false;  // past U+10FFFF
      p += 4;
    } else {
      return false;
    }
  }
  return true;
}

// Whether a \u escape appears in `s` (the only way a decoded string can hold a lone surrogate
// once the raw bytes are known to be well-formed).
bool hasUnicodeEscape(std::string_view s) {
  const char* p = s.data();
  const char* end = p + s.size();
  while ((p = static_cast<const char*>(std::memchr(p, '\\', static_cast<std::size_t>(end - p))))) {
    if (p + 1 < end && p[1] == 'u') return true;
    p += 2;  // past the escaped character, which may itself be a backslash
    if (p >= end) break;
  }
  return false;
}

// Forwards SAX events to the document while counting nesting, so a hostile document is
// refused before it is built rather than overflowing a later recursive walk.
class DepthLimitedHandler {
 public:
  DepthLimitedHandler(Document& doc, unsigned maxDepth, bool checkSurrogates)
      : doc_(doc), maxDepth_(maxDepth), checkSurrogates_(checkSurrogates) {}
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
    if (!checkSurrogates_) return true;
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
  bool checkSurrogates_;
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
  constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag;
  rapidjson::ParseResult result;
  std::size_t consumed = 0;
  bool deep = false, surrogate = false;
  // Well-formed UTF-8 (nearly every event) needs no per-character check inside the reader, which
  // then copies unescaped runs 16 bytes at a time; anything else goes through the reader's own
  // check, so errors are reported exactly as before.
  if (isWellFormedUtf8(text)) {
    // The fast stream reads up to a NUL in aligned 16-byte blocks: a private, padded copy.
    thread_local std::string padded;
    padded.assign(text);
    padded.append(16, '\0');
    rapidjson::StringStream stream(padded.data());
    bool checkSurrogates = hasUnicodeEscape(text);
    auto generate = [&](Document& d) {
      DepthLimitedHandler handler(d, maxDepth, checkSurrogates);
      thread_local rapidjson::Reader reader;  // keeps its stack's capacity between events
      result = reader.Parse<kFlags>(stream, handler);
      deep = handler.tooDeep();
      surrogate = handler.loneSurrogate();
      return !result.IsError();
    };
    doc.Populate(generate);
    consumed = stream.Tell();
  } else {
    rapidjson::MemoryStream stream(text.data(), text.size());
    auto generate = [&](Document& d) {
      DepthLimitedHandler handler(d, maxDepth, true);
      rapidjson::Reader reader;
      result = reader.Parse<kFlags | rapidjson::kParseValidateEncodingFlag>(stream, handler);
      deep = handler.tooDeep();
      surrogate = handler.loneSurrogate();
      return !result.IsError();
    };
    doc.Populate(generate);
    consumed = stream.Tell();
  }
  std::size_t offset = result.Offset();
  bool tooDeep = deep && result.Code() == rapidjson::kParseErrorTermination;
  bool badSurrogate = surrogate && result.Code() == rapidjson::kParseErrorTermination;
  // A NUL byte looks like the end of input to the reader; name it for what it is.
  if (!result.IsError() && consumed < text.size()) {
    result.Set(rapidjson::kParseErrorDocumentRootNotSingular, consumed);
    offset = consumed;
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
