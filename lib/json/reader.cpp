#include "json/reader.h"

#include <rapidjson/document.h>
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

#include "json/js_text.h"

namespace actions::json::detail {
namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// The bytes of `w` (eight bytes of a string, first byte lowest) that end a plain run: a quote,
// a backslash, a control character or a byte of a multi-byte UTF-8 sequence, each marked by its
// high bit. Marks above the lowest one may be false; the lowest one never is.
inline std::uint64_t stopMask(std::uint64_t w) {
  std::uint64_t quote = w ^ (kOnes * '"');
  std::uint64_t backslash = w ^ (kOnes * '\\');
  std::uint64_t control = (w - kOnes * 0x20) & ~w;
  std::uint64_t zeroQuote = (quote - kOnes) & ~quote;
  std::uint64_t zeroBackslash = (backslash - kOnes) & ~backslash;
  return (control | zeroQuote | zeroBackslash | w) & kHighs;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A key's identity for the repeated-key check: its length and its first and last eight bytes.
// Equal keys always agree; different keys rarely do, and then the exact check runs.
// `readable`: eight bytes can be read from `s` whatever `n`.
std::uint64_t fingerprint(const char* s, std::size_t n, bool readable) {
  std::uint64_t head = 0, tail = 0;
  if (n >= 8) {
    std::memcpy(&head, s, 8);
    std::memcpy(&tail, s + n - 8, 8);
  } else if (readable && std::endian::native == std::endian::little) {
    std::memcpy(&head, s, 8);  // a fixed size: no call
    head &= n ? ~std::uint64_t{0} >> (8 * (8 - n)) : 0;
  } else {
    std::memcpy(&head, s, n);
  }
  std::uint64_t h = (head * 0x9E3779B97F4A7C15ull) ^ (tail + 0x632BE59BD9B4E019ull);
  return (h ^ (h >> 29)) * 0xBF58476D1CE4E5B9ull + n;
}

// Whether JavaScript writes the number a JSON number token stands for as that very token (the
// writer, json/write.cpp, does as JavaScript does): no exponent, not -0, no trailing zero in a
// fraction, at least 1e-6 (below, JavaScript writes an exponent) and at most 15 significant
// digits, which a double keeps exactly, so that its shortest form is those digits.
// `intEnd` ends the integer part; a fraction follows it up to `end`.
bool numberAsWritten(bool minus, const char* digits, const char* intEnd, const char* end) {
  std::size_t significant;
  if (*digits == '0') {
    if (intEnd == end) return !minus;
    const char* first = intEnd + 1;
    const char* q = first;
    while (q < end && *q == '0') ++q;
    if (q == end || q - first > 5) return false;
    significant = static_cast<std::size_t>(end - q);
  } else {
    significant = static_cast<std::size_t>(intEnd - digits);
    if (intEnd != end) significant += static_cast<std::size_t>(end - intEnd - 1);
  }
  if (intEnd != end && end[-1] == '0') return false;
  return significant <= 15;
}

// Whether four hex digits are written as the writer writes them (lower case).
bool lowerHex(const char* p) {
  for (int i = 0; i < 4; ++i)
    if (p[i] >= 'A' && p[i] <= 'F') return false;
  return true;
}

// Past this many keys an object is not checked key by key; the exact check runs instead.
constexpr std::size_t kMaxTrackedKeys = 32;

// Told where each value begins and ends (ScanEvents): a scanner's adapter, not the document.
template <class Out>
concept TracksPlaces = requires(Out& o, const char* p) {
  o.valueBegins(p);
  o.valueEnds(p);
};

// Reads into `Out`: the Document (what json::parse gives), or ScanEvents (json::detail::scan).
template <class Out>
class Reader {
 public:
  // `inText`: strings without escapes are given as references into the text, not copies.
  Reader(std::string_view text, Out& out, unsigned maxDepth, bool inText = false)
      : inText_(inText),
        p_(text.data()),
        end_(text.data() + text.size()),
        doc_(out),
        maxDepth_(maxDepth),
        frames_(threadFrames()),
        keys_(threadKeys()) {}

  // Runs inside Document::Populate: false leaves the document as it was.
  bool run() {
    frames_.clear();
    keys_.clear();
    if (!value()) return false;
    skipSpace();
    return p_ == end_;
  }
  bool mayRepeatKeys() const { return mayRepeatKeys_; }
  // Whether the text is byte for byte what the writer writes for the document read (no white
  // space, JSON.stringify's escapes, numbers in JavaScript's form, no key given twice).
  bool asWritten() const { return asWritten_ && !mayRepeatKeys_; }

 private:
  struct Frame {
    bool object;
    rapidjson::SizeType count;
    std::size_t firstKey;  // index into keys_
  };

  void skipSpace() {
    if (p_<end_&& static_cast<unsigned char>(*p_)> ' ') return;  // compact JSON
    const char* from = p_;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    if (p_ != from) asWritten_ = false;
  }
  bool consume(char c) {
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool literal(const char* word, std::size_t n) {
    if (static_cast<std::size_t>(end_ - p_) < n || std::memcmp(p_, word, n) != 0) return false;
    p_ += n;
    return true;
  }

  // The whole document, without recursion: containers are frames on a stack.
  bool value() {
    for (;;) {
      skipSpace();
      if (p_ == end_) return false;
      if constexpr (TracksPlaces<Out>) doc_.valueBegins(p_);
      switch (*p_) {
        case '{':
          ++p_;
          if (frames_.size() >= maxDepth_) return false;
          doc_.StartObject();
          skipSpace();
          if (consume('}')) {
            doc_.EndObject(0);
            break;
          }
          frames_.push_back({true, 0, keys_.size()});
          if (!key()) return false;
          continue;
        case '[':
          ++p_;
          if (frames_.size() >= maxDepth_) return false;
          doc_.StartArray();
          skipSpace();
          if (consume(']')) {
            doc_.EndArray(0);
            break;
          }
          frames_.push_back({false, 0, 0});
          continue;
        case '"':
          ++p_;
          if (!string(false)) return false;
          break;
        case 't':
          if (!literal("true", 4)) return false;
          doc_.Bool(true);
          break;
        case 'f':
          if (!literal("false", 5)) return false;
          doc_.Bool(false);
          break;
        case 'n':
          if (!literal("null", 4)) return false;
          doc_.Null();
          break;
        default:
          if (!number()) return false;
      }
      // A value is complete: close the containers it completes, then find the next value.
      for (;;) {
        if constexpr (TracksPlaces<Out>) doc_.valueEnds(p_);  // just past the value's last byte
        if (frames_.empty()) return true;
        Frame& f = frames_.back();
        ++f.count;
        skipSpace();
        if (consume(',')) {
          if (f.object && !key()) return false;
          break;
        }
        if (f.object ? consume('}') : consume(']')) {
          if (f.object) {
            doc_.EndObject(f.count);
            keys_.resize(f.firstKey);
          } else {
            doc_.EndArray(f.count);
          }
          frames_.pop_back();
          continue;
        }
        return false;
      }
    }
  }

  // A member's name and its colon.
  bool key() {
    skipSpace();
    if (!consume('"') || !string(true)) return false;
    skipSpace();
    return consume(':');
  }

  // The rest of a string after its opening quote, given to the document.
  bool string(bool isKey) {
    const char* start = p_;
    for (;;) {
#if defined(__SSE2__)
      if (end_ - p_ >= 16) {
        // A quote, a backslash, a control character or a non-ASCII byte (signed, below 0x20).
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        __m128i stops = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                  _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                     _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        auto bits = static_cast<unsigned>(_mm_movemask_epi8(stops));
        if (!bits) {
          p_ += 16;
          continue;
        }
        p_ += std::countr_zero(bits);
      } else
#endif
          if (end_ - p_ >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p_, 8);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
        std::uint64_t stops = stopMask(w);
        if (!stops) {
          p_ += 8;
          continue;
        }
        p_ += std::countr_zero(stops) >> 3;  // the first byte that ends the run
      } else if (p_ == end_) {
        return false;
      }
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        std::size_t n = static_cast<std::size_t>(p_ - start);
        ++p_;
        return give(start, n, isKey, true);
      }
      if (c == '\\') return escapedString(start, isKey);
      if (c < 0x20) return false;
      if (c >= 0x80) {
        if (!utf8Sequence()) return false;
      } else {
        ++p_;  // a plain byte of the last few, read one at a time
      }
    }
  }

  // One well-formed multi-byte UTF-8 sequence at p_ (no overlong form, no surrogate, nothing
  // past U+10FFFF: what RapidJSON's encoding check accepts). A surrogate's raw bytes are not
  // text; only its \u escape is.
  bool utf8Sequence() {
    const auto* s = reinterpret_cast<const unsigned char*>(p_);
    std::size_t left = static_cast<std::size_t>(end_ - p_);
    auto cont = [&](std::size_t i) { return (s[i] & 0xC0) == 0x80; };
    unsigned char c = s[0];
    std::size_t n;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      if (left < 2 || !cont(1)) return false;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      if (left < 3 || !cont(1) || !cont(2)) return false;
      if (c == 0xE0 && s[1] < 0xA0) return false;
      if (c == 0xED && s[1] >= 0xA0) return false;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      if (left < 4 || !cont(1) || !cont(2) || !cont(3)) return false;
      if (c == 0xF0 && s[1] < 0x90) return false;
      if (c == 0xF4 && s[1] >= 0x90) return false;
    } else {
      return false;
    }
    p_ += n;
    return true;
  }

