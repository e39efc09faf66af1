#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/as_written.h"
#include "json/json.h"

namespace actions::json {
namespace {

constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53

// The longest number written: a sign, "0.", five zeros and 17 digits, or a sign, 17 digits, a
// point and "e+308"; with room to spare.
constexpr std::size_t kMaxNumberChars = 48;

char* writeChars(char* dst, const char* s, std::size_t n) {
  std::memcpy(dst, s, n);
  return dst + n;
}

// Lays out shortest round-trip digits the way ECMAScript's Number::toString does:
// fixed notation for 1e-7 < |x| < 1e21, exponential otherwise.
char* writeDigitsJs(std::string_view digits, int pointPos, char* dst) {
  const int k = static_cast<int>(digits.size());
  const int n = pointPos;  // value = 0.digits * 10^n
  if (k <= n && n <= 21) {
    dst = writeChars(dst, digits.data(), digits.size());
    std::memset(dst, '0', static_cast<std::size_t>(n - k));
    return dst + (n - k);
  }
  if (0 < n && n <= 21) {
    dst = writeChars(dst, digits.data(), static_cast<std::size_t>(n));
    *dst++ = '.';
    return writeChars(dst, digits.data() + n, static_cast<std::size_t>(k - n));
  }
  if (-6 < n && n <= 0) {
    *dst++ = '0';
    *dst++ = '.';
    std::memset(dst, '0', static_cast<std::size_t>(-n));
    dst += -n;
    return writeChars(dst, digits.data(), digits.size());
  }
  *dst++ = digits[0];
  if (k > 1) {
    *dst++ = '.';
    dst = writeChars(dst, digits.data() + 1, static_cast<std::size_t>(k - 1));
  }
  *dst++ = 'e';
  int e = n - 1;
  *dst++ = e < 0 ? '-' : '+';
  return std::to_chars(dst, dst + 8, e < 0 ? -e : e).ptr;
}

// JavaScript's Number.prototype.toString of `d` into `dst` (room for kMaxNumberChars).
char* writeJsNumber(double d, char* dst) {
  if (std::isnan(d)) return writeChars(dst, "NaN", 3);
  if (std::isinf(d))
    return d < 0 ? writeChars(dst, "-Infinity", 9) : writeChars(dst, "Infinity", 8);
  if (d == 0) {  // also -0, which JavaScript prints as 0
    *dst++ = '0';
    return dst;
  }
  if (std::fabs(d) < kMaxSafeInteger && d == std::trunc(d))
    return std::to_chars(dst, dst + kMaxNumberChars, static_cast<int64_t>(d)).ptr;
  // The shortest digits that round-trip, the closest of them to `d` (as JavaScript chooses);
  // only their layout differs from JavaScript's.
  char buf[40];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  if (s.front() == '-') {
    *dst++ = '-';
    s.remove_prefix(1);
  }
  std::string_view mantissa = s;
  int exponent = 0;
  if (auto e = s.find('e'); e != std::string_view::npos) {
    mantissa = s.substr(0, e);
    std::string_view digitsOfExponent = s.substr(e + 1);
    bool negative = !digitsOfExponent.empty() && digitsOfExponent.front() == '-';
    if (!digitsOfExponent.empty() && (negative || digitsOfExponent.front() == '+'))
      digitsOfExponent.remove_prefix(1);
    std::from_chars(digitsOfExponent.data(), digitsOfExponent.data() + digitsOfExponent.size(),
                    exponent);
    if (negative) exponent = -exponent;
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
  return writeDigitsJs(std::string_view(digits + first, last - first), pointPos, dst);
}

// A JSON number value as JavaScript prints it, whatever its RapidJSON representation.
char* writeJsNumber(const Value& number, char* dst) {
  if (number.IsInt64()) {
    int64_t i = number.GetInt64();
    if (i > -(int64_t{1} << 53) && i < (int64_t{1} << 53))
      return std::to_chars(dst, dst + kMaxNumberChars, i).ptr;
  }
  return writeJsNumber(toDouble(number), dst);
}

}  // namespace

void appendNumber(double d, std::string& out) {
  char buf[kMaxNumberChars];
  out.append(buf, static_cast<std::size_t>(writeJsNumber(d, buf) - buf));
}

double toDouble(const Value& number) {
  if (number.IsInt64()) return static_cast<double>(number.GetInt64());
  if (number.IsUint64()) return static_cast<double>(number.GetUint64());
  return number.GetDouble();
}

void appendNumber(const Value& number, std::string& out) {
  char buf[kMaxNumberChars];
  out.append(buf, static_cast<std::size_t>(writeJsNumber(number, buf) - buf));
}

namespace {

// A thread's scratch output, written through a raw cursor with room reserved ahead, then
// appended to the caller's string in one copy: far cheaper than growing a std::string by
// single characters. The scratch keeps its size, so it is zero-filled only while it grows.
constexpr std::size_t kKeepScratch = std::size_t{4} << 20;

class Writer {
 public:
  Writer() : buf_(scratch()), p_(buf_.data()), end_(buf_.data() + buf_.size()) {}
  // A scratch grown for a huge value is given back: every thread keeps its own, for good.
  ~Writer() {
    if (buf_.size() > kKeepScratch) std::vector<char>(std::size_t{1} << 12).swap(buf_);
  }
  // Room for `n` more bytes.
  void ensure(std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n) grow(n);
  }
  void put(char c) { *p_++ = c; }  // after ensure()
  void write(const char* s, std::size_t n) {
    ensure(n);
    std::memcpy(p_, s, n);
    p_ += n;
  }
  template <std::size_t N>
  void literal(const char (&s)[N]) {
    write(s, N - 1);
  }
  // `padded`: eight bytes can be read from s.data() even when `s` is shorter.
  void quoted(std::string_view s, bool padded = false);
  void number(const Value& v);
  void appendTo(std::string& out) const {
    out.append(buf_.data(), static_cast<std::size_t>(p_ - buf_.data()));
  }

