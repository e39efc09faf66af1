#include "body_parser.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <string>

#include "limits.h"

namespace serve {
namespace {

// The reader over the body's bytes, remembering how many it has consumed (Tell) so the handler
// can note where values begin and end.
struct BodyStream {
  using Ch = char;
  BodyStream(const char* p, std::size_t n) : begin_(p), cur_(p), end_(p + n) {}
  Ch Peek() const { return cur_ < end_ ? *cur_ : '\0'; }
  Ch Take() { return cur_ < end_ ? *cur_++ : '\0'; }
  std::size_t Tell() const { return static_cast<std::size_t>(cur_ - begin_); }
  Ch* PutBegin() { return nullptr; }
  void Put(Ch) {}
  void Flush() {}
  std::size_t PutEnd(Ch*) { return 0; }

  const char* begin_;
  const char* cur_;
  const char* end_;
};

// Deeper bodies are refused before the reader's recursion could exhaust a thread's stack.
constexpr std::size_t kMaxDepth = 256;

// The recursive reader (not kParseIterativeFlag) consumes a bracket before it tells the handler,
// so Tell() is just past a value's first byte at its start and just past its last at its end.
class Handler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, Handler> {
 public:
  Handler(const BodyStream& stream, ParsedBody& out) : stream_(stream), out_(out) {}

  bool Null() { return scalar(JsonKind::Null); }
  bool Bool(bool) { return scalar(JsonKind::Bool); }
  bool Int(int) { return scalar(JsonKind::Number); }
  bool Uint(unsigned) { return scalar(JsonKind::Number); }
  bool Int64(std::int64_t) { return scalar(JsonKind::Number); }
  bool Uint64(std::uint64_t) { return scalar(JsonKind::Number); }
  bool Double(double) { return scalar(JsonKind::Number); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return scalar(JsonKind::Number); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    if (!scalar(JsonKind::String)) return false;
    if (stack_.size() == 1) out_.members.back().string.assign(s, n);
    return true;
  }
  bool StartObject() { return open(false); }
  bool StartArray() { return open(true); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    std::string_view key(s, n);
    if (stack_.size() == 1) {
      out_.members.emplace_back();
      out_.members.back().key.assign(key);
    } else if (stack_.size() == 3 && inArrayMember() && !stack_[2]) {
      Element& e = out_.members.back().elements.back();
      if (key == "type") e.hasType = true;
      if (key == "writeKey") e.hasWriteKey = true;
      if (key == "context") e.hasContext = true;
      if (key == "integrations") e.hasIntegrations = true;
    }
    return true;
  }

 private:
  // Containers open now: true for an array. [0] is the body's object.
  bool inArrayMember() const { return stack_.size() >= 2 && stack_[1]; }

  // A value begins at the current depth.
  bool begin(JsonKind kind) {
    if (stack_.empty()) {
      if (kind != JsonKind::Object) {
        out_.error = std::string("the body must be a JSON object, not ") + describe(kind);
        return false;
      }
    } else if (stack_.size() == 1) {
      Member& m = out_.members.back();
      m.kind = kind;
      if (kind == JsonKind::Object || kind == JsonKind::Array) m.begin = stream_.Tell() - 1;
    } else if (stack_.size() == 2 && inArrayMember()) {
      // Parsing stops there: what a request costs stays proportionate to what it may hold.
      if (out_.members.back().elements.size() == kMaxEventsPerRequest) {
        out_.error = "an array of the body has more than " + std::to_string(kMaxEventsPerRequest) +
                     " elements, over the limit of events per request: split it";
        return false;
      }
      Element e;
      e.object = kind == JsonKind::Object;
      e.begin = stream_.Tell() - (kind == JsonKind::Object || kind == JsonKind::Array ? 1 : 0);
      out_.members.back().elements.push_back(e);
    }
    return true;
  }
  bool scalar(JsonKind kind) { return begin(kind); }
  bool open(bool array) {
    if (stack_.size() >= kMaxDepth) {
      out_.error = "the body is nested more than " + std::to_string(kMaxDepth) + " levels deep";
      return false;
    }
    if (!begin(array ? JsonKind::Array : JsonKind::Object)) return false;
    stack_.push_back(array);
    return true;
  }
  bool close() {
    stack_.pop_back();
    if (stack_.size() == 1)
      out_.members.back().end = stream_.Tell();
    else if (stack_.size() == 2 && inArrayMember())
      out_.members.back().elements.back().end = stream_.Tell();
    return true;
  }

  const BodyStream& stream_;
  ParsedBody& out_;
  std::vector<bool> stack_;
};

}  // namespace

const Member* ParsedBody::find(std::string_view key) const {
  for (const auto& m : members)
    if (m.key == key) return &m;
  return nullptr;
}

const char* describe(JsonKind kind) {
  switch (kind) {
    case JsonKind::Null:
      return "null";
    case JsonKind::Bool:
      return "a boolean";
    case JsonKind::Number:
      return "a number";
    case JsonKind::String:
      return "a string";
    case JsonKind::Object:
      return "an object";
    case JsonKind::Array:
      return "an array";
  }
  return "a value";
}

ParsedBody parseBody(std::string_view body) {
  ParsedBody out;
  BodyStream stream(body.data(), body.size());
  Handler handler(stream, out);
  rapidjson::Reader reader;
  auto result = reader.Parse<rapidjson::kParseDefaultFlags>(stream, handler);
  if (!out.error.empty()) return out;
  if (result.IsError()) {
    out.members.clear();
    out.error = std::string("the body is not JSON: ") + rapidjson::GetParseError_En(result.Code()) +
                " (at byte " + std::to_string(result.Offset()) + ")";
    return out;
  }
  // A NUL byte reads as the end of the text: anything after it is not JSON either.
  if (stream.Tell() < body.size()) {
    out.members.clear();
    out.error = "the body is not JSON: unexpected bytes after the object (at byte " +
                std::to_string(stream.Tell()) + ")";
  }
  return out;
}

}  // namespace serve