  // A string with escapes, decoded into a scratch buffer; p_ is at its first backslash.
  bool escapedString(const char* start, bool isKey) {
    thread_local std::string decoded;
    decoded.assign(start, static_cast<std::size_t>(p_ - start));
    for (;;) {
      if (p_ == end_) return false;
      unsigned char c = static_cast<unsigned char>(*p_);
      if (c == '"') {
        ++p_;
        return give(decoded.data(), decoded.size(), isKey, false);
      }
      if (c < 0x20) return false;
      if (c >= 0x80) {
        const char* from = p_;
        if (!utf8Sequence()) return false;
        decoded.append(from, static_cast<std::size_t>(p_ - from));
        continue;
      }
      if (c != '\\') {
        decoded.push_back(static_cast<char>(c));
        ++p_;
        continue;
      }
      if (end_ - p_ < 2) return false;
      char e = p_[1];
      p_ += 2;
      switch (e) {
        case '"':
          decoded.push_back('"');
          break;
        case '\\':
          decoded.push_back('\\');
          break;
        case '/':
          decoded.push_back('/');
          asWritten_ = false;  // JSON.stringify writes it plain
          break;
        case 'b':
          decoded.push_back('\b');
          break;
        case 'f':
          decoded.push_back('\f');
          break;
        case 'n':
          decoded.push_back('\n');
          break;
        case 'r':
          decoded.push_back('\r');
          break;
        case 't':
          decoded.push_back('\t');
          break;
        case 'u': {
          int cp = hex4();
          if (cp < 0) return false;
          // JSON.stringify writes \u only for control characters without a short escape and
          // for lone surrogates, in lower case.
          if (asWritten_)
            asWritten_ = lowerHex(p_ - 4) && ((cp < 0x20 && cp != '\b' && cp != '\f' &&
                                               cp != '\n' && cp != '\r' && cp != '\t') ||
                                              text::isSurrogate(static_cast<char32_t>(cp)));
          if (text::isHighSurrogate(static_cast<char32_t>(cp)) && end_ - p_ >= 6 && p_[0] == '\\' &&
              p_[1] == 'u') {
            const char* next = p_;
            p_ += 2;
            int low = hex4();
            if (low >= 0 && text::isLowSurrogate(static_cast<char32_t>(low))) {
              cp = static_cast<int>(
                  text::joinSurrogates(static_cast<char32_t>(cp), static_cast<char32_t>(low)));
              asWritten_ = false;  // a pair is written as its character
            } else
              p_ = next;  // a lone high surrogate: the escape after it is read on its own
          }
          // A lone surrogate is kept as its three-byte form, as JSON.parse keeps it.
          text::appendUtf8(static_cast<char32_t>(cp), decoded);
          break;
        }
        default:
          return false;
      }
    }
  }