 private:
  static std::vector<char>& scratch() {
    thread_local std::vector<char> buf(1 << 12);
    return buf;
  }
  void grow(std::size_t n) {
    std::size_t used = static_cast<std::size_t>(p_ - buf_.data());
    buf_.resize(std::max(buf_.size() * 2, used + n));
    p_ = buf_.data() + used;
    end_ = buf_.data() + buf_.size();
  }
  std::vector<char>& buf_;
  char* p_;
  char* end_;
};

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// Whether any of the eight bytes of `w` may need an escape: below 0x20, a quote, a backslash,
// or 0xED, which starts the three bytes of a lone surrogate (json/js_text.h) as well as some
// ordinary characters (U+D000..U+D7FF).
inline bool anySpecial(std::uint64_t w) {
  std::uint64_t control = (w - kOnes * 0x20) & ~w & kHighs;
  std::uint64_t quote = w ^ (kOnes * '"');
  std::uint64_t backslash = w ^ (kOnes * '\\');
  std::uint64_t surrogateLead = w ^ (kOnes * 0xED);
  std::uint64_t zeroQuote = (quote - kOnes) & ~quote & kHighs;
  std::uint64_t zeroBackslash = (backslash - kOnes) & ~backslash & kHighs;
  std::uint64_t zeroLead = (surrogateLead - kOnes) & ~surrogateLead & kHighs;
  return (control | zeroQuote | zeroBackslash | zeroLead) != 0;
}

#if defined(__SSE2__)
// The bytes of the sixteen at `v` that may need an escape (as anySpecial), one bit each.
inline unsigned specialBits(__m128i v) {
  __m128i control = _mm_cmpeq_epi8(_mm_subs_epu8(v, _mm_set1_epi8(0x1F)), _mm_setzero_si128());
  __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  __m128i surrogateLead = _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(0xED)));
  return static_cast<unsigned>(_mm_movemask_epi8(
      _mm_or_si128(_mm_or_si128(control, quote), _mm_or_si128(backslash, surrogateLead))));
}
#endif