  int hex4() {
    if (end_ - p_ < 4) return -1;
    int v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = hexValue(p_[i]);
      if (h < 0) return -1;
      v = v * 16 + h;
    }
    p_ += 4;
    return v;
  }

  // A string or key to the document; `fromText`: `s` is in the text (not a decoded copy).
  bool give(const char* s, std::size_t n, bool isKey, bool fromText) {
    if (n > 0xFFFFFFFFu) return false;
    auto size = static_cast<rapidjson::SizeType>(n);
    bool copy = !(fromText && inText_);
    if (!isKey) {
      doc_.String(s, size, copy);
      return true;
    }
    doc_.Key(s, size, copy);
    const Frame& f = frames_.back();
    std::size_t tracked = keys_.size() - f.firstKey;
    if (tracked >= kMaxTrackedKeys) {
      mayRepeatKeys_ = true;
      return true;
    }
    std::uint64_t fp = fingerprint(s, n, fromText && end_ - s >= 8);
    for (std::size_t i = f.firstKey; i < keys_.size(); ++i)
      if (keys_[i] == fp) mayRepeatKeys_ = true;
    keys_.push_back(fp);
    return true;
  }

  // A number as RapidJSON's reader gives it (see its ParseNumber, with full precision):
  // integers that fit in 32 bits as Int / Uint, wider ones that fit in 64 bits as Int64 /
  // Uint64, anything else (a fraction, an exponent, a wider integer) as the correctly rounded
  // double.
  bool number() {
    const char* start = p_;
    bool minus = consume('-');
    const char* digits = p_;
    if (p_ == end_) return false;
    if (*p_ == '0') {
      ++p_;
    } else if (*p_ >= '1' && *p_ <= '9') {
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
    } else {
      return false;
    }
    const char* digitsEnd = p_;
    bool isDouble = false, exponent = false;
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      const char* first = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == first) return false;
      isDouble = true;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      const char* first = p_;
      while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
      if (p_ == first) return false;
      isDouble = exponent = true;
    }
    if (p_ < end_ && *p_ >= '0' && *p_ <= '9') return false;  // a leading zero
    if (asWritten_) asWritten_ = !exponent && numberAsWritten(minus, digits, digitsEnd, p_);
    if (!isDouble && integer(digits, digitsEnd, minus)) return true;
    double d;
    auto r = std::from_chars(start, p_, d);
    if (r.ec == std::errc() && r.ptr == p_ && std::isfinite(d)) {
      doc_.Double(d);
      return true;
    }
    return extremeNumber(start);
  }

  // An integer of up to 20 digits that fits RapidJSON's integer types, given to the document.
  bool integer(const char* digits, const char* end, bool minus) {
    std::size_t n = static_cast<std::size_t>(end - digits);
    if (n > 20) return false;
    std::uint64_t u = 0;
    for (const char* q = digits; q < end; ++q) {
      if (__builtin_mul_overflow(u, 10u, &u) ||
          __builtin_add_overflow(u, static_cast<unsigned>(*q - '0'), &u))
        return false;
    }
    if (minus) {
      if (u <= 2147483648u)
        doc_.Int(static_cast<std::int32_t>(~static_cast<std::uint32_t>(u) + 1));
      else if (u <= 9223372036854775808ull)
        doc_.Int64(static_cast<std::int64_t>(~u + 1));
      else
        return false;
    } else if (u <= 0xFFFFFFFFu) {
      doc_.Uint(static_cast<unsigned>(u));
    } else {
      doc_.Uint64(u);
    }
    return true;
  }

  // A number beyond the range of a double (or below its smallest): RapidJSON's own answer for
  // it, a value or a refusal.
  bool extremeNumber(const char* start) {
    rapidjson::Document one;
    one.Parse<rapidjson::kParseFullPrecisionFlag>(start, static_cast<std::size_t>(p_ - start));
    if (one.HasParseError() || !one.IsNumber()) return false;
    doc_.Double(one.GetDouble());
    return true;
  }

  bool inText_;
  const char* p_;
  const char* end_;
  Out& doc_;
  unsigned maxDepth_;
  bool mayRepeatKeys_ = false;
  bool asWritten_ = true;
  // The thread's stacks, kept between documents so parsing allocates nothing of its own; looked
  // up once per document (a thread-local in a shared library costs a call per access).
  static std::vector<Frame>& threadFrames() {
    thread_local std::vector<Frame> frames;
    return frames;
  }
  static std::vector<std::uint64_t>& threadKeys() {
    thread_local std::vector<std::uint64_t> keys;
    return keys;
  }
  std::vector<Frame>& frames_;
  std::vector<std::uint64_t>& keys_;
};