// A lone surrogate's three bytes start at `p` (before `end`).
inline bool loneSurrogateAt(const char* p, const char* end) {
  return static_cast<unsigned char>(*p) == 0xED && end - p >= 3 &&
         static_cast<unsigned char>(p[1]) >= 0xA0;
}

static constexpr char kHex[] = "0123456789abcdef";

// Writes one byte of a string, escaped as JSON.stringify escapes it; `dst` has room for six.
inline char* putEscaped(unsigned char c, char* dst) {
  if (c >= 0x20 && c != '"' && c != '\\') {
    *dst++ = static_cast<char>(c);
    return dst;
  }
  *dst++ = '\\';
  switch (c) {
    case '"':
      *dst++ = '"';
      break;
    case '\\':
      *dst++ = '\\';
      break;
    case '\b':
      *dst++ = 'b';
      break;
    case '\f':
      *dst++ = 'f';
      break;
    case '\n':
      *dst++ = 'n';
      break;
    case '\r':
      *dst++ = 'r';
      break;
    case '\t':
      *dst++ = 't';
      break;
    default:
      *dst++ = 'u';
      *dst++ = '0';
      *dst++ = '0';
      *dst++ = kHex[c >> 4];
      *dst++ = kHex[c & 0xf];
  }
  return dst;
}

// Writes the character or byte at `p` as JSON.stringify does, a lone surrogate as its \uXXXX
// escape (as well-formed JSON.stringify writes it); returns where the next one starts.
inline const char* putEscapedAt(const char* p, const char* end, char*& dst) {
  if (!loneSurrogateAt(p, end)) {
    dst = putEscaped(static_cast<unsigned char>(*p), dst);
    return p + 1;
  }
  unsigned unit = 0xD000 | ((static_cast<unsigned char>(p[1]) & 0x3F) << 6) |
                  (static_cast<unsigned char>(p[2]) & 0x3F);
  *dst++ = '\\';
  *dst++ = 'u';
  for (int shift = 12; shift >= 0; shift -= 4) *dst++ = kHex[(unit >> shift) & 0xF];
  return p + 3;
}

// JSON.stringify's quoting of `s` into `dst`, which has room for 6 * size + 10 bytes. Eight
// bytes are checked at a time; the usual string has nothing to escape. `padded`: eight bytes
// can be read from the start of `s` even when it is shorter.
[[gnu::always_inline]] inline char* writeQuoted(std::string_view s, char* dst, bool padded) {
  const char* p = s.data();
  const char* end = p + s.size();
  *dst++ = '"';
  if constexpr (std::endian::native == std::endian::little) {
    // A short string in one step: the word is stored whole (the room allows it) and the cursor
    // moves on by the string's size; bytes past the end are masked off before the check.
    if (padded && s.size() < 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      std::uint64_t keep = s.empty() ? 0 : ~std::uint64_t{0} >> (8 * (8 - s.size()));
      if (!anySpecial((w & keep) | (kOnes * 'a' & ~keep))) {
        std::memcpy(dst, p, 8);
        dst += s.size();
        *dst++ = '"';
        return dst;
      }
    }
  }
#if defined(__SSE2__)
  // Sixteen bytes at a time: stored whole (the room allows it), then kept up to the first byte
  // that needs a look.
  while (end - p >= 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), v);
    unsigned bits = specialBits(v);
    if (!bits) {
      dst += 16;
      p += 16;
      continue;
    }
    auto plain = static_cast<std::size_t>(std::countr_zero(bits));
    dst += plain;
    p = putEscapedAt(p + plain, end, dst);
  }
#endif
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if (!anySpecial(w)) {
      std::memcpy(dst, p, 8);
      dst += 8;
      p += 8;
      continue;
    }
    for (const char* stop = p + 8; p < stop;) p = putEscapedAt(p, end, dst);
  }
  if constexpr (std::endian::native == std::endian::little) {
    if (p < end && s.size() >= 8) {
      // The last few bytes through the word that ends the string (its first bytes were seen
      // already: a word with an escape there takes the slow way below).
      auto rest = static_cast<std::size_t>(end - p);
      std::uint64_t w;
      std::memcpy(&w, end - 8, 8);
      if (!anySpecial(w)) {
        w >>= 8 * (8 - rest);
        std::memcpy(dst, &w, 8);
        dst += rest;
        *dst++ = '"';
        return dst;
      }
    }
  }
  while (p < end) p = putEscapedAt(p, end, dst);
  *dst++ = '"';
  return dst;
}

// The exact length of `s` written quoted, for long strings: reserving the worst case (six bytes a
// byte) for a 10 MB string would take 60 MB of scratch for one value.
std::size_t quotedLength(std::string_view s) {
  std::size_t n = s.size() + 2;
  const char* end = s.data() + s.size();
  for (const char* p = s.data(); p < end; ++p) {
    auto c = static_cast<unsigned char>(*p);
    if (loneSurrogateAt(p, end)) {
      n += 3;  // three bytes become six
      p += 2;
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    n += (c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t')
             ? 1
             : 5;
  }
  return n;
}

constexpr std::size_t kLongString = std::size_t{64} << 10;

[[gnu::always_inline]] inline void Writer::quoted(std::string_view s, bool padded) {
  ensure(s.size() < kLongString ? 6 * s.size() + 10 : quotedLength(s) + 8);
  p_ = writeQuoted(s, p_, padded);
}

void Writer::number(const Value& v) {
  if (v.IsDouble() && !std::isfinite(v.GetDouble())) {
    literal("null");  // as JSON.stringify
    return;
  }
  ensure(kMaxNumberChars);
  p_ = writeJsNumber(v, p_);
}

}  // namespace

void appendQuoted(std::string_view s, std::string& out) {
  Writer w;
  w.quoted(s);
  w.appendTo(out);
}

namespace {

// Whether a string value keeps its characters inside the value itself (RapidJSON's short
// strings): then the sixteen bytes of the value can all be read.
static_assert(sizeof(Value) >= 8);
bool isInline(const Value& v) {
  return v.GetString() == reinterpret_cast<const char*>(&v);
}

// Deep values: iterative, so depth is limited only by memory, never by the stack.
void writeIterative(const Value& root, Writer& w) {
  struct Frame {
    const Value* container;
    rapidjson::SizeType next;
  };
  thread_local std::vector<Frame> frames;
  std::vector<Frame> stack;
  stack.swap(frames);  // the thread's frames, capacity kept between calls
  stack.clear();
  const Value* v = &root;
  for (;;) {
    if (v) {
      switch (v->GetType()) {
        case rapidjson::kNullType:
          w.literal("null");
          break;
        case rapidjson::kFalseType:
          w.literal("false");
          break;
        case rapidjson::kTrueType:
          w.literal("true");
          break;
        case rapidjson::kNumberType:
          w.number(*v);
          break;
        case rapidjson::kStringType:
          w.quoted(std::string_view(v->GetString(), v->GetStringLength()), isInline(*v));
          break;
        case rapidjson::kObjectType:
          w.ensure(1);
          w.put('{');
          stack.push_back({v, 0});
          break;
        case rapidjson::kArrayType:
          w.ensure(1);
          w.put('[');
          stack.push_back({v, 0});
          break;
      }
    }
    if (stack.empty()) break;
    Frame& f = stack.back();
    if (f.container->IsObject()) {
      if (f.next == f.container->MemberCount()) {
        w.ensure(1);
        w.put('}');
        stack.pop_back();
        v = nullptr;
        continue;
      }
      const auto& m = f.container->MemberBegin()[f.next];
      std::string_view key(m.name.GetString(), m.name.GetStringLength());
      w.ensure(6 * key.size() + 12);
      if (f.next++) w.put(',');
      w.quoted(key, isInline(m.name));
      w.put(':');
      v = &m.value;
    } else {
      if (f.next == f.container->Size()) {
        w.ensure(1);
        w.put(']');
        stack.pop_back();
        v = nullptr;
        continue;
      }
      w.ensure(1);
      if (f.next) w.put(',');
      v = &(*f.container)[f.next++];
    }
  }
  stack.swap(frames);
}

// Levels written by recursion before the rest of a value goes to the iterative writer.
constexpr unsigned kRecursiveLevels = 32;

// The usual, shallow value: plain recursion, cheaper than keeping frames.
// The object `v`: braces, keys and commas here, each member's value by `writeMember`.
template <typename WriteMember>
void writeObject(const Value& v, Writer& w, WriteMember&& writeMember) {
  w.ensure(1);
  w.put('{');
  bool first = true;
  for (const auto& m : v.GetObject()) {
    std::string_view key(m.name.GetString(), m.name.GetStringLength());
    w.ensure(6 * key.size() + 12);
    if (!first) w.put(',');
    first = false;
    w.quoted(key, isInline(m.name));
    w.put(':');
    writeMember(m.value);
  }
  w.ensure(1);
  w.put('}');
}

void writeRecursive(const Value& v, Writer& w, unsigned depth) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      w.literal("null");
      return;
    case rapidjson::kFalseType:
      w.literal("false");
      return;
    case rapidjson::kTrueType:
      w.literal("true");
      return;
    case rapidjson::kNumberType:
      w.number(v);
      return;
    case rapidjson::kStringType:
      w.quoted(std::string_view(v.GetString(), v.GetStringLength()), isInline(v));
      return;
    case rapidjson::kObjectType:
      if (depth >= kRecursiveLevels) return writeIterative(v, w);
      return writeObject(v, w, [&](const Value& member) { writeRecursive(member, w, depth + 1); });
    case rapidjson::kArrayType: {
      if (depth >= kRecursiveLevels) return writeIterative(v, w);
      w.ensure(1);
      w.put('[');
      bool first = true;
      for (const auto& e : v.GetArray()) {
        if (!first) {
          w.ensure(1);
          w.put(',');
        }
        first = false;
        writeRecursive(e, w, depth + 1);
      }
      w.ensure(1);
      w.put(']');
      return;
    }
  }
}