// The reader's calls turned into a Scanner's, with offsets into the text.
class ScanEvents {
 public:
  ScanEvents(std::string_view text, Scanner& scanner) : base_(text.data()), scanner_(scanner) {}

  void valueBegins(const char* p) { at_ = static_cast<std::size_t>(p - base_); }
  void valueEnds(const char* p) { scanner_.end(static_cast<std::size_t>(p - base_)); }

  bool StartObject() { return begin(ScanKind::Object); }
  bool StartArray() { return begin(ScanKind::Array); }
  bool EndObject(rapidjson::SizeType) { return true; }
  bool EndArray(rapidjson::SizeType) { return true; }
  bool Null() { return begin(ScanKind::Null); }
  bool Bool(bool) { return begin(ScanKind::Bool); }
  bool Int(int) { return begin(ScanKind::Number); }
  bool Uint(unsigned) { return begin(ScanKind::Number); }
  bool Int64(std::int64_t) { return begin(ScanKind::Number); }
  bool Uint64(std::uint64_t) { return begin(ScanKind::Number); }
  bool Double(double) { return begin(ScanKind::Number); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    begin(ScanKind::String);
    scanner_.string({s, n});
    return true;
  }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    scanner_.key({s, n});
    return true;
  }

 private:
  bool begin(ScanKind kind) {
    scanner_.begin(kind, at_);
    return true;
  }

  const char* base_;
  Scanner& scanner_;
  std::size_t at_ = 0;
};

}  // namespace

bool scan(std::string_view text, Scanner& scanner, unsigned maxDepth) {
  ScanEvents events(text, scanner);
  Reader<ScanEvents> reader(text, events, maxDepth);
  return reader.run();
}

ReadResult read(std::string_view text, Document& doc, unsigned maxDepth, bool* asWritten,
                bool inText) {
  Reader<Document> reader(text, doc, maxDepth, inText);
  bool ok = false;
  auto generate = [&](Document&) {
    ok = reader.run();
    return ok;
  };
  doc.Populate(generate);
  if (!ok) return ReadResult::Failed;
  if (asWritten) *asWritten = reader.asWritten();
  return reader.mayRepeatKeys() ? ReadResult::DoneCheckKeys : ReadResult::Done;
}

}  // namespace actions::json::detail