void writeValue(const Value& root, std::string& out) {
  Writer w;
  writeRecursive(root, w, 0);
  w.appendTo(out);
}

// The same handle: the very members of the same object.
bool sameObject(const Value& a, const Value& b) {
  return a.IsObject() && b.IsObject() && a.MemberCount() == b.MemberCount() &&
         a.MemberBegin() == b.MemberBegin();
}

void appendJsStringDepth(const Value& v, std::string& out, unsigned depth) {
  switch (v.GetType()) {
    case rapidjson::kNullType:
      out.append("null");
      return;
    case rapidjson::kFalseType:
      out.append("false");
      return;
    case rapidjson::kTrueType:
      out.append("true");
      return;
    case rapidjson::kNumberType:
      appendNumber(v, out);
      return;
    case rapidjson::kStringType:
      out.append(v.GetString(), v.GetStringLength());
      return;
    case rapidjson::kObjectType:
      out.append("[object Object]");
      return;
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

void stringify(const Value& v, std::string& out) {
  writeValue(v, out);
}

void stringify(const Value& v, std::string& out, const KnownText& known) {
  if (!known.value || !v.IsObject()) return writeValue(v, out);
  Writer w;
  writeObject(v, w, [&](const Value& member) {
    if (sameObject(member, *known.value))
      w.write(known.text.data(), known.text.size());
    else
      writeRecursive(member, w, 1);
  });
  w.appendTo(out);
}

std::string stringify(const Value& v) {
  std::string out;
  writeValue(v, out);
  return out;
}

void appendJsString(const Value& v, std::string& out) {
  appendJsStringDepth(v, out, 0);
}

std::string toJsString(const Value& v) {
  std::string out;
  appendJsString(v, out);
  return out;
}

}  // namespace actions::json
